using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Components.Pages.Admin;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Accounts;

/// <summary>The reset-password dialog against the real administration service and database.</summary>
public sealed class ResetPasswordDialogTests(UserAdministrationTests.Fixture fixture)
    : UserAdministrationComponentTest(fixture), IClassFixture<UserAdministrationTests.Fixture>
{

    private async Task<AppUser> CreateAsync(string userName)
    {
        await Scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(new NewUserInput { UserName = userName, Password = "First@2026", Roles = [PlatformRoles.Bidder] });
        return (await Users.FindByNameAsync(userName))!;
    }

    private Task<(IDialogReference Dialog, IRenderedComponent<MudDialogProvider> Provider)> ShowForAsync(AppUser user) =>
        ShowDialogAsync(new DialogParameters<ResetPasswordDialog> { { d => d.UserId, user.Id } });

    [Fact]
    public async Task Reset_WithEmptyPassword_SaysItIsRequiredAndKeepsTheOldOne()
    {
        var user = await CreateAsync("reset.empty");
        var (dialog, provider) = await ShowForAsync(user);

        await provider.Find("[data-testid=reset-save]").ClickAsync(new());

        Assert.Contains("请填写密码。", provider.Find("[data-testid=reset-dialog]").TextContent, StringComparison.Ordinal);
        Assert.False(dialog.Result.IsCompleted);
        Assert.True(await Users.CheckPasswordAsync((await Users.FindByIdAsync(user.Id))!, "First@2026"));
    }

    [Fact]
    public async Task Reset_WithWeakPassword_InEnglish_ShowsThePolicyAndStaysOpen()
    {
        Culture("en");
        var user = await CreateAsync("reset.weak");
        var (dialog, provider) = await ShowForAsync(user);

        provider.Find("input[name=newPassword]").Input("abc");
        await provider.Find("[data-testid=reset-save]").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Contains("Passwords need at least 8 characters.", provider.Find("[data-testid=form-errors]").TextContent, StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task Reset_WithGoodPassword_ClosesWithOkAndTheNewPasswordWorks()
    {
        var user = await CreateAsync("reset.good");
        var (dialog, provider) = await ShowForAsync(user);

        provider.Find("input[name=newPassword]").Input("Second@2026");
        await provider.Find("[data-testid=reset-save]").ClickAsync(new());

        Assert.False((await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10)))!.Canceled);
        Assert.True(await Users.CheckPasswordAsync((await Users.FindByIdAsync(user.Id))!, "Second@2026"));
    }
}
