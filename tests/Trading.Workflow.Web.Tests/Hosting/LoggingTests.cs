using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hosting;

public sealed class LoggingTests
{
    [Fact]
    public async Task Request_IsLoggedOnceWithItsCorrelationIdInScope()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new PlatformFactory(configureServices: s => s.AddSingleton<ILoggerProvider>(logs));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "log-check-1");

        await client.GetAsync("/centres");

        var entry = Assert.Single(logs.Entries, e => e.Category == typeof(RequestLoggingMiddleware).FullName && e.Message.Contains("/centres", StringComparison.Ordinal));
        Assert.Equal("log-check-1", entry.Scope["CorrelationId"]);
        Assert.Contains("responded 200", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_WriteStructuredJsonFileUnderDataFolder()
    {
        await using var factory = new PlatformFactory(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "file-check-7");

        await client.GetAsync("/");

        var file = Assert.Single(Directory.GetFiles(Path.Combine(factory.DataFolder, "logs"), "trading-*.json"));
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var lines = (await new StreamReader(stream).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => line.Contains("\"CorrelationId\":\"file-check-7\"", StringComparison.Ordinal)
                                       && line.Contains("\"MessageTemplate\":\"HTTP {Method} {Path} responded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithDemoData_LogsEveryDemoAccount()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new PlatformFactory(configureServices: s => s.AddSingleton<ILoggerProvider>(logs));

        factory.CreateClient();

        foreach (var userName in new[] { "admin", "staff", "supervisor", "tenderee", "bidder", "expert" })
        {
            Assert.Contains(logs.Entries, e => e.Message.StartsWith($"Demo account {userName} ", StringComparison.Ordinal) && e.Message.EndsWith("Demo@2026", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Start_InProductionWithDemoData_LogsCriticalWarning()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new PlatformFactory(configureServices: s => s.AddSingleton<ILoggerProvider>(logs), environment: "Production");

        factory.CreateClient();

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("DEMO ACCOUNTS ARE ENABLED IN PRODUCTION", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_InDevelopmentWithDemoData_LogsNoCriticalWarning()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new PlatformFactory(configureServices: s => s.AddSingleton<ILoggerProvider>(logs), environment: "Development");

        factory.CreateClient();

        Assert.DoesNotContain(logs.Entries, e => e.Level == LogLevel.Critical);
    }
}
