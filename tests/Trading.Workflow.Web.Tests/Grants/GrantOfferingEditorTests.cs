using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// The grantor's offering form on the running app (its demo grantor and draft land listing): the price cap and the
/// allowed multiples typed on the form are saved with the offering, and what the domain refuses is said on the form.
/// </summary>
public sealed class GrantOfferingEditorTests : PlatformComponentTest
{
    private static IElement Input(IRenderedComponent<GrantOfferingEditor> cut, string testId) =>
        cut.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    [Fact]
    public async Task Editor_SavesTheCapAndTheMultiples_AndSaysWhatIsRefused()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var web = scope.ServiceProvider.GetRequiredService<GrantsWeb>();
        Services.AddSingleton(web);
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("grantor"))!;
        var grantor = SignIn("grantor", PlatformRoles.Tenderee);
        grantor.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, user.CentreId!.Value.ToString()));
        RenderProviders();
        var actor = new GrantActor("grantor", user.Id, [PlatformRoles.Tenderee], user.CentreId);
        var draft = (await web.Grants.ListAsync(actor, TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);

        var cut = Render<GrantOfferingEditor>(p => p.Add(c => c.TradeType, TradeTypes.LandRights).Add(c => c.Offering, draft));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=grant-cap]")));
        Input(cut, "grant-cap").Change("75000000");
        Input(cut, "grant-multiples").Change("1, 2，3、5 10");
        cut.Find("button[data-testid=grant-save], [data-testid=grant-save] button").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith($"/grants/{draft.Id}", navigation.Uri, StringComparison.Ordinal));
        var saved = (await web.Grants.GetAsync(draft.Id))!;
        Assert.Equal(75_000_000m, saved.PriceCap);
        Assert.Equal([1, 2, 3, 5, 10], saved.AllowedMultiples);

        // Opened again: the terms are filled in; a cap at the start price and a word among the multiples are said plainly.
        cut = Render<GrantOfferingEditor>(p => p.Add(c => c.TradeType, TradeTypes.LandRights).Add(c => c.Offering, saved));
        cut.WaitForAssertion(() => Assert.Equal("1, 2, 3, 5, 10", Input(cut, "grant-multiples").GetAttribute("value")));
        Input(cut, "grant-multiples").Change("1,两");
        cut.Find("button[data-testid=grant-save], [data-testid=grant-save] button").Click();
        cut.WaitForAssertion(() => Assert.Equal("加价倍数请填写以逗号分隔的整数，如 1,2,5。", cut.Find("[data-testid=grant-error]").TextContent.Trim()));

        Input(cut, "grant-multiples").Change("1,2");
        Input(cut, "grant-cap").Change(saved.StartPrice.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cut.Find("button[data-testid=grant-save], [data-testid=grant-save] button").Click();
        cut.WaitForAssertion(() => Assert.Contains($"最高限价须高于起始价 {GrantsWeb.Money(saved.StartPrice)}", cut.Find("[data-testid=grant-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal(75_000_000m, (await web.Grants.GetAsync(draft.Id))!.PriceCap);
    }
}
