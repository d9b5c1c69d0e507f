using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Printing;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// The shipped grant procedures from the grantor's offering to the published result on a real database with every part's
/// real handlers: the lot on the shared bidding engine, the deposits through the bank's signed callback, staff's
/// eligibility decisions, the close decided by the engine's durable timer, the 成交确认书 signed by both, the winner's
/// deposit converted to the price and every other deposit refunded by the refund timer, without interest.
/// </summary>
public sealed class GrantFullProcedureTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => GrantHost.At(month, day, hour, minute);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task LandListing_FromNoticeToPublishedResult_RefundsByTimer(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 52_000_000m);
        Assert.Equal(GrantStage.Submitted, offering.Stage);
        var instanceId = await host.InstanceOfAsync(offering);

        // --- Staff review; the procedure publishes the notice (20 日 before the listing, checked again now).
        Assert.Equal(["reviewOffering"], await host.OpenTasksAsync(instanceId));
        await host.CompleteAsync(instanceId, "reviewOffering", "staff");
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Announced, offering.Stage);
        await using (var db = host.Database.Database.Create())
        {
            var notice = await db.Set<Notice>().AsNoTracking().SingleAsync(n => n.Id == offering.NoticeId);
            Assert.Equal(NoticeState.Published, notice.State);
            Assert.Contains("挂牌出让公告", notice.Title, StringComparison.Ordinal);
            Assert.DoesNotContain("52,000,000", notice.BodyHtml, StringComparison.Ordinal);
        }

        // --- Three companies apply and pay into their sub-accounts; staff approve two and reject the third with a reason.
        var accounts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder" + (i + 1)), offering.Id, host.Companies[i].Id);
            Assert.Equal(GrantApplicationState.Pending, application.State);
            accounts.Add(account);
            await host.PayAsync(offering, host.Companies[i], account, offering.Deposit);
        }

        var all = await host.Grants.ApplicationsAsync(offering.Id);
        var applications = host.Companies.Select(c => all.Single(a => a.EntityId == c.Id)).ToList();
        var first = await host.Grants.DecideAsync(host.Staff, applications[0].Id, approve: true, null);
        var second = await host.Grants.DecideAsync(host.Staff, applications[1].Id, approve: true, null);
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.DecideAsync(host.Staff, applications[2].Id, approve: false, " "));
        Assert.Equal(GrantRules.ReasonRequired, refused.RuleCode);
        await host.Grants.DecideAsync(host.Staff, applications[2].Id, approve: false, "竞买人不具备本宗地开发资质");
        Assert.NotNull(first.BidderNumber);
        Assert.NotNull(second.BidderNumber);
        Assert.NotEqual(first.BidderNumber, second.BidderNumber);

        // --- The listing opens (23 Nov), free bidding; a bid below the reserve, then one at it.
        await host.AdvanceToAsync(At(11, 23, 9, 1));
        var lotId = offering.LotId!.Value;
        Assert.True((await host.Bidding.SubmitAsync(lotId, first.BidderNumber!.Value, 50_000_000m, "b1")).Accepted);
        Assert.True((await host.Bidding.SubmitAsync(lotId, second.BidderNumber!.Value, 51_000_000m, "b2")).Accepted);
        await host.AdvanceToAsync(At(12, 1, 10));
        Assert.True((await host.Bidding.SubmitAsync(lotId, first.BidderNumber!.Value, 52_000_000m, "b3")).Accepted);

        // --- The listing's end (4 Dec 10:00): two bidders bid, so the timed phase; one more bid, then 4 minutes of silence.
        await host.AdvanceToAsync(At(12, 4, 10));
        Assert.Equal(LotPhase.Timed, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);
        await host.RunLotTimerAsync(At(12, 4, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(lotId, second.BidderNumber!.Value, 52_500_000m, "b4")).Accepted);
        await host.RunLotTimerAsync(At(12, 4, 10, 5));
        Assert.Equal(LotPhase.Closed, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);

        // --- The engine's close hook (GrantLotClosedHandler) told the procedure: sold to the second company at 52.5 million.
        Assert.Equal(0, await host.Grants.CorrelateClosedLotsAsync());
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Sold, offering.Stage);
        Assert.Equal(host.Companies[1].Id, offering.WinnerEntityId);
        Assert.Equal(52_500_000m, offering.Price);
        Assert.Equal(At(12, 18, 10, 5), offering.ResultDueAt!.Value.ToOffset(TimeSpan.FromHours(8))); // 10 WD after 4 Dec
        var confirmation = await host.Services.GetRequiredService<IOfficialDocuments>().FindAsync(offering.ConfirmationId!.Value);
        Assert.Equal(OfficialDocumentKinds.DealConfirmation, confirmation!.Kind);
        Assert.Equal(["publishResultTask"], await host.OpenTasksAsync(instanceId));

        // --- Every other deposit is owed back within 5 WD (11 Dec), without interest.
        await using (var db = host.Database.Database.Create())
        {
            var owed = await db.Set<ScheduledRefund>().AsNoTracking().Where(r => r.SectionId == offering.SectionId).ToListAsync();
            Assert.Equal(new[] { host.Companies[0].Id, host.Companies[2].Id }.Order(), owed.Select(r => r.EntityId).Order());
            Assert.All(owed, r => Assert.Equal(At(12, 11, 10, 5), r.DueAt.ToOffset(TimeSpan.FromHours(8))));
        }

        // --- Both sign online; the winner's deposit becomes part of the price.
        var notParty = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SignAsync(GrantHost.Bidder("bidder1"), offering.Id));
        Assert.Equal(GrantRules.NotAParty, notParty.RuleCode);
        await host.Grants.SignAsync(host.Grantor, offering.Id);
        offering = await host.Grants.SignAsync(GrantHost.Bidder("bidder2"), offering.Id);
        Assert.True(offering.IsSigned);
        Assert.NotNull(offering.DepositConvertedAt);
        var deposits = await host.Services.GetRequiredService<DepositQueries>().SectionDepositsAsync(offering.SectionId, CancellationToken.None);
        Assert.Equal(DepositState.ConvertedToPrice, deposits!.Participants.Single(p => p.EntityId == host.Companies[1].Id).State);
        Assert.Equal(offering.Deposit, deposits.Totals.Converted);

        // --- Staff publish the result; the procedure ends.
        await host.CompleteAsync(instanceId, "publishResultTask", "staff");
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.ResultPublished, offering.Stage);
        await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);

        // --- The refund timer pays both back through the bank, principal only.
        host.Clock.Set(At(12, 4, 11));
        Assert.Equal(2, await host.Services.GetRequiredService<DepositService>().RunDueRefundsAsync(10, CancellationToken.None));
        await using (var db = host.Database.Database.Create())
        {
            var refunds = await db.Set<BankInstruction>().AsNoTracking().Where(i => i.SectionId == offering.SectionId && i.Kind == InstructionKind.Refund).ToListAsync();
            Assert.Equal(2, refunds.Count);
            Assert.All(refunds, r => Assert.Equal(0m, r.Interest));
            Assert.All(refunds, r => Assert.Equal(offering.Deposit, r.Principal));
        }

        Assert.Equal(2, host.Bank.Transfers.Count);
        Assert.Single(await host.TrailAsync("grants.result.published"));

        // Every record about the project (the offering, its lot's bidding, deposits, notices, documents) is found by the
        // project's key, the same records a scan of the trail for its id finds.
        await using (var db = host.Database.Database.Create())
        {
            var id = offering.ProjectId.ToString();
            var scanned = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Data.Contains(id) || e.SubjectId == id).OrderByDescending(e => e.Sequence).Select(e => e.Sequence).ToListAsync();
            var keyed = await host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditLogFilter(Project: id), 0, 200);
            Assert.True(scanned.Count > 20, $"{scanned.Count} records");
            Assert.Equal(scanned, keyed.Items.Select(e => e.Sequence));
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task LandListing_BestOfferBelowReserve_NoSaleRecordedAndAnnounced(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 60_000_000m);
        var instanceId = await host.InstanceOfAsync(offering);
        await host.CompleteAsync(instanceId, "reviewOffering", "staff");
        var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        await host.PayAsync(offering, host.Companies[0], account, 10_000_000m);
        var admitted = await host.Grants.DecideAsync(host.Staff, application.Id, approve: true, null);

        await host.AdvanceToAsync(At(11, 24, 10));
        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, admitted.BidderNumber!.Value, 50_000_000m, "only")).Accepted);

        // One bidder at the listing's end: no timed phase, the best offer decides; it is below the reserve. The procedure's own
        // timer (no message sent) reads the close.
        await host.AdvanceToAsync(At(12, 4, 10));
        await host.AdvanceToAsync(At(12, 4, 10, 2));
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.NoSale, offering.Stage);
        Assert.Equal(NoSaleReasons.ReserveNotMet, offering.NoSaleReason);
        await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        await using (var db = host.Database.Database.Create())
        {
            var notice = await db.Set<Notice>().AsNoTracking().SingleAsync(n => n.Id == offering.NoSaleNoticeId);
            Assert.Equal(NoticeState.Published, notice.State);
            Assert.Contains("流拍", notice.Title, StringComparison.Ordinal);
            Assert.Equal(NoticeKind.NoSale, notice.Kind);
            var owed = await db.Set<ScheduledRefund>().AsNoTracking().SingleAsync(r => r.SectionId == offering.SectionId);
            Assert.Equal(host.Companies[0].Id, owed.EntityId);
        }

        // The portal's type filter finds it as a 流拍公告, not among the terminations (a list and a search).
        var portal = host.Services.GetRequiredService<NoticePortal>();
        Assert.Equal([offering.NoSaleNoticeId!.Value], (await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(Kind: NoticeKind.NoSale)))).Items.Select(n => n.Id));
        Assert.Equal([offering.NoSaleNoticeId!.Value], (await portal.SearchAsync(new PortalQuery("流拍", new NoticeFilter(Kind: NoticeKind.NoSale)))).Items.Select(n => n.Id));
        Assert.Empty((await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(Kind: NoticeKind.Termination)))).Items);

        // The reserve is revealed by the engine after the close, never before.
        var outcome = (await host.Bidding.VerifyAsync(offering.LotId!.Value)).Outcome!;
        Assert.False(outcome.Sold);
        Assert.Equal(60_000_000m, outcome.Reserve);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task MineralAuction_NaturalPersonWins_ResultOverdueAlertedThenPublished(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.MineralRights, host.MineralAuction());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 3_100_000m);
        var instanceId = await host.InstanceOfAsync(offering);
        await host.CompleteAsync(instanceId, "reviewOffering", "staff");

        var (company, companyAccount) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        var (person, personAccount) = await host.Grants.ApplyAsync(GrantHost.Bidder("buyer"), offering.Id, host.Person.Id);
        await host.PayAsync(offering, host.Companies[0], companyAccount, 600_000m);
        await host.PayAsync(offering, host.Person, personAccount, 600_000m);
        company = await host.Grants.DecideAsync(host.Staff, company.Id, approve: true, null);
        person = await host.Grants.DecideAsync(host.Staff, person.Id, approve: true, null);

        // Applications closed on 20 Nov 17:00.
        host.Clock.Set(At(11, 21));
        var late = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ApplyAsync(GrantHost.Bidder("bidder2"), offering.Id, host.Companies[1].Id));
        Assert.Equal(GrantRules.ApplicationClosed, late.RuleCode);

        // The auction: a bid in the last 5 minutes moves the end.
        var lotId = offering.LotId!.Value;
        await host.AdvanceToAsync(At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(lotId, company.BidderNumber!.Value, 3_000_000m, "m1")).Accepted);
        await host.AdvanceToAsync(At(11, 23, 10, 58));
        Assert.True((await host.Bidding.SubmitAsync(lotId, person.BidderNumber!.Value, 3_150_000m, "m2")).Accepted);
        await host.AdvanceToAsync(At(11, 23, 11, 1));
        Assert.NotEqual(LotPhase.Closed, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);
        await host.RunLotTimerAsync(At(11, 23, 11, 3));
        Assert.Equal(0, await host.Grants.CorrelateClosedLotsAsync()); // the close hook told the procedure already
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Sold, offering.Stage);
        Assert.Equal(host.Person.Id, offering.WinnerEntityId);
        Assert.Equal(3_150_000m, offering.Price);

        // Mineral results are due within 5 WD (province setting); past it the procedure alerts, then staff publish.
        await host.AdvanceToAsync(offering.ResultDueAt!.Value.AddMinutes(1));
        Assert.Single(await host.TrailAsync("grants.result.overdue"));
        await host.Grants.SignAsync(host.Grantor, offering.Id);
        await host.Grants.SignAsync(GrantHost.Bidder("buyer"), offering.Id);
        await host.CompleteAsync(instanceId, "publishResultTask", "staff");
        await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        Assert.Equal(GrantStage.ResultPublished, (await host.Grants.GetAsync(offering.Id))!.Stage);
    }
}
