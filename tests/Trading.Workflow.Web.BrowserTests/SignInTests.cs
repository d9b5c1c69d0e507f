using Microsoft.Playwright;

namespace Trading.Workflow.Web.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserApp app)
{
    [Theory]
    [InlineData("admin", "流程管理员", "Administrator")]
    [InlineData("staff", "交易中心工作人员", "Staff")]
    [InlineData("supervisor", "监管人员", "Supervisor")]
    [InlineData("tenderee", "招标人/采购人/出让人", null)]
    [InlineData("bidder", "投标人/供应商/竞买人", null)]
    [InlineData("expert", "评标专家", null)]
    public async Task DemoAccount_SignsIn_AndSeesItsOwnNavigation(string userName, string roleName, string? roleMenu)
    {
        var page = await app.NewPageAsync();

        await page.SignInAndWaitAsync(userName);

        var header = await page.Locator("[data-testid=current-user]").InnerTextAsync();
        // Greeted by the demo account's display name (演示…), the user name on hover.
        Assert.Contains("演示", header, StringComparison.Ordinal);
        Assert.Equal(userName, await page.Locator("[data-testid=current-user-name]").GetAttributeAsync("title"));
        Assert.Contains(roleName, header, StringComparison.Ordinal);
        var roleMenus = await page.Locator(".tw-nav [data-role]").EvaluateAllAsync<string[]>("items => items.map(i => i.getAttribute('data-role'))");
        Assert.Equal(roleMenu is null ? [] : [roleMenu], roleMenus);
        Assert.Equal(userName == "admin" ? 1 : 0, await page.Locator(".tw-nav a[href='/admin/users']").CountAsync());
        Assert.Equal(1, await page.Locator(".tw-nav a[href='/account']").CountAsync());
    }

    [Fact]
    public async Task WrongPassword_ShowsClearChineseMessage()
    {
        var page = await app.NewPageAsync();

        await page.SignInAsync("staff", "Wrong@2026");

        Assert.Equal("用户名或密码错误，请重新输入。", await page.Locator("[data-testid=login-error]").InnerTextAsync());
        Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Account_AfterConfiguredFailures_IsLocked()
    {
        var page = await app.NewPageAsync();
        for (var attempt = 0; attempt < BrowserApp.MaxFailedAttempts; attempt++)
        {
            await page.SignInAsync(BrowserApp.LockoutUser, "Wrong@2026");
            await page.Locator("[data-testid=login-error]").WaitForAsync();
        }

        await page.SignInAsync(BrowserApp.LockoutUser, BrowserApp.DemoPassword);

        Assert.Contains("该账户已被锁定", await page.Locator("[data-testid=login-error]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_ReturnsToPublicHome()
    {
        var page = await app.NewPageAsync();
        await page.SignInAndWaitAsync("tenderee");

        await page.ClickAsync("[data-testid=sign-out]");

        await page.Locator("[data-testid=home-sign-in]").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=current-user]").CountAsync());
    }
}
