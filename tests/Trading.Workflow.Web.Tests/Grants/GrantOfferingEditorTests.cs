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

    // What blazor.web.js hands the server for a datetime-local input: the browser's minutes with ":00" appended.
    private static readonly (string Deadline, string Opens, string Ends) BrowserDates = ("2027-03-10T17:00:00", "2027-03-01T09:00:00", "2027-03-12T10:30:00");

    private static DateTimeOffset China(int month, int day, int hour, int minute) => new(2027, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private async Task<(GrantsWeb Web, GrantActor Actor)> SignInGrantorAsync(IServiceScope scope)
    {
        var web = scope.ServiceProvider.GetRequiredService<GrantsWeb>();
        Services.AddSingleton(web);
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("grantor"))!;
        var grantor = SignIn("grantor", PlatformRoles.Tenderee);
        grantor.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, user.CentreId!.Value.ToString()));
        RenderProviders();
        return (web, new GrantActor("grantor", user.Id, [PlatformRoles.Tenderee], user.CentreId));
    }

    [Fact]
    public async Task NewOffering_DatesAsTheBrowserSendsThem_WithSeconds_AreSaved()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var (web, _) = await SignInGrantorAsync(scope);

        var cut = Render<GrantOfferingEditor>(p => p.Add(c => c.TradeType, TradeTypes.MineralRights));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=grant-title]")));
        Input(cut, "grant-title").Change("演示县 2027-01 号采矿权");
        Input(cut, "grant-location").Change("演示县某乡");
        Input(cut, "grant-area").Change("0.5");
        Input(cut, "grant-use").Change("建筑石料用灰岩");
        Input(cut, "grant-mineral").Change("石灰岩");
        Input(cut, "grant-start").Input("1000000");
        Input(cut, "grant-increment").Input("10000");
        Input(cut, "grant-deposit").Input("200000");
        Input(cut, "grant-deadline").Change(BrowserDates.Deadline);
        Input(cut, "grant-opens").Change(BrowserDates.Opens);
        Input(cut, "grant-ends").Change(BrowserDates.Ends);
        cut.Find("button[data-testid=grant-save], [data-testid=grant-save] button").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Contains("/grants/", navigation.Uri, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=grant-error]"));
        var saved = (await web.Grants.GetAsync(Guid.Parse(navigation.Uri[(navigation.Uri.LastIndexOf('/') + 1)..])))!;
        Assert.Equal(China(3, 10, 17, 0), saved.ApplicationDeadline);
        Assert.Equal(China(3, 1, 9, 0), saved.BiddingOpens);
        Assert.Equal(China(3, 12, 10, 30), saved.BiddingEnds);
    }

    [Fact]
    public async Task Amounts_AreShownWithSeparatorsUnderTheFields_AsTheNoticePrintsThem()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        await SignInGrantorAsync(scope);

        // 50000000 or 5000000? Typed without separators (the 2026-12-06 walk), the amount is read back under the field
        // as it is typed, before the field loses focus.
        var cut = Render<GrantOfferingEditor>(p => p.Add(c => c.TradeType, TradeTypes.LandRights));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=grant-start]")));
        Assert.DoesNotContain("¥", cut.Markup, StringComparison.Ordinal);
        Input(cut, "grant-start").Input("50000000");
        Input(cut, "grant-increment").Input("500000");
        Input(cut, "grant-deposit").Input("10000000");

        // Each input re-renders on its own: wait for all three (a loaded runner read the increment's before it came).
        cut.WaitForAssertion(() =>
        {
            var helpers = cut.FindAll(".mud-input-helper-text").Select(h => h.TextContent.Trim()).ToList();
            Assert.Contains("¥50,000,000.00", helpers);
            Assert.Contains("¥500,000.00", helpers);
            Assert.Contains("¥10,000,000.00", helpers);
        });
    }

    [Fact]
    public async Task EditedOffering_OneDateChangedAsTheBrowserSendsIt_IsSaved()
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var (web, actor) = await SignInGrantorAsync(scope);
        var draft = (await web.Grants.ListAsync(actor, TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft);

        var cut = Render<GrantOfferingEditor>(p => p.Add(c => c.TradeType, TradeTypes.LandRights).Add(c => c.Offering, draft));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=grant-ends]")));
        var ends = draft.BiddingEnds.ToOffset(TimeSpan.FromHours(8)).AddHours(1);
        Input(cut, "grant-ends").Change(ends.ToString("yyyy-MM-dd'T'HH:mm':00'", System.Globalization.CultureInfo.InvariantCulture));
        cut.Find("button[data-testid=grant-save], [data-testid=grant-save] button").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith($"/grants/{draft.Id}", navigation.Uri, StringComparison.Ordinal));
        var saved = (await web.Grants.GetAsync(draft.Id))!;
        Assert.Equal(ends, saved.BiddingEnds);
        Assert.Equal(draft.BiddingOpens, saved.BiddingOpens);
        Assert.Equal(draft.ApplicationDeadline, saved.ApplicationDeadline);
    }

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
