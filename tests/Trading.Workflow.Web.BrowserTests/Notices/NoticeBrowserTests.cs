using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.Notices;

/// <summary>
/// A notice from draft to the public portal in real Chromium: the demo tenderee drafts it for its demo project and
/// submits it, the centre's staff claim and approve it in their inbox, and a visitor who never signs in finds it on
/// the portal by a two-character Chinese word and opens it.
/// </summary>
public sealed class NoticeBrowserTests : IClassFixture<BrowserApp>
{
    private readonly BrowserApp _app;

    public NoticeBrowserTests(BrowserApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(20_000);
    }

    [Fact]
    public async Task A_drafted_notice_is_reviewed_in_the_staff_inbox_published_and_found_by_a_Chinese_search_without_signing_in()
    {
        var marker = Guid.NewGuid().ToString("N")[..6];
        var title = $"演示市第一中学校园道路改造施工招标公告{marker}";
        var projectName = await RegisterProjectAsync($"演示市第一中学教学楼新建工程{marker}");

        // The tenderee drafts and submits.
        var tenderee = await _app.SignInAsync("tenderee");
        await tenderee.GotoAsync("/notices/new");
        await tenderee.WaitForCircuitAsync();
        await tenderee.Locator("[data-testid=notice-project]").ClickAsync();
        await tenderee.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = projectName }).ClickAsync();
        await tenderee.FillAsync("#notice-title", title);
        await tenderee.FillAsync("#notice-body", "<p>本工程含校园道路改造及排水，现公开招标。</p><script>alert('x')</script>");
        await tenderee.Locator("[data-testid=notice-submit]").ClickAsync();
        await tenderee.WaitForURLAsync(url => url.EndsWith("/notices", StringComparison.Ordinal));
        var row = tenderee.Locator("tr", new() { Has = tenderee.Locator("[data-testid=my-notice-link]", new() { HasTextString = title }) });
        await Expect(row.Locator("[data-testid=my-notice-state]")).ToHaveTextAsync("审核中");

        // The centre's staff claim the review in their inbox and approve it.
        var staff = await _app.SignInAsync("staff");
        await staff.GotoAsync("/inbox?tab=Group");
        await staff.WaitForCircuitAsync();
        var task = staff.Locator("tr", new() { Has = staff.Locator("[data-testid=task-link]", new() { HasTextString = title }) });
        await task.Locator("[data-testid=claim]").ClickAsync();
        await staff.GotoAsync("/inbox?tab=Mine");
        await staff.WaitForCircuitAsync();
        await staff.Locator("[data-testid=task-link]", new() { HasTextString = title }).ClickAsync();
        await Expect(staff.Locator("[data-testid=review-notice-title]")).ToHaveTextAsync(title);
        await Expect(staff.Locator("[data-testid=review-notice-body]")).Not.ToContainTextAsync("alert");
        await staff.Locator("[data-testid=review-approve]").ClickAsync();
        await staff.WaitForURLAsync(url => url.EndsWith("/inbox", StringComparison.Ordinal));

        // A visitor, never signed in, searches the portal in Chinese and opens the notice.
        var visitor = await _app.NewPageAsync();
        await visitor.GotoAsync("/portal");
        await visitor.WaitForCircuitAsync();
        await visitor.FillAsync("#portal-q", "道路");
        await visitor.Locator("[data-testid=portal-search-button]").ClickAsync();
        await visitor.WaitForURLAsync(url => url.Contains("q=", StringComparison.Ordinal));
        var link = visitor.Locator("[data-testid=portal-notice-link]", new() { HasTextString = title });
        await Expect(link).ToBeVisibleAsync();

        // On a phone the rows are cards (below sm): beside the long title and code each label stays on one line.
        await visitor.SetViewportSizeAsync(390, 900);
        await Expect(link).ToBeVisibleAsync();
        var labels = await visitor.Locator("[data-testid=portal-grid] td.mud-table-cell").EvaluateAllAsync<double[][]>(
            "cells => cells.map(td => { const s = getComputedStyle(td, '::before'); return [parseFloat(s.height) || 0, parseFloat(s.lineHeight) || 0]; })");
        Assert.NotEmpty(labels);
        Assert.All(labels, l => Assert.True(l[0] < 1.5 * l[1], $"a card label {l[0]} px high on a {l[1]} px line"));
        await link.ClickAsync();
        await Expect(visitor.Locator("[data-testid=notice-title]")).ToHaveTextAsync(title);
        await Expect(visitor.Locator("[data-testid=notice-body]")).ToContainTextAsync("校园道路改造");
        Assert.Equal(0, await visitor.Locator("[data-testid=notice-body] script").CountAsync());
        Assert.DoesNotContain("/Account/Login", visitor.Url, StringComparison.Ordinal);
    }

    /// <summary>A registered project of the demo tenderee's verified company in the demo city centre.</summary>
    private async Task<string> RegisterProjectAsync(string name)
    {
        using var scope = _app.Services.CreateScope();
        var tenderee = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync("tenderee")
            ?? throw new InvalidOperationException("no demo tenderee");
        var company = (await scope.ServiceProvider.GetRequiredService<IEntityMembership>().EntitiesOfAsync(tenderee.Id)).First(m => m.IsVerified);
        var code = ProjectCode.Format(DemoDataSeeder.DemoCityCode, TradeTypes.EngineeringConstruction, 2026, Random.Shared.Next(50_000, ProjectCode.MaxSequence));
        var project = Project.Register(code, tenderee.CentreId!.Value, TradeTypes.EngineeringConstruction,
            new ProjectDetails(TradeMethods.OpenTender, name, new PartyRef(company.EntityId, company.Name), null, null, true, "530102", "房屋建筑工程"),
            [new SectionDraft("一标段：教学楼主体结构施工", 8_600_000m)], "tenderee", DateTimeOffset.UtcNow);
        await using var db = _app.Services.GetRequiredService<ITradingDatabase>().Create();
        db.Add(project);
        await db.SaveChangesAsync();
        return name;
    }
}
