using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Web.Components.Shared;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>The error panel shows a message and an id the user can quote, logs the error under that id and never shows it.</summary>
public sealed class ErrorPanelRenderingTests : PlatformComponentTest
{
    private readonly CapturingProvider _logs = new();

    public ErrorPanelRenderingTests()
    {
        Services.AddSingleton<ILoggerFactory>(new LoggerFactory([_logs]));
        Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
    }

    [Fact]
    public void WithException_ShowsChineseMessageAndNewIdButNotTheException()
    {
        var panel = Render<ErrorPanel>(p => p.Add(e => e.Exception, new InvalidOperationException("secret table name")));

        Assert.Matches("^[0-9a-f]{32}$", panel.Find("[data-testid=correlation-id]").TextContent);
        Assert.Contains("处理您的请求时发生错误", panel.Find("[data-testid=error-panel]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("secret table name", panel.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void WithException_LogsItUnderTheShownId()
    {
        var panel = Render<ErrorPanel>(p => p.Add(e => e.Exception, new InvalidOperationException("boom")));

        var shownId = panel.Find("[data-testid=correlation-id]").TextContent;
        var entry = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(shownId, entry.Message, StringComparison.Ordinal);
        Assert.Equal("boom", entry.Exception?.Message);
    }

    [Fact]
    public void InEnglish_WithRequestId_ShowsThatIdAndLogsNothing()
    {
        Culture("en");

        var panel = Render<ErrorPanel>(p => p.Add(e => e.CorrelationId, "req-42"));

        Assert.Equal("req-42", panel.Find("[data-testid=correlation-id]").TextContent);
        Assert.Contains("Error id:", panel.Markup, StringComparison.Ordinal);
        Assert.Contains("Something went wrong", panel.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Add((logLevel, formatter(state, exception), exception));
        }
    }
}
