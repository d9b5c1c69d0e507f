using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Trading.Workflow.Web.BrowserTests.Infrastructure;

/// <summary>
/// The real app on Kestrel (a free port, a fresh temporary data folder with the demo accounts) and Debian's Chromium
/// driven by Playwright. One per test class.
/// </summary>
public sealed class InboxBrowserApp : IAsyncLifetime
{
    public const string DemoPassword = "Demo@2026";

    private readonly AppFactory _factory = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public string BaseUrl { get; private set; } = string.Empty;

    public IServiceProvider Services => _factory.Services;

    public async Task InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A new browser context signed in as the demo user, in Chinese (the default) or English.</summary>
    public async Task<IPage> SignedInPageAsync(string userName, string culture = "zh-CN")
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        if (culture != "zh-CN")
        {
            await page.GotoAsync($"/culture/set?culture={culture}&redirectUri=/");
        }

        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", DemoPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class AppFactory : WebApplicationFactory<Program>
    {
        public string DataFolder { get; } = Directory.CreateTempSubdirectory("tw-browser-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Storage:DataFolder", DataFolder);
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A log file may still be flushing; the temp folder is cleaned by the OS.
            }
        }
    }
}
