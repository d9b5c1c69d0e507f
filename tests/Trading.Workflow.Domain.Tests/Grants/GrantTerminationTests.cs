using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// 终止: a sale ended after its notice and before a result, on the shipped procedures: by the owner grantor or by staff of
/// the centre (with the grantor's letter), with a reason; the 终止公告 on the portal, the lot called off (a running one stops taking bids, none ever
/// closes or reveals its reserve), pending applications closed, every deposit refundable at once and paid back by the
/// refund timer, the procedure ended with nothing open, the project terminated, everyone concerned told, the trail and
/// the history. Refused for anyone else, before the notice, after a result, twice, without a reason and on a procedure
/// version without the termination path.
/// </summary>
public sealed class GrantTerminationTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => GrantHost.At(month, day, hour, minute);

    private static async Task<GrantOffering> AnnouncedAsync(GrantHost host, string tradeType)
    {
        var offering = tradeType == Trades.TradeTypes.LandRights
            ? await host.Grants.CreateAsync(host.Grantor, tradeType, host.LandListing())
            : await host.Grants.CreateAsync(host.Grantor, tradeType, host.MineralAuction());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: tradeType == Trades.TradeTypes.LandRights ? 52_000_000m : 3_100_000m);
        await host.CompleteAsync(await host.InstanceOfAsync(offering), GrantService.ReviewTask, "staff");
        return (await host.Grants.GetAsync(offering.Id))!;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Terminate_ByTheGrantorWhileTheListingRuns_StopsTheLot_RefundsEveryDeposit_AndEndsEverything(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host, Trades.TradeTypes.LandRights);
        var instanceId = await host.InstanceOfAsync(offering);
        var numbers = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder" + (i + 1)), offering.Id, host.Companies[i].Id);
            await host.PayAsync(offering, host.Companies[i], account, offering.Deposit);
            if (i < 2)
            {
                numbers.Add((await host.Grants.DecideAsync(host.Staff, application.Id, approve: true, null)).BidderNumber!.Value);
            }
        }

        var lotId = offering.LotId!.Value;
        await host.AdvanceToAsync(At(11, 23, 9, 1));
        Assert.True((await host.Bidding.SubmitAsync(lotId, numbers[0], 50_000_000m, "b1")).Accepted);
        var deposits = host.Services.GetRequiredService<DepositService>();
        Assert.NotEmpty(await deposits.RefundHoldsAsync(offering.SectionId, [host.Companies[0].Id, host.Companies[1].Id], CancellationToken.None));

        host.Clock.Set(At(11, 24, 10));
        var terminated = await host.Grants.TerminateAsync(host.Grantor, offering.Id, "  规划调整：宗地纳入城市更新范围  ");

        Assert.Equal(GrantStage.Terminated, terminated.Stage);
        Assert.Equal("规划调整：宗地纳入城市更新范围", terminated.TerminationReason);
        Assert.Equal("grantor", terminated.TerminatedBy);
        Assert.Equal(At(11, 24, 10), terminated.TerminatedAt);
        Assert.True(GrantService.IsPublic(terminated));

        // The 终止公告 on the portal: the parcel, the reason, the refunds; never the reserve.
        await using (var db = host.Database.Database.Create())
        {
            var notice = await db.Set<Notice>().AsNoTracking().SingleAsync(n => n.Id == terminated.TerminationNoticeId);
            Assert.Equal(NoticeState.Published, notice.State);
            Assert.Equal(NoticeKind.Termination, notice.Kind);
            Assert.Contains("终止公告", notice.Title, StringComparison.Ordinal);
            Assert.Contains("规划调整：宗地纳入城市更新范围", notice.BodyHtml, StringComparison.Ordinal);
            Assert.Contains("测试市测试区环湖路以东", notice.BodyHtml, StringComparison.Ordinal);
            Assert.Contains("原路退还", notice.BodyHtml, StringComparison.Ordinal);
            Assert.DoesNotContain("52,000,000", notice.BodyHtml, StringComparison.Ordinal);
            Assert.Equal(ProjectState.Terminated, (await db.Set<Project>().AsNoTracking().SingleAsync(p => p.Id == offering.ProjectId)).State);
        }

        // The running lot stops taking bids and never closes, even past its end: no result, no reserve.
        Assert.Equal(LotPhase.CalledOff, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);
        var late = await host.Bidding.SubmitAsync(lotId, numbers[1], 50_500_000m, "b2");
        Assert.False(late.Accepted);
        Assert.Equal(BiddingRules.CalledOff, late.Reason);
        Assert.Equal(LotPhase.CalledOff, (await host.Bidding.Feed.ViewAsync(lotId)).Phase);
        await host.AdvanceToAsync(At(12, 4, 10, 30));
        Assert.Equal(LotPhase.CalledOff, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);
        var log = await host.Bidding.Store.ReadLogAsync(lotId, 0);
        Assert.DoesNotContain(log, e => e.Kind == BidLogKind.Closed);
        Assert.Single(log, e => e.Kind == BidLogKind.CalledOff);
        Assert.DoesNotContain(log, e => (e.Data ?? string.Empty).Contains("52000000", StringComparison.Ordinal));
        Assert.Empty(await host.TrailAsync("bidding.lot.closed"));
        Assert.Single(await host.TrailAsync(BiddingTrail.CalledOff));
        Assert.Equal(GrantStage.Terminated, (await host.Grants.GetAsync(offering.Id))!.Stage);

        // The procedure ended with nothing left waiting.
        await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        Assert.Empty(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }));
        Assert.Empty(await host.Engine.GetTimersAsync(instanceId));
        Assert.Empty(await host.Engine.GetSubscriptionsAsync(instanceId));
        Assert.Empty(await host.Engine.GetIncidentsAsync());

        // The pending application is closed; every deposit is refundable at once and the refund timer pays it back.
        var applications = await host.Grants.ApplicationsAsync(offering.Id);
        Assert.Equal(GrantApplicationState.Closed, applications.Single(a => a.EntityId == host.Companies[2].Id).State);
        Assert.Empty(await deposits.RefundHoldsAsync(offering.SectionId, [.. host.Companies.Select(c => c.Id)], CancellationToken.None));
        await using (var db = host.Database.Database.Create())
        {
            var owed = await db.Set<ScheduledRefund>().AsNoTracking().Where(r => r.SectionId == offering.SectionId).ToListAsync();
            Assert.Equal(host.Companies.Select(c => c.Id).Order(), owed.Select(r => r.EntityId).Order());
            Assert.All(owed, r => Assert.Equal(GrantTerminateHandler.RefundReason, r.Reason));
        }

        Assert.Equal(3, await deposits.RunDueRefundsAsync(10, CancellationToken.None));
        Assert.Equal(3, host.Bank.Transfers.Count);

        // The trail and the history say who, when and why; a second termination is refused.
        var record = Assert.Single(await host.TrailAsync("grants.offering.terminated"));
        Assert.Equal("grantor", record.Actor);
        Assert.Contains("grantor", record.Data, StringComparison.Ordinal);
        var history = await host.Grants.HistoryAsync(terminated);
        Assert.Equal("offering.terminated", history[^1].Action);
        Assert.Equal("规划调整：宗地纳入城市更新范围", history[^1].Reason);
        Assert.Equal("grantor", history[^1].Actor);
        var again = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Grantor, offering.Id, "再次终止"));
        Assert.Equal(GrantRules.AlreadyTerminated, again.RuleCode);

        // Every applicant hears of it with the reason (the grantor acted itself).
        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using (var db = host.Database.Database.Create())
        {
            var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == GrantNotificationRules.Terminated).ToListAsync();
            Assert.Equal(["bidder1", "bidder2", "bidder3"], sent.Select(n => n.UserId).Order());
            Assert.All(sent, n => Assert.Contains("规划调整：宗地纳入城市更新范围", n.Body, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Terminate_ByStaffBeforeTheAuctionOpens_TheLotNeverOpens_AndTheGrantorIsTold(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host, Trades.TradeTypes.MineralRights);
        await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);

        var letter = new GrantTerminationLetter(new MemoryStream("%PDF-1.4\n%%EOF\n"u8.ToArray()), "终止申请函.pdf");
        var terminated = await host.Grants.TerminateAsync(host.Staff, offering.Id, "司法查封（出让人书面申请）", letter);

        Assert.Equal(GrantStage.Terminated, terminated.Stage);
        Assert.Equal("staff", terminated.TerminatedBy);
        Assert.Contains("\"requestedAs\":\"staff\"", Assert.Single(await host.TrailAsync("grants.offering.terminated")).Data, StringComparison.Ordinal);
        await host.AdvanceToAsync(At(11, 23, 11, 30));
        var log = await host.Bidding.Store.ReadLogAsync(offering.LotId!.Value, 0);
        Assert.DoesNotContain(log, e => e.Kind is BidLogKind.PhaseChanged or BidLogKind.Closed);
        Assert.Equal(GrantApplicationState.Closed, Assert.Single(await host.Grants.ApplicationsAsync(offering.Id)).State);
        await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(await host.InstanceOfAsync(offering)))!.State);

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = host.Database.Database.Create();
        var sent = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == GrantNotificationRules.Terminated).ToListAsync();
        Assert.Equal(["bidder1", "grantor"], sent.Select(n => n.UserId).Order());
        Assert.All(sent, n => Assert.Contains("司法查封", n.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Notices_StateTheTradeTypesOwnRefundLimit_NotAFixedFiveDays()
    {
        // A province may shorten the mineral refund limit (Grants:Limits:mineral-rights:RefundWorkingDays): the notices
        // said 5 working days whatever the refunds were scheduled by.
        await using var host = await GrantHost.StartAsync(DatabaseProvider.Sqlite,
            configure: services => services.PostConfigure<GrantOptions>(o => o.Limits[Trades.TradeTypes.MineralRights].RefundWorkingDays = 3));
        var offering = await AnnouncedAsync(host, Trades.TradeTypes.MineralRights);
        var terminated = await host.Grants.TerminateAsync(host.Grantor, offering.Id, "规划调整");

        await using var db = host.Database.Database.Create();
        var notices = await db.Set<Notice>().AsNoTracking().Where(n => n.Id == terminated.NoticeId || n.Id == terminated.TerminationNoticeId).ToListAsync();
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n =>
        {
            Assert.Contains("3 个工作日", n.BodyHtml, StringComparison.Ordinal);
            Assert.Contains("3 working days", n.BodyHtml, StringComparison.Ordinal);
            Assert.DoesNotContain("5 个工作日", n.BodyHtml, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Terminate_ByOthers_BeforeTheNotice_OrWithoutAReason_IsRefusedAndChangesNothing(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var underReview = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        underReview = await host.Grants.SubmitAsync(host.Grantor, underReview.Id, underReview.Version, reserve: 52_000_000m);
        var early = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Grantor, underReview.Id, "规划调整"));
        Assert.Equal(GrantRules.TerminateBeforeNotice, early.RuleCode);

        var offering = await AnnouncedAsync(host, Trades.TradeTypes.MineralRights);
        var supervisor = new GrantActor("supervisor", "supervisor", [PlatformRoles.Supervisor], null);
        var otherCentre = new GrantActor("staff", "staff", [PlatformRoles.Staff], Guid.NewGuid());
        var stranger = new GrantActor("bidder1", "bidder1", [PlatformRoles.Tenderee], host.Centre.Id);
        foreach (var actor in new[] { supervisor, otherCentre, stranger, GrantHost.Bidder("bidder1") })
        {
            var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(actor, offering.Id, "不可抗力"));
            Assert.Equal(GrantRules.NotAllowed, refused.RuleCode);
        }

        foreach (var reason in new[] { null, "   ", new string('理', GrantOffering.MaxReasonLength + 1) })
        {
            var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Grantor, offering.Id, reason));
            Assert.Equal(GrantRules.ReasonRequired, refused.RuleCode);
        }

        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.Equal(LotPhase.Scheduled, (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!.Phase);
        Assert.Equal(new[] { "lotClosedMsg", "checkTimer", "terminatedMsg" }.Order(), await WaitsAsync(host, offering));
        Assert.Empty(await host.TrailAsync("grants.offering.terminated"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Terminate_AfterTheAuctionsEnd_IsRefused_TheResultStands(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host, Trades.TradeTypes.MineralRights);
        var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        await host.PayAsync(offering, host.Companies[0], account, offering.Deposit);
        var number = (await host.Grants.DecideAsync(host.Staff, application.Id, approve: true, null)).BidderNumber!.Value;
        await host.AdvanceToAsync(At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, number, 3_200_000m, "w1")).Accepted);

        // Past the end, before the engine's timer has closed the lot: the deadline decided, the result stands.
        host.Clock.Set(At(11, 23, 11, 1));
        var closing = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Grantor, offering.Id, "不可抗力"));
        Assert.Equal(GrantRules.ResultDecided, closing.RuleCode);
        Assert.Equal(LotPhase.Closed, (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!.Phase);

        await host.AdvanceToAsync(At(11, 23, 11, 2));
        Assert.Equal(GrantStage.Sold, (await host.Grants.GetAsync(offering.Id))!.Stage);
        var sold = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Staff, offering.Id, "不可抗力"));
        Assert.Equal(GrantRules.ResultDecided, sold.RuleCode);
        Assert.Empty(await host.TrailAsync("grants.offering.terminated"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Terminate_OnAProcedureVersionWithoutTheTerminationPath_IsRefused_AndTheLotIsLeftAlone(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        await host.Engine.DeployAsync(Engine.Parsing.BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Grants", "Bpmn", "land-grant-before-returns.bpmn")));
        var current = await AnnouncedAsync(host, Trades.TradeTypes.MineralRights);
        var offering = await AnnouncedAsync(host, Trades.TradeTypes.LandRights);
        Assert.Equal(GrantStage.Announced, offering.Stage);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Grantor, offering.Id, "规划调整"));

        Assert.Equal(GrantRules.TerminationUnsupported, refused.RuleCode);
        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.Equal(LotPhase.Scheduled, (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!.Phase);
        Assert.Empty(await host.TrailAsync(BiddingTrail.CalledOff));
        Assert.False(await host.Grants.SupportsTerminationAsync(offering));
        Assert.True(await host.Grants.SupportsTerminationAsync(current));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task SupportsWithdrawal_OnAProcedureVersionWithoutTheWithdrawalPath_IsFalse(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var current = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.MineralRights, host.MineralAuction());
        current = await host.Grants.SubmitAsync(host.Grantor, current.Id, current.Version, reserve: 3_100_000m);
        await host.Engine.DeployAsync(Engine.Parsing.BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Grants", "Bpmn", "land-grant-before-returns.bpmn")));
        var old = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        old = await host.Grants.SubmitAsync(host.Grantor, old.Id, old.Version, reserve: 52_000_000m);

        Assert.True(await host.Grants.SupportsWithdrawalAsync(current));
        Assert.False(await host.Grants.SupportsWithdrawalAsync(old));
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.WithdrawAsync(host.Grantor, old.Id));
        Assert.Equal(GrantRules.ProcedureOutdated, refused.RuleCode);
    }

    private static async Task<IReadOnlyList<string>> WaitsAsync(GrantHost host, GrantOffering offering)
    {
        var instanceId = await host.InstanceOfAsync(offering);
        var subscriptions = await host.Engine.GetSubscriptionsAsync(instanceId);
        var timers = await host.Engine.GetTimersAsync(instanceId);
        return [.. subscriptions.Select(s => s.ElementId).Concat(timers.Select(t => t.ElementId)).Order()];
    }
}
