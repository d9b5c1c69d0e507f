using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Centres;
using Trading.Workflow.Web.Components.Pages.Account;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Accounts;

/// <summary>
/// /account on the platform's demo data: the account's facts, the three password fields marked required, a confirmation
/// that differs from the new password refused in the user's language with the password unchanged, then a matching one
/// accepted.
/// </summary>
public sealed class MyAccountPageTests : PlatformComponentTest
{
    [Fact]
    public async Task ChangePassword_MarksEveryFieldRequired_AndRefusesAMismatchedConfirmation_ChangingNothing_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Services.AddSingleton(users);
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<ICentreDirectory>());
        var account = (await users.FindByNameAsync("bidder"))!;
        var hash = account.PasswordHash;
        var user = SignIn("bidder", PlatformRoles.Bidder);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, account.Id));
        RenderProviders();

        var zh = Render<MyAccount>();
        zh.WaitForAssertion(() => Assert.Contains("bidder", zh.Find("[data-testid=my-account]").TextContent, StringComparison.Ordinal));
        foreach (var name in new[] { "current", "new", "confirm" })
        {
            var input = zh.Find($"input[name={name}]");
            Assert.True(input.HasAttribute("required"), $"{name} is not marked required");
            // MudBlazor draws the label's "*" from this class.
            Assert.True(input.Closest(".mud-input-control")!.ClassList.Contains("mud-input-required"), $"{name} shows no required mark");
        }

        Refused(zh, "两次输入的新密码不一致。");
        await AssertUnchangedAsync(factory, hash);

        Culture("en");
        var en = Render<MyAccount>();
        en.WaitForAssertion(() => Assert.NotEmpty(en.FindAll("[data-testid=my-account]")));
        Refused(en, "The new passwords do not match.");
        await AssertUnchangedAsync(factory, hash);

        // The same form with the confirmation retyped to match: the change goes through.
        en.Find("input[data-testid=confirm-password]").Input("Neues@2027pw");
        en.Find("button[data-testid=change-password]").Click();
        en.WaitForAssertion(() => Assert.Equal("Your password was changed.", en.Find("[data-testid=password-changed]").TextContent.Trim()));
        using var check = factory.Services.CreateScope();
        var manager = check.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await manager.CheckPasswordAsync((await manager.FindByNameAsync("bidder"))!, "Neues@2027pw"));
    }

    private static void Refused(IRenderedComponent<MyAccount> page, string message)
    {
        page.Find("input[data-testid=current-password]").Input("Demo@2026");
        page.Find("input[data-testid=new-password]").Input("Neues@2027pw");
        page.Find("input[data-testid=confirm-password]").Input("Neues@2027px");
        page.Find("button[data-testid=change-password]").Click();
        page.WaitForAssertion(() => Assert.Contains(message, page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=password-changed]"));
    }

    private static async Task AssertUnchangedAsync(PlatformFactory factory, string? hash)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var account = (await users.FindByNameAsync("bidder"))!;
        Assert.Equal(hash, account.PasswordHash);
        Assert.True(await users.CheckPasswordAsync(account, "Demo@2026"));
    }
}
