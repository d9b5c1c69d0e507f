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

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AcceptedBids_AreNumberedWithoutGaps_RefusalsStayInTheChainedLog_AndEveryReaderAgrees(DatabaseProvider provider)
    {
        await using var host = await Start(provider);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var lot = await engine.CreateLotAsync(Auction(DateTimeOffset.UtcNow.AddSeconds(-1), TimeSpan.FromHours(1)), "staff");
        var (a, b) = (await Admit(engine, lot, 2)) switch { var n => (n[0], n[1]) };
        // A watcher of the node's feed (and, below, the SignalR form of its updates, LotTicker), from before the first bid.
        var updates = new ConcurrentQueue<LotUpdate>();
        var (_, subscription) = await engine.Feed.SubscribeAsync(lot, updates.Enqueue);
        using var _ = subscription;

        var receipts = new List<BidReceipt>
        {
            await engine.SubmitAsync(lot, a, 1_000m, "a1"),
            await engine.SubmitAsync(lot, b, 1_000m, "b-low"),
            await engine.SubmitAsync(lot, b, 1_030m, "b-3x"),
            await engine.SubmitAsync(lot, b, 1_010m, "b1"),
            await engine.SubmitAsync(lot, a, 1_010m, "a-low"),
            await engine.SubmitAsync(lot, a, 1_060m, "a2"),
        };
        var repeated = await engine.SubmitAsync(lot, b, 1_010m, "b1");

        Assert.Equal([true, false, false, true, false, true], receipts.Select(r => r.Accepted));
        Assert.Equal([1, null, null, 2, null, 3], receipts.Select(r => r.Ordinal));
        Assert.True(repeated.Repeated);
        Assert.Equal(2, repeated.Ordinal);

        // Every refusal is in the hash-chained log with its own sequence; the chain replays as before.
        var log = await engine.Store.ReadLogAsync(lot, 0);
        var bids = log.Where(e => e.Kind == BidLogKind.Bid).ToList();
        Assert.Equal(6, bids.Count);
        Assert.Equal(receipts.Select(r => r.Sequence), bids.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range((int)bids[0].Sequence, 6).Select(n => (long)n), bids.Select(e => e.Sequence));
        var verification = await engine.VerifyAsync(lot);
        Assert.True(verification.Valid, verification.Problem);
        Assert.Equal(3, verification.AcceptedBids);

        // The view, the catch-up read, the live update and its wire form, and a node that loads the log afresh agree.
        int?[] expected = [1, 2, 3];
        Assert.Equal(expected, (await engine.Feed.ViewAsync(lot)).History.Select(e => e.Ordinal));
        var since = await engine.Feed.SinceAsync(lot, 0);
        Assert.Equal(expected, since.Where(e => e.Kind == BidLogKind.Bid && e.Accepted).Select(e => e.Ordinal));
        Assert.All(since.Where(e => !(e.Kind == BidLogKind.Bid && e.Accepted)), e => Assert.Null(e.Ordinal));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (updates.Sum(u => u.Entries.Count) < bids.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var live = updates.SelectMany(u => u.Entries).ToList();
        Assert.Equal(expected, live.Where(e => e.Accepted && e.Kind == BidLogKind.Bid).Select(e => e.Ordinal));
        var wire = updates.SelectMany(u => LotTicker.Of(u).Entries()).ToList();
        Assert.Equal(live.Select(e => (e.Sequence, e.Ordinal)), wire.Select(e => (e.Sequence, e.Ordinal)));
        var restarted = new BidFeed(engine.Store, NullLogger<BidFeed>.Instance);
        Assert.Equal(expected, (await restarted.ViewAsync(lot)).History.Select(e => e.Ordinal));
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

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task GroupCommit_BidsQueuedWhileTheWriterWaits_AreOneCommit_JudgedInArrivalOrder_EachAnsweredOnce(DatabaseProvider provider)
    {
        await using var host = await Start(provider);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        var database = host.Services.GetRequiredService<WorkflowDatabase>();
        var lot = await engine.CreateLotAsync(Auction(DateTimeOffset.UtcNow.AddSeconds(-1), TimeSpan.FromHours(1)), "staff");
        var bidders = await Admit(engine, lot, 4);
        Assert.True((await engine.SubmitAsync(lot, bidders[0], 1_000m, "warm")).Accepted);
        var before = engine.CommitStats(lot);

        // Another writer holds the lot (SQLite: the database's write lock; PostgreSQL: the lot's row), so the sequencer's
        // next batch waits in its BEGIN while the bids below queue up behind it.
        var holder = await database.OpenConnectionAsync();
        await using (holder)
        {
            await using (var hold = holder.CreateCommand())
            {
                hold.CommandText = provider == DatabaseProvider.PostgreSql
                    ? $"BEGIN; SELECT 1 FROM \"tr_bidding_lots\" WHERE \"id\" = '{lot}' FOR UPDATE;"
                    : "BEGIN IMMEDIATE;";
                await hold.ExecuteNonQueryAsync();
            }

            var first = engine.SubmitAsync(lot, bidders[1], 1_010m, "k0");
            await Task.Delay(300);
            var queued = Enumerable.Range(1, 100).Select(i => engine.SubmitAsync(lot, bidders[(i + 1) % 4], 1_010m + 10m * i, $"k{i}")).ToList();
            await Task.Delay(200);
            Assert.False(first.IsCompleted || queued.Any(t => t.IsCompleted), "nothing is answered before its commit");
            await using (var release = holder.CreateCommand())
            {
                release.CommandText = "ROLLBACK;";
                await release.ExecuteNonQueryAsync();
            }

            var receipts = await Task.WhenAll([first, .. queued]);
            var after = engine.CommitStats(lot);

            // Two transactions: the first bid's batch, then the 100 queued meanwhile, together.
            Assert.Equal(2, after.Commits - before.Commits);
            Assert.Equal(101, after.Commands - before.Commands);
            Assert.All(receipts, r => Assert.True(r.Accepted && !r.Repeated));
            // Judged in arrival order: consecutive sequences, the k-th arrival at the k-th place.
            Assert.Equal(Enumerable.Range(0, 101).Select(i => receipts[0].Sequence + i), receipts.Select(r => r.Sequence));
            var log = await engine.Store.ReadLogAsync(lot, receipts[0].Sequence - 1);
            Assert.Equal(Enumerable.Range(0, 101).Select(i => $"k{i}"), log.Select(e => e.IdempotencyKey));
            Assert.True((await engine.VerifyAsync(lot)).Valid);

            // Acknowledged once: the same bids again are answered from the log, nothing new is written.
            for (var i = 0; i <= 100; i += 25)
            {
                var again = await engine.SubmitAsync(lot, bidders[(i + 1) % 4], 1_010m + 10m * i, $"k{i}");
                Assert.True(again.Repeated);
                Assert.Equal(receipts[i].Sequence, again.Sequence);
            }

            Assert.Equal(log[^1].Sequence, (await engine.Store.ReadLogAsync(lot, 0))[^1].Sequence);
        }
    }

    [Fact]
    public async Task Feed_CoalescesCommitsIntoGapFreeUpdates_AndAWatcherDroppedMidUpdateRejoinsWithoutMissingAnEntry()
    {
        await using var host = await Start(DatabaseProvider.Sqlite);
        var engine = host.Services.GetRequiredService<BiddingEngine>();
        engine.Feed.PublishInterval = TimeSpan.FromMilliseconds(50);
        var lot = await engine.CreateLotAsync(Auction(DateTimeOffset.UtcNow.AddSeconds(-1), TimeSpan.FromHours(1)), "staff");
        var bidders = await Admit(engine, lot, 8);

        // A: watches throughout. B: drops after the first half of an update that carries several entries, then
        // rejoins as the hub's Join does (subscribe, then read what it missed after the last entry it kept).
        var updates = new ConcurrentQueue<LotUpdate>();
        var (viewA, subscriptionA) = await engine.Feed.SubscribeAsync(lot, updates.Enqueue);
        using var _ = subscriptionA;
        var b = new List<long>();
        var bGate = new Lock();
        var dropped = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (viewB, subscriptionB) = await engine.Feed.SubscribeAsync(lot, u =>
        {
            lock (bGate)
            {
                if (dropped.Task.IsCompleted)
                {
                    return;
                }

                var keep = u.Entries.Count > 1 ? u.Entries.Count / 2 : u.Entries.Count;
                b.AddRange(u.Entries.Take(keep).Select(e => e.Sequence));
                if (keep < u.Entries.Count)
                {
                    dropped.TrySetResult(b[^1]);
                }
            }
        });

        var bidding = Task.WhenAll(bidders.Select(number => Task.Run(async () =>
        {
            for (var round = 0; round < 30; round++)
            {
                var view = await engine.Feed.ViewAsync(lot);
                await engine.SubmitAsync(lot, number, view.NextValidPrice!.Value, $"{number}-{round}");
            }
        })));

        var droppedAt = await dropped.Task.WaitAsync(TimeSpan.FromSeconds(30));
        subscriptionB.Dispose();
        var rejoined = new ConcurrentQueue<LotUpdate>();
        var (viewAgain, subscriptionAgain) = await engine.Feed.SubscribeAsync(lot, rejoined.Enqueue);
        using var __ = subscriptionAgain;
        var missed = await engine.Feed.SinceAsync(lot, droppedAt);
        await bidding;

        var last = (await engine.Store.ReadLogAsync(lot, 0))[^1].Sequence;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((updates.IsEmpty || updates.Last().View.LastSequence < last || rejoined.IsEmpty || rejoined.Last().View.LastSequence < last) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // A: every entry once, in order, each update starting right after the previous one.
        var a = updates.SelectMany(u => u.Entries).Select(e => e.Sequence).ToList();
        Assert.Equal(Enumerable.Range((int)viewA.LastSequence + 1, (int)(last - viewA.LastSequence)).Select(i => (long)i), a);
        Assert.All(updates, u => Assert.Equal(u.Entries[^1].Sequence, u.View.LastSequence));
        // Coalesced: an update carries whole commits, so there are no more updates than commits (and, here, fewer).
        var (commits, _) = engine.CommitStats(lot);
        Assert.True(updates.Count < commits, $"{updates.Count} updates for {commits} commits");

        // B: what it kept, then what it read after the drop and what came after the rejoin (skipping what it had).
        var seen = new List<long>(b);
        foreach (var sequence in missed.Select(e => e.Sequence).Concat(rejoined.SelectMany(u => u.Entries).Select(e => e.Sequence)))
        {
            if (sequence > seen[^1])
            {
                Assert.Equal(seen[^1] + 1, sequence);
                seen.Add(sequence);
            }
        }

        Assert.True(viewAgain.LastSequence >= droppedAt);
        Assert.Equal(Enumerable.Range((int)viewB.LastSequence + 1, (int)(last - viewB.LastSequence)).Select(i => (long)i), seen);

        // The wire form sent to SignalR watchers: every entry of the update, in order, through JSON and back.
        var web = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        foreach (var update in updates)
        {
            var ticker = System.Text.Json.JsonSerializer.Deserialize<LotTicker>(System.Text.Json.JsonSerializer.Serialize(LotTicker.Of(update), web), web)!;
            Assert.Equal(update.Entries.Select(e => e with { Hash = string.Empty }).SkipLast(1), ticker.Entries().SkipLast(1));
            Assert.Equal(update.Entries[^1], ticker.Entries()[^1]);
            Assert.Equal(update.View.LastSequence, ticker.View.LastSequence);
        }
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
