using Microsoft.Playwright;

namespace Trading.Workflow.Web.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class AdministrationTests(BrowserApp app)
{
    [Fact]
    public async Task Administrator_CreatesUser_WhoCanThenSignIn()
    {
        var admin = await app.NewPageAsync();
        await admin.SignInAndWaitAsync("admin");
        await admin.GotoAsync("/admin/users");
        await admin.WaitForCircuitAsync();

        await admin.ClickAsync("[data-testid=user-create]");
        var dialog = admin.Locator("[data-testid=user-dialog]");
        await dialog.Locator("input[name=userName]").FillAsync("new.supplier");
        await dialog.Locator("input[name=displayName]").FillAsync("新供应商");
        await dialog.Locator("input[name=password]").FillAsync("Supplier@2026");
        await dialog.GetByText("投标人/供应商/竞买人", new() { Exact = true }).ClickAsync();
        await dialog.Locator("[data-testid=user-dialog-save]").ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        // More demo accounts than one page holds (the expert pool): the administrator searches for the new one.
        await admin.Locator("input[name=search]").FillAsync("new.supplier");
        await admin.Locator("[data-testid=user-search-button]").ClickAsync();
        await admin.Locator("[data-testid=users-grid]").GetByText("new.supplier").WaitForAsync();

        var user = await app.NewPageAsync();
        await user.SignInAndWaitAsync("new.supplier", "Supplier@2026");
        Assert.Contains("投标人/供应商/竞买人", await user.Locator("[data-testid=current-user]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_CreatingUserWithShortPassword_SeesChinesePolicyMessage()
    {
        var admin = await app.NewPageAsync();
        await admin.SignInAndWaitAsync("admin");
        await admin.GotoAsync("/admin/users");
        await admin.WaitForCircuitAsync();

        await admin.ClickAsync("[data-testid=user-create]");
        var dialog = admin.Locator("[data-testid=user-dialog]");
        await dialog.Locator("input[name=userName]").FillAsync("weak.user");
        await dialog.Locator("input[name=password]").FillAsync("short");
        await dialog.GetByText("评标专家", new() { Exact = true }).ClickAsync();
        await dialog.Locator("[data-testid=user-dialog-save]").ClickAsync();

        var errors = await dialog.Locator("[data-testid=form-errors]").InnerTextAsync();
        Assert.Contains("密码至少需要 8 个字符", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_LocksAccount_WhichThenCannotSignIn()
    {
        var admin = await app.NewPageAsync();
        await admin.SignInAndWaitAsync("admin");
        await admin.GotoAsync("/admin/users");
        await admin.WaitForCircuitAsync();

        var row = admin.Locator($"[data-user='{BrowserApp.AdminLockUser}']");
        await row.GetByText("锁定", new() { Exact = true }).ClickAsync();
        await row.GetByText("解锁", new() { Exact = true }).WaitForAsync();

        var user = await app.NewPageAsync();
        await user.SignInAsync(BrowserApp.AdminLockUser);
        Assert.Contains("该账户已被锁定", await user.Locator("[data-testid=login-error]").InnerTextAsync(), StringComparison.Ordinal);
    }
}
