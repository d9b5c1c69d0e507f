using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hosting;

public sealed class LoggingTests
{
    private const string RequestCategory = "Serilog.AspNetCore.RequestLoggingMiddleware";

    // The factory logs from Warning up; request lines are Information.
    private static readonly Dictionary<string, string?> InformationLevel = new() { ["Serilog:MinimumLevel:Default"] = "Information" };

    [Fact]
    public async Task Request_IsLoggedOnceBySerilogWithItsCorrelationId()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new PlatformFactory(InformationLevel, configureServices: s => s.AddSingleton<ILoggerProvider>(logs));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "log-check-1");

        await client.GetAsync("/centres");

        var entry = Assert.Single(logs.Entries, e => e.Category == RequestCategory && e.Message.Contains("/centres", StringComparison.Ordinal));
        Assert.Equal("log-check-1", entry.Scope["CorrelationId"]);
        Assert.Contains("responded 200", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("UserName", entry.Scope.Keys);
    }

    [Fact]
    public async Task Request_BySignedInUser_CarriesUserAndCentre()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new PlatformFactory(InformationLevel, configureServices: s => s.AddSingleton<ILoggerProvider>(logs));
        var client = factory.CreateClient();
        await client.SignInAsync("staff");
        var staff = await factory.Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("staff");

        await client.GetAsync("/inbox");

        var entry = Assert.Single(logs.Entries, e => e.Category == RequestCategory && e.Message.Contains("GET /inbox ", StringComparison.Ordinal));
        Assert.Equal("staff", entry.Scope["UserName"]);
        Assert.Equal(staff!.CentreId.ToString(), entry.Scope["CentreId"]);
        Assert.False(string.IsNullOrEmpty(entry.Scope["CorrelationId"] as string));
    }

    [Fact]
    public async Task RoutineRequest_IsLoggedAtDebugOnly()
    {
        var logs = new CapturingLoggerProvider();
        await using var factory = new PlatformFactory(InformationLevel, configureServices: s => s.AddSingleton<ILoggerProvider>(logs));

        await factory.CreateClient().GetAsync("/health/live");

        Assert.DoesNotContain(logs.Entries, e => e.Category == RequestCategory && e.Message.Contains("/health/live", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_WriteStructuredJsonFileUnderDataFolder()
    {
        await using var factory = new PlatformFactory(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Correlation-Id", "file-check-7");

        await client.GetAsync("/");

        var lines = await ReadLogLinesAsync(factory.DataFolder);
        Assert.Contains(lines, line => line.Contains("\"CorrelationId\":\"file-check-7\"", StringComparison.Ordinal)
                                       && line.Contains("\"MessageTemplate\":\"HTTP {RequestMethod} {RequestPath} responded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithBadSetting_LogsCriticalLineNamingItAndExitsNonZero()
    {
        await using var app = PlatformProcess.Start(new Dictionary<string, string?>
        {
            ["Accounts__Lockout__MaxFailedAccessAttempts"] = "0",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{PlatformProcess.FreePort()}",
        });

        Assert.True(await app.WaitForExitAsync(TimeSpan.FromMinutes(2)), "The app kept running with a bad setting.\n" + app.Output);

        Assert.Equal(1, app.ExitCode);
        var lines = await ReadLogLinesAsync(app.DataFolder);
        Assert.Contains(lines, line => line.Contains("\"Level\":\"Fatal\"", StringComparison.Ordinal)
                                       && line.Contains("Start-up stopped", StringComparison.Ordinal)
                                       && line.Contains("Accounts:Lockout:MaxFailedAccessAttempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithUnusableLoggingSection_LogsToConsoleAndExitsNonZero()
    {
        await using var app = PlatformProcess.Start(new Dictionary<string, string?>
        {
            ["Serilog__MinimumLevel__Default"] = "Loudest",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{PlatformProcess.FreePort()}",
        });

        Assert.True(await app.WaitForExitAsync(TimeSpan.FromMinutes(2)), "The app kept running with a bad logging section.\n" + app.Output);

        Assert.Equal(1, app.ExitCode);
        Assert.Contains("Start-up stopped before the platform's logging was configured", app.Output, StringComparison.Ordinal);
        Assert.Contains("Loudest", app.Output, StringComparison.Ordinal);
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

    private static async Task<string[]> ReadLogLinesAsync(string dataFolder)
    {
        var file = Assert.Single(Directory.GetFiles(Path.Combine(dataFolder, "logs"), "trading-*.json"));
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return (await new StreamReader(stream).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
