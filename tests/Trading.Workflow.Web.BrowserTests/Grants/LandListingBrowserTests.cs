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
/// The demo land listing in real Chromium from the notice to the published result and the refunds: the grantor submits it
/// with the confidential reserve on the demo schedule (compressed to minutes by the host's <c>Grants:Demo</c> settings),
/// staff publish the notice from the task, two companies apply and pay through the mock bank, staff confirm them (never
/// seeing the numbers they bid under), both bid live in the room, the timed phase decides, the room and the result page
/// show the outcome with the log replay verified, the grantor and the winner sign the 成交确认书 (a PDF), staff publish the
/// result from the task, and the refund timer sends the loser's deposit back, paid through the mock bank.
/// </summary>
public sealed class LandListingBrowserTests : IClassFixture<BrowserApp>
{
    private const decimal Start = 50_000_000m;
    private const decimal Increment = 500_000m;

    private readonly BrowserApp _app;

    public LandListingBrowserTests(BrowserApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(20_000);
    }

    [Fact]
    public async Task DemoLandListing_FromNoticeToPublishedResult_SoldAboveTheReserve_LoserRefundedByTheTimer()
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
        await Expect(grantor.Locator("input[data-testid=grant-demo-bidding], [data-testid=grant-demo-bidding] input").First).ToHaveValueAsync("2");
        await grantor.ClickAsync("[data-testid=grant-submit]");
        await Expect(grantor.Locator("[data-testid=grant-stage]")).ToContainTextAsync("待审核发布公告");

        // Staff publish the notice from the review task.
        var staff = await _app.SignInAsync("staff");
        await CompleteTaskAsync(staff, offeringId, "reviewOffering", "grant-review", "grant-publish");
        await staff.GotoAsync($"/grants/{offeringId}");
        await Expect(staff.Locator("[data-testid=grant-stage]")).ToContainTextAsync("已公告");

        // The grantor's page, open since the submission and never reloaded, follows the procedure by itself.
        await Expect(grantor.Locator("[data-testid=grant-stage]")).ToContainTextAsync("已公告", new() { Timeout = 30_000 });

        // Two companies apply and pay their deposits from their basic accounts (the bank's signed callback, the mock bank).
        var bidder = await ApplyAndPayAsync("bidder", offeringId, "MOCK-GRANT-1");
        var bidder2 = await ApplyAndPayAsync("bidder2", offeringId, "MOCK-GRANT-2");

        // Staff confirm both; each bidder gets its number and the room. Staff never see a number behind an applicant.
        await staff.GotoAsync($"/grants/{offeringId}");
        await staff.WaitForCircuitAsync();
        await Expect(staff.Locator("[data-testid=grant-application]")).ToHaveCountAsync(2);
        for (var approved = 1; approved <= 2; approved++)
        {
            await staff.Locator("[data-testid=grant-approve]").First.ClickAsync();
            await Expect(staff.Locator("[data-testid=grant-application]").Filter(new() { HasText = "资格已确认" })).ToHaveCountAsync(approved);
        }

        var numbers = await BidderNumbersAsync(offeringId);
        foreach (var number in numbers)
        {
            Assert.DoesNotContain($"竞买号 {number}", await staff.ContentAsync(), StringComparison.Ordinal);
        }

        // The admitted bidders' deposits stay until the close (the 2026-12-03 walk refunded one mid-sale): staff's 退还 and
        // 全部退还 are disabled with the reason, and the arrivals show in Beijing time like every other page.
        Guid sectionId;
        string[] arrivals;
        await using (var db = _app.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            sectionId = (await db.Set<GrantOffering>().AsNoTracking().SingleAsync(o => o.Id == offeringId)).SectionId;
            var payments = await db.Set<BankPayment>().AsNoTracking().Where(p => p.SectionId == sectionId).ToListAsync();
            arrivals = [.. payments.OrderByDescending(p => p.RecordedAt).Select(p => Trading.Workflow.Web.Forms.FormValues.FormatTime(p.ReceivedAt))];
        }

        await staff.GotoAsync($"/deposits/sections/{sectionId}");
        await Expect(staff.Locator("[data-testid=refund]").First).ToBeDisabledAsync();
        await Expect(staff.Locator("[data-testid=refund-held]").First).ToContainTextAsync("竞价尚未结束");
        await Expect(staff.Locator("[data-testid=refund-all]")).ToBeDisabledAsync();

        // Newest first; the two payments can fall in different minutes (CI's run of 2026-12-04 compared the first row
        // with the older one).
        await Expect(staff.Locator("[data-testid=payment-received-at]")).ToHaveTextAsync(arrivals);

        foreach (var page in new[] { bidder, bidder2 })
        {
            // A link clicked before the page's circuit is up can be lost (a fresh clone's run of 2026-12-04 waited 20 s
            // for a navigation that never came): wait for it, as before every other click of this walk.
            await page.GotoAsync($"/grants/{offeringId}");
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("[data-testid=grant-bidder-number]")).ToContainTextAsync("竞买号");
            await page.ClickAsync("[data-testid=grant-room]");
            await page.WaitForURLAsync(url => url.Contains("/bidding/", StringComparison.Ordinal));
            await page.WaitForCircuitAsync();
        }

        // The listing opens on the server's clock; the first bid is the start price, then bidder2 jumps to the reserve.
        await Expect(bidder.Locator("[data-testid=phase]")).ToContainTextAsync("自由竞价", new() { Timeout = 90_000 });
        await Expect(bidder.Locator("[data-testid=bid-next]")).ToBeEnabledAsync();
        await bidder.ClickAsync("[data-testid=bid-next]");
        await Expect(bidder.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(Start));
        await Expect(bidder2.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(Start));
        await bidder2.Locator("input[data-testid=multiple], [data-testid=multiple] input").First.FillAsync("4");
        await Expect(bidder2.Locator("[data-testid=bid-multiple]")).ToContainTextAsync(Money(Start + 4 * Increment));
        await bidder2.ClickAsync("[data-testid=bid-multiple]");
        var confirm = bidder2.Locator("[data-testid=confirm]");
        if (await bidder2.Locator("[data-testid=confirm-jump]").IsVisibleAsync())
        {
            await confirm.ClickAsync();
        }

        await Expect(bidder.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(Start + 4 * Increment));

        // With two bidders at the listing's end the timed phase decides: bidder outbids once and wins when it runs out.
        await Expect(bidder.Locator("[data-testid=phase]")).ToContainTextAsync("限时竞价", new() { Timeout = 150_000 });
        await bidder.ClickAsync("[data-testid=bid-next]");
        await Expect(bidder2.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(Start + 5 * Increment));
        foreach (var page in new[] { bidder, bidder2 })
        {
            await Expect(page.Locator("[data-testid=closed]")).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Expect(page.Locator("[data-testid=bid-next]")).ToHaveCountAsync(0);
        }

        // The procedure records the outcome a moment after the room closes (the close hook's message, or its re-check
        // timer); the grantor's page, still open, shows it without a reload.
        await Expect(grantor.Locator("[data-testid=grant-lot-result]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(grantor.Locator("[data-testid=grant-stage]")).ToContainTextAsync("已成交");

        // The outcome comes from the log; the result page replays and verifies it.
        var lotResult = bidder2.Locator("[data-testid=grant-lot-result]");
        await OpenUntilPresentAsync(bidder2, $"/grants/{offeringId}", lotResult, 60, "The procedure never recorded the lot's outcome.");
        await lotResult.ClickAsync();
        await Expect(bidder2.Locator("[data-testid=verified]")).ToHaveAttributeAsync("data-verified", "true");

        // The grantor and the winner sign the 成交确认书; when both have, the winner's deposit counts towards the price.
        foreach (var page in new[] { grantor, bidder })
        {
            await page.GotoAsync($"/grants/{offeringId}");
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("[data-testid=grant-confirmation]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.ClickAsync("[data-testid=grant-sign]");
            await Expect(page.Locator("[data-testid=grant-sign]")).ToHaveCountAsync(0);
        }

        await bidder.ReloadAsync();
        await Expect(bidder.Locator("[data-testid=grant-converted]")).ToBeVisibleAsync();
        var pdfUrl = await bidder.Locator("[data-testid=grant-confirmation-pdf]").GetAttributeAsync("href");
        var pdf = await bidder.Context.APIRequest.GetAsync(pdfUrl!);
        Assert.Equal(200, pdf.Status);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.BodyAsync(), 0, 4), StringComparison.Ordinal);

        // Staff publish the result from the task; the public page links it.
        await CompleteTaskAsync(staff, offeringId, "publishResultTask", "grant-result", "grant-publish-result");
        var anonymous = await _app.NewPageAsync();
        await anonymous.GotoAsync($"/portal/grants/{offeringId}");
        await Expect(anonymous.Locator("[data-testid=grant-public-result]")).ToBeVisibleAsync();

        // The loser's deposit: owed at the close, sent by the refund timer, paid when the bank confirms it.
        var pay = staff.Locator("[data-testid=mock-instructions] tr").Filter(new() { HasText = "10,000,000.00" }).Locator("[data-testid=mock-pay]");
        await OpenUntilPresentAsync(staff, "/demo/bank", pay, 30, "The refund instruction never reached the mock bank.",
            () => Expect(staff.Locator("[data-testid=mock-instructions]")).ToHaveAttributeAsync("data-loaded", "True"));

        await Expect(pay).ToHaveCountAsync(1);
        await pay.ClickAsync();
        await Expect(pay).ToHaveCountAsync(0);
        await bidder2.GotoAsync("/deposits");
        await Expect(bidder2.Locator("[data-testid=refunds]")).ToContainTextAsync("10,000,000.00");
        // A land deposit is refunded without interest: the row says so, and no interest rule is printed under it.
        await Expect(bidder2.Locator("[data-testid=refund-interest]")).ToHaveTextAsync("不计息");
        await Expect(bidder2.Locator("[data-testid=no-interest-rule]")).ToBeVisibleAsync();
        await Expect(bidder2.Locator("[data-testid=interest-rule]")).ToHaveCountAsync(0);

        // The procedure archived the project before its end; staff find it on /archive with the refund paid after it as
        // a supplement, and the package checks intact.
        string projectCode;
        await using (var db = _app.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            projectCode = (await db.Set<GrantOffering>().AsNoTracking().SingleAsync(o => o.Id == offeringId)).ProjectCode;
        }

        var archived = staff.Locator("[data-testid=archives] tbody tr").Filter(new() { HasText = projectCode });
        await OpenUntilPresentAsync(staff, "/archive", archived.Locator("[data-testid=archive-supplements]"), 30, "The refund never reached the grant's archive.",
            () => Expect(archived).ToHaveCountAsync(1));
        await archived.Locator("[data-testid=archive-verify]").ClickAsync();
        await Expect(archived.Locator("[data-testid=archive-verify-result]")).ToContainTextAsync("完整");

        // The grantor reads its own offering's archive from its menu (read-only): listed, its package downloads; a
        // bidder has no link and is refused the page.
        await grantor.GotoAsync("/");
        await grantor.WaitForCircuitAsync();
        await grantor.ClickAsync("[data-testid=nav-archive-grantor]");
        await grantor.WaitForCircuitAsync();
        var own = grantor.Locator("[data-testid=archives] tbody tr").Filter(new() { HasText = projectCode });
        await Expect(own).ToHaveCountAsync(1);
        var package = await grantor.Context.APIRequest.GetAsync((await own.Locator("[data-testid=archive-download]").GetAttributeAsync("href"))!);
        Assert.Equal(200, package.Status);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString(await package.BodyAsync(), 0, 2));
        await bidder2.GotoAsync("/archive");
        await bidder2.WaitForURLAsync(url => url.Contains("AccessDenied", StringComparison.OrdinalIgnoreCase));
        await Expect(bidder2.Locator("[data-testid=nav-archive-grantor]")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Opens <paramref name="url"/> once a second, at most <paramref name="tries"/> times, until <paramref name="target"/>
    /// is on it: for what a background timer or the procedure writes after the step the test took (pages show what was
    /// there when they loaded). <paramref name="loaded"/> waits for the page's own data first, when it loads it later.
    /// </summary>
    private static async Task OpenUntilPresentAsync(IPage page, string url, ILocator target, int tries, string failure, Func<Task>? loaded = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.GotoAsync(url);
            await page.WaitForCircuitAsync();
            if (loaded is not null)
            {
                await loaded();
            }

            if (await target.CountAsync() > 0)
            {
                return;
            }

            Assert.True(attempt < tries, failure);
            await Task.Delay(1_000);
        }
    }

    private static string Money(decimal amount) => amount.ToString("N2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Opens the offering's task in the inbox as the signed-in staff member, claims it and presses its button.</summary>
    private async Task CompleteTaskAsync(IPage staff, Guid offeringId, string elementId, string panel, string button)
    {
        Guid taskId;
        using (var scope = _app.Services.CreateScope())
        {
            var offering = await scope.ServiceProvider.GetRequiredService<GrantService>().GetAsync(offeringId);
            var tasks = await _app.Services.GetRequiredService<IWorkflowEngine>().GetTasksAsync(new TaskQuery { BusinessKey = offering!.ProjectCode });
            taskId = tasks.Single(t => t.ElementId == elementId).Id;
        }

        await staff.GotoAsync($"/inbox/tasks/{taskId}");
        await staff.WaitForCircuitAsync();
        var claim = staff.Locator("[data-testid=task-claim]");
        if (await claim.CountAsync() > 0)
        {
            await claim.ClickAsync();
        }

        await Expect(staff.Locator($"[data-testid={panel}]")).ToBeVisibleAsync();
        await staff.ClickAsync($"[data-testid={button}]");
        await Expect(staff.Locator($"[data-testid={button}]")).ToHaveCountAsync(0);
    }

    /// <summary>The bidder applies on the offering page and its company pays the deposit to the sub-account the page shows.</summary>
    private async Task<IPage> ApplyAndPayAsync(string userName, Guid offeringId, string bankReference)
    {
        var page = await _app.SignInAsync(userName);
        await page.GotoAsync($"/grants/{offeringId}");
        await page.WaitForCircuitAsync();
        await page.ClickAsync("[data-testid=grant-apply]");
        var subAccount = page.Locator("[data-testid=grant-sub-account]");
        await Expect(subAccount).ToBeVisibleAsync();
        var shown = await subAccount.TextContentAsync() ?? string.Empty;
        DepositAccount account;
        await using (var db = _app.Services.GetRequiredService<ITradingDatabase>().Create())
        {
            var offering = await db.Set<GrantOffering>().AsNoTracking().SingleAsync(o => o.Id == offeringId);
            var accounts = await db.Set<DepositAccount>().AsNoTracking().Where(a => a.SectionId == offering.SectionId).ToListAsync();
            account = accounts.Single(a => shown.Contains(a.Number, StringComparison.Ordinal));
        }

        var basic = (await _app.Services.GetRequiredService<IBasicAccountLookup>().FindAsync(account.EntityId, CancellationToken.None))!;
        using var http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        using var response = await _app.Services.GetRequiredService<MockBank>().SendDepositAsync(http,
            new BankDeposit(bankReference, 10_000_000m, basic.AccountName, basic.AccountNumber, basic.Bank, account.Number, DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return page;
    }

    private async Task<IReadOnlyList<int>> BidderNumbersAsync(Guid offeringId)
    {
        await using var db = _app.Services.GetRequiredService<ITradingDatabase>().Create();
        return await db.Set<GrantApplication>().AsNoTracking().Where(a => a.OfferingId == offeringId).Select(a => a.BidderNumber!.Value).ToListAsync();
    }
}
