using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.Projects;

/// <summary>A tenderee registers a project with two sections and submits it, in real Chromium against the real app.</summary>
public sealed class ProjectBrowserTests : IClassFixture<BrowserApp>
{
    private readonly BrowserApp _app;

    public ProjectBrowserTests(BrowserApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(20_000);
    }

    private static ILocator Field(IPage page, string testId, int index = 0) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").Nth(index);

    private static async Task TypeAsync(IPage page, string testId, string text, int index = 0)
    {
        var field = Field(page, testId, index);
        await field.FillAsync(text);
        await field.PressAsync("Tab");
    }

    /// <summary>The demo tenderee acts for one verified company (registered here unless the demo data has one).</summary>
    private async Task EnsureTendereeCompanyAsync()
    {
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var market = scope.ServiceProvider.GetRequiredService<MarketEntityService>();
        var membership = scope.ServiceProvider.GetRequiredService<IEntityMembership>();
        var tenderee = (await users.FindByNameAsync("tenderee"))!;
        if ((await membership.EntitiesOfAsync(tenderee.Id)).Any(e => e.IsVerified))
        {
            return;
        }

        var staff = (await users.FindByNameAsync("staff"))!;
        var code = "91530100MA6DEMB01" + UnifiedSocialCreditCode.CheckCharacter("91530100MA6DEMB01");
        var profile = EntityProfile.Create(EntityKind.Organisation, "浏览器测试城投公司（演示数据）", code, "王城投", "演示路1号", "530100",
            new BankAccount("演示银行", "浏览器测试城投公司（演示数据）", "6222000000001234"), [], [new Contact("演示招标人", "0871-00000001", null)], market.Today,
            "530100198001010004");
        var entity = await market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor(tenderee.Id));
        await market.ApproveAsync(entity.Id, entity.Version, new MarketActor(staff.Id, staff.CentreId));
    }

    [Fact]
    public async Task Tenderee_RegistersAProjectWithTwoSectionsAndSubmitsIt_TheInboxShowsItsFirstTaskWithItsCode()
    {
        var name = "浏览器测试教学楼工程 " + Guid.NewGuid().ToString("N")[..6];
        await EnsureTendereeCompanyAsync();
        var page = await _app.SignInAsync("tenderee");
        await page.GotoAsync("/projects/new");
        await Expect(page.Locator("[data-testid=project-editor-heading][data-interactive=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=project-form]")).ToBeVisibleAsync();

        // The demo tenderee acts for one verified company: it is the owner already; the type and method default.
        await TypeAsync(page, "project-name", name);
        await TypeAsync(page, "project-region", "530102");
        await TypeAsync(page, "project-industry", "房屋建筑");
        await TypeAsync(page, "section-subject", "一标段：主体结构");
        await TypeAsync(page, "section-price", "5000000");
        await page.ClickAsync("[data-testid=section-add]");
        await TypeAsync(page, "section-subject", "二标段：室外工程", index: 1);
        await TypeAsync(page, "section-price", "1200000", index: 1);
        await Expect(page.Locator("[data-testid=project-total]")).ToContainTextAsync("6,200,000.00");

        await page.ClickAsync("[data-testid=project-submit]");
        var confirm = page.Locator(".mud-dialog .mud-dialog-actions button").Last;
        try
        {
            await confirm.WaitForAsync(new() { Timeout = 20_000 });
        }
        catch (TimeoutException)
        {
            // A fresh clone's run of 2026-12-04 (this test first, on a cold app) got no confirmation: say what the form said.
            var said = await page.Locator(".mud-input-error, .mud-alert").AllInnerTextsAsync();
            var owner = await Field(page, "project-owner").InputValueAsync();
            Assert.Fail($"No confirmation after 提交. Owner field: '{owner}'. The page says: {string.Join(" | ", said)}");
        }

        await confirm.ClickAsync();

        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/projects/[0-9a-f-]{36}$"));
        await Expect(page.Locator("[data-testid=project-state][data-state=Submitted]")).ToBeVisibleAsync();
        var code = (await page.Locator("[data-testid=project-code]").InnerTextAsync()).Trim();
        Assert.Matches(@"^DEMO-CITY-GC-\d{4}-\d{5}$", code);
        await Expect(page.Locator("[data-testid=section-code]")).ToHaveTextAsync([code + "-01", code + "-02"]);

        await page.GotoAsync("/inbox?tab=Group");
        await Expect(page.Locator("[data-testid=inbox-heading][data-interactive=true]")).ToHaveCountAsync(1);
        var filter = page.Locator("[data-testid=filter-project-code] input, input[data-testid=filter-project-code]");
        await filter.FillAsync(code);
        await filter.PressAsync("Tab");

        await Expect(page.Locator("[data-testid=task-project]", new() { HasTextString = code })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=task-project-name]", new() { HasTextString = name })).ToBeVisibleAsync();
        // The demo project's first task has the same name: the filter leaves one row, this project's.
        await Expect(page.Locator("[data-testid=task-link]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=task-link]", new() { HasTextString = "上传招标文件并设定时间" })).ToContainTextAsync(name);
    }
}
