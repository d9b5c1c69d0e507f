using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// A grant's sale never opens unannounced (<see cref="GrantLotOpeningGate"/>): a submitted offering whose notice staff
/// never published has its lot shelved at the opening time, recorded in its trail; the procedure stays at the review,
/// where staff return it and the grantor resubmits with new dates, and the new lot opens after its notice.
/// </summary>
public sealed class GrantLotOpeningGateTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => GrantHost.At(month, day, hour, minute);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Unannounced_AtTheOpeningTheLotIsShelved_ThenReturnResubmitPublish_TheNewLotOpens(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 52_000_000m);
        var firstLot = offering.LotId!.Value;
        var instanceId = await host.InstanceOfAsync(offering);

        // Staff never publish; the opening time (23 Nov) comes.
        await host.AdvanceToAsync(At(11, 23, 9, 1));

        var lot = (await host.Bidding.Store.FindLotAsync(firstLot))!;
        Assert.Equal(LotPhase.Shelved, lot.Phase);
        var log = await host.Bidding.Store.ReadLogAsync(firstLot, 0);
        Assert.DoesNotContain(log, e => e.Kind is BidLogKind.PhaseChanged or BidLogKind.Closed);
        Assert.Contains(GrantLotOpeningGate.NoticeUnpublished, log[^1].Data, StringComparison.Ordinal);
        Assert.DoesNotContain(log, e => e.Data?.Contains("52000000", StringComparison.Ordinal) == true);
        Assert.True((await host.Bidding.VerifyAsync(firstLot)).Valid);
        var record = Assert.Single(await host.TrailAsync("grants." + GrantLotOpeningGate.ShelvedAction));
        Assert.Equal(offering.Id.ToString(), record.SubjectId);
        Assert.Contains(firstLot.ToString(), record.Data, StringComparison.Ordinal);
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Submitted, offering.Stage);
        Assert.True(await host.Grants.ShelvedUnannouncedAsync(offering));
        Assert.Equal(GrantLotOpeningGate.ShelvedAction, (await host.Grants.HistoryAsync(offering))[^1].Action);

        // The procedure still waits at the review, without an incident; publishing now is refused on the screen.
        Assert.Equal(["reviewOffering"], await host.OpenTasksAsync(instanceId));
        Assert.Equal(InstanceState.Active, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        var tooLate = Assert.Throws<DomainRuleException>(() => host.Grants.CheckPublishable(offering, host.Clock.GetUtcNow()));
        Assert.Equal(GrantRules.NoticeAfterOpening, tooLate.RuleCode);

        // Staff return it (the shelved lot is no obstacle), the grantor sets new dates and resubmits.
        offering = await host.Grants.ReturnAsync(host.Staff, offering.Id, "竞价开始前未发布出让公告，请重新确定日期");
        Assert.Equal(GrantStage.Returned, offering.Stage);
        Assert.False(await host.Grants.ShelvedUnannouncedAsync(offering));
        var dates = host.LandListing(At(12, 14), At(12, 28, 10)) with { ApplicationDeadline = At(12, 24, 17) };
        offering = await host.Grants.ReviseAsync(host.Grantor, offering.Id, offering.Version, dates);
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 52_000_000m);
        Assert.NotEqual(firstLot, offering.LotId);
        Assert.Single(await host.Bidding.Store.ReadLogAsync(firstLot, 0), e => e.Kind == BidLogKind.Shelved);

        await host.CompleteAsync(instanceId, "reviewOffering", "staff");
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Announced, offering.Stage);
        Assert.False(await host.Grants.ShelvedUnannouncedAsync(offering));

        await host.AdvanceToAsync(At(12, 14, 9, 1));
        Assert.Equal(LotPhase.Open, (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!.Phase);
        Assert.Equal(LotPhase.Shelved, (await host.Bidding.Store.FindLotAsync(firstLot))!.Phase);
        Assert.Single(await host.TrailAsync("grants." + GrantLotOpeningGate.ShelvedAction));
        Assert.Equal(["offering.submitted", GrantLotOpeningGate.ShelvedAction, "offering.returned", "offering.resubmitted", "notice.published"],
            (await host.Grants.HistoryAsync(offering)).Select(h => h.Action));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Announced_TheLotOpensAtItsTime_AsBefore(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.MineralRights, host.MineralAuction());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 3_100_000m);
        await host.CompleteAsync(await host.InstanceOfAsync(offering), "reviewOffering", "staff");
        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);

        await host.AdvanceToAsync(At(11, 23, 10, 1));

        Assert.Equal(LotPhase.Open, (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!.Phase);
        Assert.Contains(await host.Bidding.Store.ReadLogAsync(offering.LotId!.Value, 0), e => e.Kind == BidLogKind.PhaseChanged);
        Assert.Empty(await host.TrailAsync("grants." + GrantLotOpeningGate.ShelvedAction));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task DemoListing_NotPublishedByItsOpening_IsShelved_AndItsNoticeRefusedBeforeTheApplicationDeadline(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider, demoCentre: true);
        var demo = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.LandRights, host.LandListing());
        demo = await host.Grants.SubmitAsync(host.Grantor, demo.Id, demo.Version, null, new GrantDemoSchedule(TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(2)));
        Assert.True(demo.ApplicationDeadline > demo.BiddingOpens); // a listing takes applications into its free period

        await host.RunLotTimerAsync(demo.BiddingOpens.AddSeconds(1));

        Assert.Equal(LotPhase.Shelved, (await host.Bidding.Store.FindLotAsync(demo.LotId!.Value))!.Phase);
        var error = Assert.Throws<DomainRuleException>(() => host.Grants.CheckPublishable(demo, demo.BiddingOpens.AddSeconds(1)));
        Assert.Equal(GrantRules.NoticeAfterOpening, error.RuleCode);
    }
}
