using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using MudBlazor;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Components.Pages.Admin;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Accounts;

/// <summary>
/// The user dialog against the real administration service and database: validation as the administrator types,
/// the role/centre rule as roles are picked, and what saving does.
/// </summary>
public sealed class UserDialogTests(UserAdministrationTests.Fixture fixture)
    : UserAdministrationComponentTest(fixture), IClassFixture<UserAdministrationTests.Fixture>
{

    private static IElement RoleBox(IRenderedComponent<MudDialogProvider> provider, string role)
    {
        var marked = provider.Find($"[data-role={role}]");
        return marked.TagName == "INPUT" ? marked : marked.QuerySelector("input[type=checkbox]")!;
    }

    private static Task SaveAsync(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("[data-testid=user-dialog-save]").ClickAsync(new());

    [Fact]
    public async Task UserName_ClearedWhileTyping_SaysItIsRequiredInChinese()
    {
        var (_, provider) = await ShowDialogAsync<UserDialog>();

        provider.Find("input[name=userName]").Input("a");
        provider.Find("input[name=userName]").Input(string.Empty);

        provider.WaitForAssertion(() => Assert.Contains("请填写用户名。", provider.Find("[data-testid=user-dialog]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Password_ClearedWhileTyping_SaysItIsRequiredInEnglish()
    {
        Culture("en");
        var (_, provider) = await ShowDialogAsync<UserDialog>();

        provider.Find("input[name=password]").Input("x");
        provider.Find("input[name=password]").Input(string.Empty);

        provider.WaitForAssertion(() => Assert.Contains("Enter a password.", provider.Find("[data-testid=user-dialog]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("请填写", provider.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CentreRole_PickedWithoutCentre_SaysTheCentreIsRequired()
    {
        var (_, provider) = await ShowDialogAsync<UserDialog>();

        RoleBox(provider, PlatformRoles.Staff).Change(true);

        provider.WaitForAssertion(() => Assert.Equal("流程管理员、交易中心工作人员和招标人账户必须归属一个交易中心。", provider.Find("[data-testid=assignment-error]").TextContent));
    }

    [Fact]
    public async Task ProvinceWideAndCentreRoles_PickedTogether_InEnglish_SaysTheyCannotBeMixed()
    {
        Culture("en");
        var (_, provider) = await ShowDialogAsync<UserDialog>();

        RoleBox(provider, PlatformRoles.Bidder).Change(true);
        // The checkbox hands the change over asynchronously: wait until it shows ticked before looking for no error.
        provider.WaitForAssertion(() => Assert.True(RoleBox(provider, PlatformRoles.Bidder).IsChecked()));
        Assert.Empty(provider.FindAll("[data-testid=assignment-error]"));
        RoleBox(provider, PlatformRoles.Tenderee).Change(true);

        provider.WaitForAssertion(() => Assert.StartsWith("Province-wide roles", provider.Find("[data-testid=assignment-error]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Save_WithNothingFilledIn_ShowsEveryProblemAndCreatesNothing()
    {
        var (dialog, provider) = await ShowDialogAsync<UserDialog>();

        await SaveAsync(provider);

        var text = provider.Find("[data-testid=user-dialog]").TextContent;
        Assert.Contains("请填写用户名。", text, StringComparison.Ordinal);
        Assert.Contains("请填写密码。", text, StringComparison.Ordinal);
        Assert.Equal("请至少选择一个角色。", provider.Find("[data-testid=assignment-error]").TextContent);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Save_WithShortPassword_ShowsThePolicyFromTheServerAndStaysOpen()
    {
        var (dialog, provider) = await ShowDialogAsync<UserDialog>();
        provider.Find("input[name=userName]").Input("dialog.weak");
        provider.Find("input[name=password]").Input("short");
        RoleBox(provider, PlatformRoles.Expert).Change(true);

        await SaveAsync(provider);

        provider.WaitForAssertion(() => Assert.Contains("密码至少需要 8 个字符。", provider.Find("[data-testid=form-errors]").TextContent, StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
        Assert.Null(await Users.FindByNameAsync("dialog.weak"));
    }

    [Fact]
    public async Task Save_WithValidBidder_CreatesTheAccountAndClosesWithOk()
    {
        var (dialog, provider) = await ShowDialogAsync<UserDialog>();
        provider.Find("input[name=userName]").Input("dialog.bidder");
        provider.Find("input[name=displayName]").Input("对话框投标人");
        provider.Find("input[name=password]").Input("Dialog@2026");
        RoleBox(provider, PlatformRoles.Bidder).Change(true);

        await SaveAsync(provider);

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result!.Canceled);
        var user = await Users.FindByNameAsync("dialog.bidder");
        Assert.Equal("对话框投标人", user!.DisplayName);
        Assert.Equal([PlatformRoles.Bidder], await Users.GetRolesAsync(user));
    }

    [Fact]
    public async Task Edit_ShowsTheAccountsRolesAndSavesANewOne()
    {
        var admin = Scope.ServiceProvider.GetRequiredService<UserAdministration>();
        await admin.CreateAsync(new NewUserInput { UserName = "dialog.expert", Password = "Expert@2026", Roles = [PlatformRoles.Expert] });
        var row = (await admin.PageAsync(new UserQuery("dialog.expert"), english: false)).Rows.Single();
        var (dialog, provider) = await ShowDialogAsync(new DialogParameters<UserDialog> { { d => d.Existing, row } });

        Assert.Empty(provider.FindAll("input[name=userName]"));
        Assert.True(RoleBox(provider, PlatformRoles.Expert).IsChecked());
        Assert.False(RoleBox(provider, PlatformRoles.Bidder).IsChecked());
        RoleBox(provider, PlatformRoles.Bidder).Change(true);
        await SaveAsync(provider);

        Assert.False((await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Canceled);
        Assert.Equal([PlatformRoles.Bidder, PlatformRoles.Expert], (await Users.GetRolesAsync((await Users.FindByNameAsync("dialog.expert"))!)).Order());
    }

    [Fact]
    public async Task Edit_RolesChangedWhileTheCentresStillLoad_AreKeptWhenTheyArrive()
    {
        var admin = Scope.ServiceProvider.GetRequiredService<UserAdministration>();
        await admin.CreateAsync(new NewUserInput { UserName = "dialog.slow", Password = "Expert@2026", Roles = [PlatformRoles.Expert] });
        var row = (await admin.PageAsync(new UserQuery("dialog.slow"), english: false)).Rows.Single();
        var centres = new HeldQuery("TradingCentres");
        var options = new DbContextOptionsBuilder<AppDbContext>(Scope.ServiceProvider.GetRequiredService<DbContextOptions<AppDbContext>>()).AddInterceptors(centres).Options;
        await using var db = new AppDbContext(options);
        Services.AddSingleton(new UserAdministration(db, Users, TimeProvider.System, Scope.ServiceProvider.GetRequiredService<IStringLocalizer<SharedResource>>(),
            Scope.ServiceProvider.GetRequiredService<AccountSessions>(), Scope.ServiceProvider.GetRequiredService<ILogger<UserAdministration>>()));
        var (_, provider) = await ShowDialogAsync(new DialogParameters<UserDialog> { { d => d.Existing, row } });

        // The dialog is live before the centres arrive: the administrator swaps the expert role for the bidder's.
        RoleBox(provider, PlatformRoles.Expert).Change(false);
        RoleBox(provider, PlatformRoles.Bidder).Change(true);
        provider.WaitForAssertion(() => Assert.True(RoleBox(provider, PlatformRoles.Bidder).IsChecked()));
        var form = provider.FindComponent<UserDialog>();
        var renders = form.RenderCount;
        centres.Release();

        form.WaitForState(() => form.RenderCount > renders);
        Assert.False(RoleBox(provider, PlatformRoles.Expert).IsChecked());
        Assert.True(RoleBox(provider, PlatformRoles.Bidder).IsChecked());
    }
}
