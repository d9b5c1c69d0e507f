using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Grants;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.Grants;

/// <summary>
/// The demo land listing in real Chromium, up to the room's door: the grantor submits it with the confidential reserve on
/// the demo schedule, staff publish the notice from the task, a bidder applies and pays through the mock bank, staff
/// confirm its eligibility and the bidder gets its number and the way into the room (the room's own browser tests are
/// the bidding part's). Staff, who confirm the eligibility, never see the number behind the applicant before the result.
/// </summary>
public sealed class LandListingBrowserTests : IClassFixture<BrowserApp>
{
    private readonly BrowserApp _app;

    public LandListingBrowserTests(BrowserApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(20_000);
    }

    [Fact]
    public async Task DemoLandListing_SubmittedAnnouncedAppliedPaidAndApproved_BidderGetsItsNumberAndTheRoom()
    {
        Guid offeringId;
        await using (var db = _app.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            offeringId = (await db.Set<GrantOffering>().AsNoTracking().SingleAsync(o => o.Title == GrantsDemoData.LandTitle)).Id;
        }

        // The grantor sees its draft and submits it with the reserve on the demo schedule.
        var grantor = await _app.SignInAsync("grantor");
        await grantor.GotoAsync("/land-rights");
        await Expect(grantor.Locator("[data-testid=grant-row]").Filter(new() { HasText = GrantsDemoData.LandTitle })).ToHaveCountAsync(1);
        await grantor.GotoAsync($"/grants/{offeringId}");
        await grantor.WaitForCircuitAsync();
        await grantor.FillAsync("input[data-testid=grant-reserve], [data-testid=grant-reserve] input", "52000000");
        await grantor.Locator("input[data-testid=grant-demo], [data-testid=grant-demo] input").First.CheckAsync(new() { Force = true });
        await grantor.ClickAsync("[data-testid=grant-submit]");
        await Expect(grantor.Locator("[data-testid=grant-stage]")).ToContainTextAsync("待审核发布公告");

        // Staff publish the notice from the review task.
        Guid taskId;
        {
            using var scope = _app.Services.CreateScope();
            var offering = await scope.ServiceProvider.GetRequiredService<GrantService>().GetAsync(offeringId);
            var engine = _app.Services.GetRequiredService<IWorkflowEngine>();
            var tasks = await engine.GetTasksAsync(new TaskQuery { BusinessKey = offering!.ProjectCode });
            taskId = tasks.Single(t => t.ElementId == "reviewOffering").Id;
        }

        var staff = await _app.SignInAsync("staff");
        await staff.GotoAsync($"/inbox/tasks/{taskId}");
        await staff.WaitForCircuitAsync();
        var claim = staff.Locator("[data-testid=task-claim]");
        if (await claim.CountAsync() > 0)
        {
            await claim.ClickAsync();
        }

        await Expect(staff.Locator("[data-testid=grant-review]")).ToBeVisibleAsync();

        await staff.ClickAsync("[data-testid=grant-publish]");
        await staff.GotoAsync($"/grants/{offeringId}");
        await Expect(staff.Locator("[data-testid=grant-stage]")).ToContainTextAsync("已公告");

        // The bidder applies and pays its deposit through the bank's signed callback (the mock bank).
        var bidder = await _app.SignInAsync("bidder");
        await bidder.GotoAsync($"/grants/{offeringId}");
        await bidder.WaitForCircuitAsync();
        await bidder.ClickAsync("[data-testid=grant-apply]");
        var subAccount = bidder.Locator("[data-testid=grant-sub-account]");
        await Expect(subAccount).ToBeVisibleAsync();
        string account;
        Guid entityId;
        await using (var db = _app.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            var offering = await db.Set<GrantOffering>().AsNoTracking().SingleAsync(o => o.Id == offeringId);
            var row = await db.Set<DepositAccount>().AsNoTracking().SingleAsync(a => a.SectionId == offering.SectionId);
            (account, entityId) = (row.Number, row.EntityId);
        }

        var basic = (await _app.Services.GetRequiredService<IBasicAccountLookup>().FindAsync(entityId, CancellationToken.None))!;
        using (var http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) })
        using (var response = await _app.Services.GetRequiredService<MockBank>().SendDepositAsync(http,
                   new BankDeposit("MOCK-GRANT-1", 10_000_000m, basic.AccountName, basic.AccountNumber, basic.Bank, account, DateTimeOffset.UtcNow), CancellationToken.None))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        // Staff confirm the eligibility; the bidder has its number and the room.
        await staff.GotoAsync($"/grants/{offeringId}");
        await staff.WaitForCircuitAsync();
        await Expect(staff.Locator("[data-testid=grant-application]")).ToHaveCountAsync(1);
        await staff.ClickAsync("[data-testid=grant-approve]");
        await Expect(staff.Locator("[data-testid=grant-info]")).ToBeVisibleAsync();

        await bidder.GotoAsync($"/grants/{offeringId}");
        await Expect(bidder.Locator("[data-testid=grant-bidder-number]")).ToContainTextAsync("竞买号");
        await Expect(bidder.Locator("[data-testid=grant-room]")).ToBeVisibleAsync();

        // The number hides the bidder until the result: staff see the approved applicant, never the number it bids under.
        var number = await BidderNumberAsync(offeringId);
        Assert.Contains(number.ToString(System.Globalization.CultureInfo.InvariantCulture), await bidder.Locator("[data-testid=grant-bidder-number]").TextContentAsync() ?? string.Empty, StringComparison.Ordinal);
        await staff.GotoAsync($"/grants/{offeringId}");
        var application = staff.Locator("[data-testid=grant-application]");
        await Expect(application).ToContainTextAsync("资格已确认");
        Assert.DoesNotContain($" · {number}", await application.TextContentAsync() ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain($"竞买号 {number}", await staff.ContentAsync(), StringComparison.Ordinal);

        // The admitted bidder's deposit stays until the close (the 2026-12-03 walk refunded it mid-sale): staff's 退还 and
        // 全部退还 are disabled with the reason, and the arrival shows in Beijing time like every other page.
        Guid sectionId;
        DateTimeOffset arrived;
        await using (var db = _app.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            sectionId = (await db.Set<GrantOffering>().AsNoTracking().SingleAsync(o => o.Id == offeringId)).SectionId;
            arrived = (await db.Set<BankPayment>().AsNoTracking().SingleAsync(p => p.SectionId == sectionId)).ReceivedAt;
        }

        await staff.GotoAsync($"/deposits/sections/{sectionId}");
        await Expect(staff.Locator("[data-testid=refund]")).ToBeDisabledAsync();
        await Expect(staff.Locator("[data-testid=refund-held]")).ToContainTextAsync("竞价尚未结束");
        await Expect(staff.Locator("[data-testid=refund-all]")).ToBeDisabledAsync();
        await Expect(staff.Locator("[data-testid=payment-received-at]")).ToHaveTextAsync(Trading.Workflow.Web.Forms.FormValues.FormatTime(arrived));
        if (Environment.GetEnvironmentVariable("TRADING_TEST_SCREENSHOTS") is { Length: > 0 } folder)
        {
            await staff.ScreenshotAsync(new() { Path = Path.Combine(folder, "deposit-section-held.png"), FullPage = true });
        }
    }

    private async Task<int> BidderNumberAsync(Guid offeringId)
    {
        await using var db = _app.Services.GetRequiredService<ITradingDatabase>().Create();
        return (await db.Set<GrantApplication>().AsNoTracking().SingleAsync(a => a.OfferingId == offeringId)).BidderNumber!.Value;
    }
}
