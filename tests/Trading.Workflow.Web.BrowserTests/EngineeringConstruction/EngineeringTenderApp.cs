using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Web.BrowserTests.EngineeringConstruction;

/// <summary>
/// The server's clock as the test moves it: the system clock plus an offset that only grows. The app reads every
/// instant through <see cref="TimeProvider"/>, so deadlines, the sale, the opening window and countdowns all follow it;
/// sign-in cookies keep the real clock so a jump of weeks does not sign everyone out.
/// </summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock to <paramref name="instant"/> (never back).</summary>
    public void MoveTo(DateTimeOffset instant)
    {
        var ahead = instant - GetUtcNow();
        if (ahead > TimeSpan.Zero)
        {
            Interlocked.Add(ref _offsetTicks, ahead.Ticks);
        }
    }
}

/// <summary>
/// The real app on Kestrel with a fresh data folder and demo data, the server clock replaced by a <see cref="MovableClock"/>,
/// and Debian's Chromium. Timers come due when the test moves the clock and asks the engine to fire what is due, as the
/// scheduler does at the due time.
/// </summary>
public sealed class EngineeringTenderApp : IAsyncLifetime
{
    private Factory? _factory;
    private IPlaywright? _playwright;

    public string DataFolder { get; } = Directory.CreateTempSubdirectory("tw-tender-browser-").FullName;

    public MovableClock Clock { get; } = new();

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = string.Empty;

    public IServiceProvider Services => _factory!.Services;

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserApp.ChromiumPath))
        {
            throw new InvalidOperationException($"{BrowserApp.ChromiumPath} is missing: install Debian's chromium (apt-get install chromium).");
        }

        _factory = new Factory(DataFolder, Clock);
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserApp.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A browser context of its own (cookies, downloads) signed in as <paramref name="userName"/>.</summary>
    /// <summary>
    /// Where <see cref="ShotAsync"/> puts screenshots: the folder named by the environment variable TW_TENDER_SHOTS, or
    /// null (none are taken). On a failure every open page is taken to that folder, or to a temporary one.
    /// </summary>
    public static string? ShotsFolder { get; } = Environment.GetEnvironmentVariable("TW_TENDER_SHOTS") is { Length: > 0 } folder ? folder : null;

    private int _shots;

    /// <summary>A full-page screenshot of <paramref name="page"/> named <paramref name="name"/>, when shots are asked for.</summary>
    public async Task ShotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (ShotsFolder is { } folder)
        {
            Directory.CreateDirectory(folder);
            var number = Interlocked.Increment(ref _shots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{number:000}-{name}.png") });
        }
    }

    /// <summary>Every open page, e.g. after a failure; returns the folder.</summary>
    public async Task<string> ShotsAsync(string prefix)
    {
        var folder = ShotsFolder ?? Directory.CreateTempSubdirectory("tw-tender-shots-").FullName;
        Directory.CreateDirectory(folder);
        var i = 0;
        foreach (var page in Browser.Contexts.SelectMany(c => c.Pages))
        {
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{prefix}-{++i:00}.png"), FullPage = true, Timeout = 10_000 });
            }
            catch (PlaywrightException)
            {
                // A page that cannot be taken (closed, hung) is left out.
            }
        }

        Console.WriteLine($"Screenshots of the open pages: {folder}");
        return folder;
    }

    public async Task<IPage> SignInAsync(string userName)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "zh-CN",
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.SignInAndWaitAsync(userName);
        return page;
    }

    /// <summary>An anonymous context (the public portal).</summary>
    public async Task<IPage> AnonymousAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = "zh-CN" });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Moves the server clock to <paramref name="instant"/> and fires every timer due by then, as the scheduler would.</summary>
    public async Task<int> MoveClockAsync(DateTimeOffset instant)
    {
        Clock.MoveTo(instant);
        var engine = Services.GetRequiredService<IWorkflowEngine>();
        var fired = 0;
        for (var round = 0; round < 5; round++)
        {
            var now = await engine.FireDueTimersAsync(Clock.GetUtcNow());
            fired += now;
            if (now == 0)
            {
                break;
            }
        }

        return fired;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("TW_KEEP_BROWSER_DATA") == "1")
        {
            return; // kept to read the app's log after a failure
        }

        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner if a log file is still held.
        }
    }

    private sealed class Factory(string dataFolder, MovableClock clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Storage:DataFolder", dataFolder);
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            // The refund timer ticks every 2 s here (1 minute by default), so the refunds after the contract are paid promptly.
            builder.UseSetting("Deposits:RefundTimerInterval", "00:00:02");
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(clock);
                // Sign-in lives on the real clock: the test jumps weeks ahead.
                services.PostConfigureAll<CookieAuthenticationOptions>(o => o.TimeProvider = TimeProvider.System);
                services.PostConfigure<SecurityStampValidatorOptions>(o => o.TimeProvider = TimeProvider.System);
            });
        }
    }
}
