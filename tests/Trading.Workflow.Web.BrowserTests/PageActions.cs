using Microsoft.Playwright;

namespace Trading.Workflow.Web.BrowserTests;

public static class PageActions
{
    public static async Task SignInAsync(this IPage page, string userName, string password = BrowserApp.DemoPassword)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#username", userName);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=login-submit]");
    }

    public static async Task SignInAndWaitAsync(this IPage page, string userName, string password = BrowserApp.DemoPassword)
    {
        await page.SignInAsync(userName, password);
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.WaitForCircuitAsync();
    }

    /// <summary>Waits until the interactive circuit has rendered, so clicks reach .NET handlers.</summary>
    public static Task WaitForCircuitAsync(this IPage page) =>
        page.Locator("[data-testid=circuit-ready]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
}
