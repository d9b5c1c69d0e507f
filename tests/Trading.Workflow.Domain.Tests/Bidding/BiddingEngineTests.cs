using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Bidding;

/// <summary>The engine on real databases: the sequencer, group commit, the durable timer, retries, two nodes.</summary>
public sealed class BiddingEngineTests
{
    /// <summary>Admits every entity: these tests are about ordering, not eligibility (which has its own test).</summary>
    internal sealed class AdmitAll : IBiddingEligibility
    {
        public Task<IReadOnlyList<string>> ProblemsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }

    internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private long _ticks = now.UtcTicks;

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    private static Task<TradingDatabaseHost> Start(DatabaseProvider provider, TimeProvider? time = null) =>
        TradingDatabaseHost.StartAsync(provider, s => s.AddSingleton<IBiddingEligibility>(new AdmitAll()), time);

    private static LotDefinition Auction(DateTimeOffset opens, TimeSpan length, decimal? reserve = null) => new(null, null, "演示地块 2026-01 拍卖（测试）",
        new LotSettings(BiddingMode.Ascending, 1_000m, 10m, [1, 2, 5], opens, opens + length, TimeSpan.Zero, TimeSpan.FromMinutes(5)), reserve);

    private static async Task<List<int>> Admit(BiddingEngine engine, Guid lot, int count)
    {
        var numbers = new List<int>();
        for (var i = 0; i < count; i++)
        {
            numbers.Add((await engine.AdmitAsync(lot, Guid.NewGuid(), $"竞买人{i}", "staff")).Number);
        }

        return numbers;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ParallelBidders_WithRetries_NoAcceptedBidLostOrDoubled_AndTheLogReplays(DatabaseProvider provider)
    {
        await using var host = await Start(provider);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var lot = await engine.CreateLotAsync(Auction(DateTimeOffset.UtcNow.AddSeconds(-1), TimeSpan.FromHours(1)), "staff");
        var bidders = await Admit(engine, lot, 8);
        var receipts = new ConcurrentBag<BidReceipt>();

        await Task.WhenAll(bidders.Select(number => Task.Run(async () =>
        {
            for (var round = 0; round < 40; round++)
            {
                var view = await engine.Feed.ViewAsync(lot);
                var key = $"{number}-{round}";
                var amount = view.NextValidPrice!.Value;
                receipts.Add(await engine.SubmitAsync(lot, number, amount, key));
                // The client did not see the answer and sends the same bid again: same judgement, nothing new.
                receipts.Add(await engine.SubmitAsync(lot, number, amount, key));
            }
        })));

        var log = await engine.Store.ReadLogAsync(lot, 0);
        var bids = log.Where(e => e.Kind == BidLogKind.Bid).ToList();
        Assert.Equal(bidders.Count * 40, bids.Count);
        Assert.Equal(bids.Count, bids.Select(b => b.IdempotencyKey).Distinct().Count());
        var accepted = bids.Where(b => b.Accepted).ToList();
        Assert.True(accepted.Count > 40, $"only {accepted.Count} accepted");
        Assert.True(accepted.Zip(accepted.Skip(1)).All(p => p.Second.Amount > p.First.Amount), "accepted prices rise strictly in log order");
        foreach (var receipt in receipts.Where(r => r.Accepted))
        {
            Assert.Contains(accepted, a => a.Sequence == receipt.Sequence && a.Amount == receipt.Amount);
        }

        Assert.Equal(accepted.Count, receipts.Where(r => r.Accepted).Select(r => r.Sequence).Distinct().Count());
        var verification = await engine.VerifyAsync(lot);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(accepted.Count, verification.AcceptedBids);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DurableTimer_MovedByAnExtension_ClosesAtTheNewEnd_AndALateBidIsRefused(DatabaseProvider provider)
    {
        var start = new DateTimeOffset(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);
        var time = new ManualTime(start);
        await using var host = await Start(provider, time);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var timer = host.Services.GetRequiredService<BiddingTimer>();
        var lot = await engine.CreateLotAsync(Auction(start.AddMinutes(1), TimeSpan.FromMinutes(30), reserve: 1_010m), "staff");
        var (a, b) = (await Admit(engine, lot, 2)) switch { var n => (n[0], n[1]) };

        time.Advance(TimeSpan.FromMinutes(2));
        await timer.RunDueAsync();
        Assert.True((await engine.SubmitAsync(lot, a, 1_000m, "1")).Accepted);
        time.Advance(TimeSpan.FromMinutes(27));
        var extended = await engine.SubmitAsync(lot, b, 1_010m, "2");
        Assert.Equal(start.AddMinutes(29).AddMinutes(5), extended.EndsAt);
        Assert.Equal(start.AddMinutes(34), (await engine.Store.FindLotAsync(lot))!.NextDue);

        time.Advance(TimeSpan.FromMinutes(2));
        await timer.RunDueAsync();
        Assert.Equal(LotPhase.Open, (await engine.Feed.ViewAsync(lot)).Phase);

        time.Advance(TimeSpan.FromMinutes(3));
        await timer.RunDueAsync();
        var late = await engine.SubmitAsync(lot, a, 1_020m, "3");
        Assert.Equal(BiddingRules.AfterClose, late.Reason);
        var view = await engine.Feed.ViewAsync(lot);
        Assert.Equal(new LotOutcome(true, b, 1_010m, null, 1_010m, false), view.Outcome);
        Assert.Null((await engine.Store.FindLotAsync(lot))!.NextDue);
        Assert.True((await engine.VerifyAsync(lot)).Valid);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Reserve_IsNeitherInTheLotRecordNorInTheViewBeforeTheClose(DatabaseProvider provider)
    {
        await using var host = await Start(provider);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var lot = await engine.CreateLotAsync(Auction(DateTimeOffset.UtcNow.AddSeconds(-1), TimeSpan.FromHours(1), reserve: 987_654m), "staff");

        var view = await engine.Feed.ViewAsync(lot);
        var log = await engine.Store.ReadLogAsync(lot, 0);

        Assert.DoesNotContain("987654", System.Text.Json.JsonSerializer.Serialize(view));
        Assert.DoesNotContain("987654", System.Text.Json.JsonSerializer.Serialize(await engine.Store.FindLotAsync(lot)));
        Assert.DoesNotContain(log, e => e.Data?.Contains("987654", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Feed_GivenBatchesWithAnotherNodesEntryBetweenThem_DeliversEverySequenceOnceInOrder()
    {
        await using var host = await Start(DatabaseProvider.Sqlite);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var lot = await engine.CreateLotAsync(Auction(DateTimeOffset.UtcNow.AddSeconds(-1), TimeSpan.FromHours(1)), "staff");
        var bidders = await Admit(engine, lot, 2);
        // This node's feed, subscribed before the bids; the engine's own sequencer publishes to its feed, not to this one.
        var feed = new BidFeed(engine.Store, NullLogger<BidFeed>.Instance) { PublishInterval = TimeSpan.Zero };
        var seen = new ConcurrentQueue<long>();
        var (start, subscription) = await feed.SubscribeAsync(lot, u => { foreach (var e in u.Entries) { seen.Enqueue(e.Sequence); } });
        using var _ = subscription;
        var price = 1_000m;
        for (var i = 0; i < 3; i++, price += 10m)
        {
            Assert.True((await engine.SubmitAsync(lot, bidders[i % 2], price, $"k{i}")).Accepted);
        }

        var log = await engine.Store.ReadLogAsync(lot, start.LastSequence);
        Assert.Equal(3, log.Count);

        // Two of "this node's" batches coalesced, with the other node's entry between them missing.
        feed.Publish(lot, [log[0], log[2]]);

        var last = log[^1].Sequence;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (seen.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(log.Select(e => e.Sequence), seen);
        Assert.Equal(last, feed.SequenceOf(lot));
    }

    [Fact]
    public async Task Eligibility_WithoutRegistrationOrDeposit_IsRefusedWithBothReasons()
    {
        await using var host = await TradingDatabaseHost.StartAsync(DatabaseProvider.Sqlite);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var lot = await engine.CreateLotAsync(Auction(DateTimeOffset.UtcNow, TimeSpan.FromHours(1)) with { SectionId = Guid.NewGuid() }, "staff");

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => engine.AdmitAsync(lot, Guid.NewGuid(), "未登记公司", "staff"));

        Assert.Equal(DepositAndRegistrationEligibility.RegistrationMissing, refused.RuleCode);
        Assert.Contains(DepositAndRegistrationEligibility.DepositMissing, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoEngines_OnOnePostgreSql_OrderBidsExactlyOnce_AndBothFeedsSeeTheSameSequence()
    {
        await using var host = await Start(DatabaseProvider.PostgreSql);
        var connection = host.Services.GetRequiredService<WorkflowDatabase>().Options.ConnectionString;
        await using var other = SecondNode(connection);
        var nodes = new[] { host.Services.GetRequiredService<BiddingEngine>(), other.GetRequiredService<BiddingEngine>() };
        using var listening = new CancellationTokenSource();
        var listeners = new[] { host.Services, other }.Select(s => s.GetRequiredService<PostgresBidListener>().RunAsync(listening.Token)).ToList();
        var lot = await nodes[0].CreateLotAsync(Auction(DateTimeOffset.UtcNow.AddSeconds(-1), TimeSpan.FromHours(1)), "staff");
        var bidders = await Admit(nodes[0], lot, 6);
        var seen = new[] { new ConcurrentQueue<long>(), new ConcurrentQueue<long>() };
        var subscriptions = new List<IDisposable>();
        for (var n = 0; n < 2; n++)
        {
            var queue = seen[n];
            var (view, subscription) = await nodes[n].Feed.SubscribeAsync(lot, u =>
            {
                foreach (var e in u.Entries)
                {
                    queue.Enqueue(e.Sequence);
                }
            });
            subscriptions.Add(subscription);
            for (var s = 1; s <= view.LastSequence; s++)
            {
                queue.Enqueue(s);
            }
        }

        await Task.Delay(300);
        var receipts = new ConcurrentBag<(int Node, BidReceipt Receipt)>();
        await Task.WhenAll(bidders.Select((number, i) => Task.Run(async () =>
        {
            for (var round = 0; round < 30; round++)
            {
                var node = (i + round) % 2;
                var view = await nodes[node].Feed.ViewAsync(lot);
                var key = $"{number}-{round}";
                receipts.Add((node, await nodes[node].SubmitAsync(lot, number, view.NextValidPrice!.Value, key)));
                // The page reconnects to the other node and sends the same bid again.
                var again = await nodes[1 - node].SubmitAsync(lot, number, view.NextValidPrice!.Value, key);
                Assert.True(again.Repeated);
            }
        })));

        var log = await nodes[1].Store.ReadLogAsync(lot, 0);
        var bids = log.Where(e => e.Kind == BidLogKind.Bid).ToList();
        Assert.Equal(bidders.Count * 30, bids.Count);
        Assert.Equal(bids.Count, bids.Select(b => b.IdempotencyKey).Distinct().Count());
        Assert.Contains(receipts, r => r.Node == 0 && r.Receipt.Accepted);
        Assert.Contains(receipts, r => r.Node == 1 && r.Receipt.Accepted);
        var accepted = bids.Where(b => b.Accepted).ToList();
        Assert.True(accepted.Zip(accepted.Skip(1)).All(p => p.Second.Amount > p.First.Amount));
        Assert.True((await nodes[0].VerifyAsync(lot)).Valid);

        var last = log[^1].Sequence;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((seen[0].Count < last || seen[1].Count < last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), seen[0]);
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), seen[1]);
        subscriptions.ForEach(s => s.Dispose());
        await listening.CancelAsync();
        await Task.WhenAll(listeners);
        foreach (var node in nodes.Skip(1))
        {
            await node.DisposeAsync();
        }
    }

    private static ServiceProvider SecondNode(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(TimeProvider.System);
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.PostgreSql;
            o.ConnectionString = connectionString;
        });
        services.AddTradingKernel();
        services.AddSingleton<IBiddingEligibility>(new AdmitAll());
        return services.BuildServiceProvider();
    }
}
