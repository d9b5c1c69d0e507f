using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.BrowserTests;

/// <summary>
/// The real app on Kestrel at a free loopback port with a fresh data folder (demo accounts seeded by the app itself),
/// and Debian's Chromium driven by Playwright (never a downloaded browser). The shell tests share one through
/// <see cref="BrowserCollection"/>; the designer and inbox tests, which change procedures and instances, take one per
/// class. Every test opens its own browser context.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DemoPassword = "Demo@2026";
    public const int MaxFailedAttempts = 3;
    public const string LockoutUser = "lockout.target";
    public const string AdminLockUser = "admin.lock.target";

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("tw-browser-").FullName;
    private Factory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The app's services, for arranging data through the same services the pages use.</summary>
    public IServiceProvider Services => _factory!.Services;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install chromium). Browser tests never download a browser.");
        }

        _factory = new Factory(_dataFolder);
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        using (var scope = _factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            // Accounts of their own, so locking them never disturbs the demo accounts other tests use.
            foreach (var userName in new[] { LockoutUser, AdminLockUser })
            {
                var target = new AppUser { UserName = userName };
                await users.CreateAsync(target, DemoPassword);
                await users.AddToRoleAsync(target, PlatformRoles.Bidder);
            }
        }

        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (own cookies) with a page on the app.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = "en-US" });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A new browser context signed in as <paramref name="userName"/> through the login page, in Chinese (the default)
    /// or the given culture.
    /// </summary>
    public async Task<IPage> SignInAsync(string userName, string culture = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        if (culture != "zh-CN")
        {
            await page.GotoAsync($"/culture/set?culture={culture}&redirectUri=/");
        }

        await page.SignInAsync(userName);

        // The redirect itself is what signing in proves; waiting for the next page's load event only adds a cold-start race.
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase), new() { WaitUntil = WaitUntilState.Commit });
        return page;
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
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner if a log file is still held.
        }
    }

    private sealed class Factory(string dataFolder) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Storage:DataFolder", dataFolder);
            builder.UseSetting("Accounts:Lockout:MaxFailedAccessAttempts", MaxFailedAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            // A demo grant walked in minutes: the sale opens 40 s after submission, lasts 2 minutes (applications close
            // 1 minute before its end), a 30 s timed phase; refunds are sent within seconds of being owed.
            builder.UseSetting("Grants:Demo:OpensIn", "00:00:40");
            builder.UseSetting("Grants:Demo:Bidding", "00:02:00");
            builder.UseSetting("Grants:Demo:Countdown", "00:00:30");
            builder.UseSetting("Deposits:RefundTimerInterval", "00:00:02");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "browser";
}
