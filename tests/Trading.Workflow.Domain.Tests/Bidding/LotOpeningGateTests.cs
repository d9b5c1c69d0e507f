using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Bidding;

/// <summary>The opening gate (<see cref="ILotOpeningGate"/>): a lot a gate refuses is shelved instead of opening, on real databases.</summary>
public sealed class LotOpeningGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Refuses the lots it is told to; counts what it was asked and what it was told afterwards.</summary>
    internal sealed class ListGate : ILotOpeningGate
    {
        public const string Reason = "test.notice.unpublished";

        public HashSet<Guid> Refused { get; } = [];

        public List<LotOpening> Asked { get; } = [];

        public List<LotShelvedAtOpening> Shelved { get; } = [];

        public Exception? Failure { get; set; }

        public Task<string?> RefusalAsync(LotOpening lot, CancellationToken cancellationToken)
        {
            lock (Asked)
            {
                Asked.Add(lot);
            }

            return Failure is { } failure ? Task.FromException<string?>(failure) : Task.FromResult(Refused.Contains(lot.LotId) ? Reason : null);
        }

        public Task OnShelvedAsync(LotShelvedAtOpening shelved, CancellationToken cancellationToken)
        {
            lock (Shelved)
            {
                Shelved.Add(shelved);
            }

            return Task.CompletedTask;
        }
    }

    private static Task<TradingDatabaseHost> Start_(DatabaseProvider provider, ListGate gate, BiddingEngineTests.ManualTime time) =>
        TradingDatabaseHost.StartAsync(provider, s =>
        {
            s.AddSingleton<IBiddingEligibility>(new BiddingEngineTests.AdmitAll());
            s.AddSingleton<ILotOpeningGate>(gate);
        }, time);

    private static LotDefinition Auction(string title) => new(Guid.NewGuid(), Guid.NewGuid(), title,
        new LotSettings(BiddingMode.Ascending, 1_000m, 10m, [], Start.AddMinutes(10), Start.AddMinutes(30), TimeSpan.Zero, TimeSpan.FromMinutes(5)), 1_200m);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Refused_AtTheOpeningTick_IsShelvedNotOpened_ReserveSealed_ReplayValid_AndAnUngatedLotOpens(DatabaseProvider provider)
    {
        var time = new BiddingEngineTests.ManualTime(Start);
        var gate = new ListGate();
        await using var host = await Start_(provider, gate, time);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var timer = host.Services.GetRequiredService<BiddingTimer>();
        var refused = await engine.CreateLotAsync(Auction("未公告地块（测试）"), "grantor");
        var allowed = await engine.CreateLotAsync(Auction("已公告地块（测试）"), "grantor");
        gate.Refused.Add(refused);
        var bidder = await engine.AdmitAsync(refused, Guid.NewGuid(), "竞买人甲", "staff");

        // Before the opening nothing is asked.
        time.Advance(TimeSpan.FromMinutes(5));
        await timer.RunDueAsync();
        Assert.Empty(gate.Asked);

        time.Advance(TimeSpan.FromMinutes(6));
        await timer.RunDueAsync();

        var lot = (await engine.Store.FindLotAsync(refused))!;
        Assert.Equal(LotPhase.Shelved, lot.Phase);
        Assert.Null(lot.NextDue);
        var log = await engine.Store.ReadLogAsync(refused, 0);
        Assert.DoesNotContain(log, e => e.Kind is BidLogKind.PhaseChanged or BidLogKind.Closed);
        var shelved = log[^1];
        Assert.Equal(BidLogKind.Shelved, shelved.Kind);
        Assert.Contains(ListGate.Reason, shelved.Data, StringComparison.Ordinal);
        Assert.Contains(BiddingEngine.SystemActor, shelved.Data, StringComparison.Ordinal);
        var verification = await engine.VerifyAsync(refused);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Null(verification.Outcome);

        // The gate heard of it once, after the commit; the engine's trail records the shelving with the gate's reason.
        var told = Assert.Single(gate.Shelved);
        Assert.Equal((refused, ListGate.Reason, shelved.Sequence, shelved.Hash), (told.LotId, told.Reason, told.Sequence, told.Hash));
        await using (var db = host.Database.Create())
        {
            var record = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == BiddingTrail.Shelved && e.SubjectId == refused.ToString());
            Assert.Equal(BiddingEngine.SystemActor, record.Actor);
            Assert.Contains(ListGate.Reason, record.Data, StringComparison.Ordinal);
        }

        // Bids are refused as shelved; past the end nothing closes and the reserve is never revealed.
        Assert.Equal(BiddingRules.Shelved, (await engine.SubmitAsync(refused, bidder.Number, 1_000m, "b1")).Reason);
        time.Advance(TimeSpan.FromMinutes(30));
        await timer.RunDueAsync();
        Assert.Equal(LotPhase.Shelved, (await engine.Store.FindLotAsync(refused))!.Phase);
        Assert.DoesNotContain(await engine.Store.ReadLogAsync(refused, 0), e => e.Kind is BidLogKind.Closed or BidLogKind.PhaseChanged);
        Assert.True((await engine.VerifyAsync(refused)).Valid);

        // The lot the gate allowed opened and closed as before.
        var other = await engine.Store.ReadLogAsync(allowed, 0);
        Assert.Contains(other, e => e.Kind == BidLogKind.PhaseChanged);
        Assert.Contains(other, e => e.Kind == BidLogKind.Closed);
        Assert.Contains(gate.Asked, a => a.LotId == allowed);
        Assert.Single(gate.Shelved);

        // A restart (a fresh writer from the log) finds it shelved and never asks again.
        var asked = gate.Asked.Count;
        await using var restarted = new BiddingEngine(engine.Store, engine.Feed, new BiddingEngineTests.AdmitAll(), time, NullLoggerFactory.Instance, gates: [gate]);
        Assert.Empty(await restarted.TickAsync(refused));
        Assert.Equal(BiddingRules.Shelved, (await restarted.SubmitAsync(refused, bidder.Number, 1_000m, "b2")).Reason);
        Assert.Equal(asked, gate.Asked.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Refused_ABidOrAnAdmissionArrivingBeforeTheTick_ShelvesIt_NeverOpens(DatabaseProvider provider)
    {
        var time = new BiddingEngineTests.ManualTime(Start);
        var gate = new ListGate();
        await using var host = await Start_(provider, gate, time);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var lot = await engine.CreateLotAsync(Auction("未公告地块（测试）"), "grantor");
        gate.Refused.Add(lot);
        var bidder = await engine.AdmitAsync(lot, Guid.NewGuid(), "竞买人甲", "staff");

        // No timer runs: the first command after the opening time is a bid.
        time.Advance(TimeSpan.FromMinutes(11));
        var receipt = await engine.SubmitAsync(lot, bidder.Number, 1_000m, "b1");
        Assert.False(receipt.Accepted);
        Assert.Equal(BiddingRules.Shelved, receipt.Reason);
        var late = await Assert.ThrowsAsync<DomainRuleException>(() => engine.AdmitAsync(lot, Guid.NewGuid(), "竞买人乙", "staff"));
        Assert.Equal(BiddingRules.Shelved, late.RuleCode);

        var log = await engine.Store.ReadLogAsync(lot, 0);
        Assert.Equal([BidLogKind.Opened, BidLogKind.Admitted, BidLogKind.Shelved, BidLogKind.Bid], log.Select(e => e.Kind));
        Assert.Single(gate.Shelved);
        Assert.True((await engine.VerifyAsync(lot)).Valid);
    }

    [Fact]
    public async Task Refused_TwoNodesTickingAtOnce_OneShelvedEntry_NoOpening()
    {
        var time = new BiddingEngineTests.ManualTime(Start);
        var gate = new ListGate();
        await using var host = await Start_(DatabaseProvider.PostgreSql, gate, time);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        await using var second = new BiddingEngine(engine.Store, engine.Feed, new BiddingEngineTests.AdmitAll(), time, NullLoggerFactory.Instance, gates: [gate]);
        var lot = await engine.CreateLotAsync(Auction("未公告地块（测试）"), "grantor");
        gate.Refused.Add(lot);

        time.Advance(TimeSpan.FromMinutes(11));
        await Task.WhenAll(engine.TickAsync(lot), second.TickAsync(lot), engine.TickAsync(lot), second.TickAsync(lot));

        var log = await engine.Store.ReadLogAsync(lot, 0);
        Assert.Equal([BidLogKind.Opened, BidLogKind.Shelved], log.Select(e => e.Kind));
        Assert.Single(gate.Shelved);
        Assert.True((await engine.VerifyAsync(lot)).Valid);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task GateFails_TheLotStaysScheduled_ThenOpensWhenTheGateAllows(DatabaseProvider provider)
    {
        var time = new BiddingEngineTests.ManualTime(Start);
        var gate = new ListGate { Failure = new InvalidOperationException("the slice's database was away") };
        await using var host = await Start_(provider, gate, time);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var timer = host.Services.GetRequiredService<BiddingTimer>();
        var lot = await engine.CreateLotAsync(Auction("公告地块（测试）"), "grantor");

        time.Advance(TimeSpan.FromMinutes(11));
        await timer.RunDueAsync();
        Assert.Equal(LotPhase.Scheduled, (await engine.Store.FindLotAsync(lot))!.Phase);
        Assert.Equal([BidLogKind.Opened], (await engine.Store.ReadLogAsync(lot, 0)).Select(e => e.Kind));

        gate.Failure = null;
        await timer.RunDueAsync();
        Assert.Equal(LotPhase.Open, (await engine.Store.FindLotAsync(lot))!.Phase);
        Assert.Empty(gate.Shelved);
    }
}
