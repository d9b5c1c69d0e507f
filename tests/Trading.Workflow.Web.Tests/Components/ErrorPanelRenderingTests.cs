using System.Globalization;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using Trading.Workflow.Web.Components.Shared;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>Static rendering of the error panel with Blazor's HtmlRenderer, checked with AngleSharp.</summary>
public sealed class ErrorPanelRenderingTests
{
    private static async Task<string> RenderAsync(string culture, Dictionary<string, object?> parameters, CapturingLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton<IJSRuntime, NoJsRuntime>();
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return await renderer.Dispatcher.InvokeAsync(async () =>
                (await renderer.RenderComponentAsync<ErrorPanel>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public async Task ErrorPanel_WithException_ShowsMessageAndNewIdButNotTheException()
    {
        var html = await RenderAsync("zh-CN", new() { ["Exception"] = new InvalidOperationException("secret table name") });

        var page = await new HtmlParser().ParseDocumentAsync(html);
        Assert.Matches("^[0-9a-f]{32}$", page.QuerySelector("[data-testid=correlation-id]")!.TextContent);
        Assert.Contains("处理您的请求时发生错误", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("secret table name", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorPanel_WithException_LogsItUnderTheShownId()
    {
        var logs = new CapturingLoggerProvider();

        var html = await RenderAsync("zh-CN", new() { ["Exception"] = new InvalidOperationException("boom") }, logs);

        var shownId = (await new HtmlParser().ParseDocumentAsync(html)).QuerySelector("[data-testid=correlation-id]")!.TextContent;
        var entry = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(shownId, entry.Message, StringComparison.Ordinal);
        Assert.Equal("boom", entry.Exception?.Message);
    }

    [Fact]
    public async Task ErrorPanel_InEnglish_ShowsGivenCorrelationId()
    {
        var html = await RenderAsync("en", new() { ["CorrelationId"] = "req-42" });

        var page = await new HtmlParser().ParseDocumentAsync(html);
        Assert.Equal("req-42", page.QuerySelector("[data-testid=correlation-id]")!.TextContent);
        Assert.Contains("Error id:", page.Body!.TextContent, StringComparison.Ordinal);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Add((logLevel, formatter(state, exception), exception));
        }
    }
}
