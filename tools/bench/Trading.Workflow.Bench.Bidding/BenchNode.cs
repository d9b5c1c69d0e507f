using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Bench.Bidding;

/// <summary>A bid's answer over the wire, with the server's own arrival→ack time (hub method entered → receipt).</summary>
public sealed record WireReceipt(bool Accepted, long Sequence, decimal? CurrentPrice, bool Repeated, double ServerMs);

/// <summary>A lot registered for a run: its id and the admitted numbers.</summary>
public sealed record WireLot(Guid LotId, int[] Numbers);

/// <summary>What the node finds in the log after a run (read from the database, replayed by the verifier).</summary>
public sealed record WireCheck(long LastSequence, int Bids, int Accepted, bool KeysUnique, bool PricesRising, bool Valid, string? Problem, int Entries, double VerifyMs);

/// <summary>
/// The part of an update (<see cref="LotTicker"/>) a watcher reads: the first sequence and the entries' kinds (one per
/// entry, so the run is From … From + Kinds.Count − 1); the rest of the real payload is skipped.
/// </summary>
public sealed record WireUpdate(long From, IReadOnlyList<BidLogKind> Kinds);

/// <summary>
/// One app node of the bench: the shared bidding engine on SQLite or PostgreSQL behind Kestrel, with a SignalR hub
/// whose watchers get the lot's live feed exactly as the room's <c>BiddingBroadcaster</c> sends it (one feed
/// subscription per lot per node, <c>update</c> messages carrying <see cref="LotTicker"/> to the lot's group) and
/// whose bidders submit through the lot's sequencer. On PostgreSQL the node listens for the other node's commits
/// (LISTEN/NOTIFY), as the web app does.
/// </summary>
public static class BenchNode
{
    public static async Task RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var provider = Arg("--provider") == "pg" ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;
        var port = int.Parse(Arg("--port"), System.Globalization.CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddWorkflowPersistence(o =>
        {
            o.Provider = provider;
            o.ConnectionString = Arg("--cs");
            if (Array.IndexOf(args, "--synchronous") >= 0)
            {
                o.SqliteSynchronous = Arg("--synchronous");
            }
        });
        builder.Services.AddTradingKernel();
        builder.Services.AddSingleton<IBiddingEligibility, BenchEligibility>();
        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 1 << 20);
        builder.Services.AddSingleton<Forwarder>();
        var app = builder.Build();
        await app.Services.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
        await app.Services.GetRequiredService<TradingSchema>().UpgradeAsync();
        app.Services.GetRequiredService<BidFeed>().PublishInterval = TimeSpan.FromMilliseconds(int.Parse(Arg("--publish-ms"), System.Globalization.CultureInfo.InvariantCulture));
        app.MapHub<BenchHub>("/hub");
        using var stop = new CancellationTokenSource();
        var listener = app.Services.GetRequiredService<PostgresBidListener>().RunAsync(stop.Token);
        await app.StartAsync();
        Console.WriteLine("READY");
        // The driver ends the node by closing its standard input.
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
        await listener;
        await app.StopAsync();
    }
}

/// <summary>Forwards each lot's feed on this node to its SignalR group (as the room's BiddingBroadcaster).</summary>
public sealed class Forwarder(BidFeed feed, IHubContext<BenchHub> hub)
{
    private readonly Dictionary<Guid, IDisposable> _subscriptions = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task EnsureAsync(Guid lotId)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_subscriptions.ContainsKey(lotId))
            {
                var group = "lot:" + lotId.ToString("N");
                var (_, subscription) = await feed.SubscribeAsync(lotId, update => _ = hub.Clients.Group(group).SendAsync("update", LotTicker.Of(update)));
                _subscriptions[lotId] = subscription;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

public sealed class BenchHub(BiddingEngine engine, Forwarder forwarder) : Hub
{
    public async Task<WireLot> CreateLot(int bidders)
    {
        var settings = new LotSettings(BiddingMode.Ascending, 10_000_000m, 1_000m, [], DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(2),
            TimeSpan.Zero, TimeSpan.FromMinutes(5));
        var lot = await engine.CreateLotAsync(new LotDefinition(null, null, "性能测试地块（演示数据）", settings, 10_000_000m), "bench");
        var numbers = new int[bidders];
        for (var i = 0; i < bidders; i++)
        {
            numbers[i] = (await engine.AdmitAsync(lot, Guid.NewGuid(), $"竞买人{i:000}", "bench")).Number;
        }

        return new WireLot(lot, numbers);
    }

    /// <summary>Joins the lot's group; answers the sequence the watcher starts after.</summary>
    public async Task<long> Watch(Guid lotId)
    {
        await forwarder.EnsureAsync(lotId);
        await Groups.AddToGroupAsync(Context.ConnectionId, "lot:" + lotId.ToString("N"));
        return (await engine.Feed.ViewAsync(lotId)).LastSequence;
    }

    public async Task<WireReceipt> Bid(Guid lotId, int number, decimal amount, string key)
    {
        var started = Stopwatch.GetTimestamp();
        var receipt = await engine.SubmitAsync(lotId, number, amount, key);
        return new WireReceipt(receipt.Accepted, receipt.Sequence, receipt.CurrentPrice, receipt.Repeated, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>This node's sequencer of the lot: transactions committed and the commands judged in them (group commit).</summary>
    public long[] Commits(Guid lotId)
    {
        var (commits, commands) = engine.CommitStats(lotId);
        return [commits, commands];
    }

    public async Task<WireCheck> Check(Guid lotId)
    {
        var log = await engine.Store.ReadLogAsync(lotId, 0);
        var verify = Stopwatch.StartNew();
        var verification = BidLogVerifier.Verify(log);
        verify.Stop();
        var bids = log.Where(e => e.Kind == BidLogKind.Bid).ToList();
        var accepted = bids.Where(e => e.Accepted).ToList();
        return new WireCheck(log[^1].Sequence, bids.Count, accepted.Count, bids.Select(b => b.IdempotencyKey).Distinct().Count() == bids.Count,
            accepted.Zip(accepted.Skip(1)).All(p => p.Second.Amount > p.First.Amount), verification.Valid, verification.Problem, log.Count, verify.Elapsed.TotalMilliseconds);
    }
}
