// The online bidding engine under load (issue 14 §4).
//   dotnet run -c Release --project tools/bench/Trading.Workflow.Bench.Bidding -- [--seconds 8] [--bidders 64] [--watchers 500] [--rate 1200] [--only sqlite|pg] [--synchronous FULL|NORMAL]
// Default: over the wire (SignalRDriver): app nodes as processes (BenchNode: Kestrel + the engine + a hub forwarding the
// feed as the room's BiddingBroadcaster), bidders and watchers as real SignalR HubConnections (watchers in their own
// process); one node on SQLite, then two node processes on one PostgreSQL (--pg or TRADING_TEST_PG).
// --in-process: the engine called directly with in-process feed subscribers (the code below), as in the first session.
// Figures and the machine's load: docs/bidding.md#figures.
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

if (Environment.GetEnvironmentVariable("BENCH_MIN_THREADS") is { Length: > 0 } minThreads)
{
    ThreadPool.SetMinThreads(int.Parse(minThreads, System.Globalization.CultureInfo.InvariantCulture), 8);
}

if (args.Length > 0 && args[0] == "node")
{
    await Trading.Workflow.Bench.Bidding.BenchNode.RunAsync(args);
    return;
}

if (args.Length > 0 && args[0] == "watchers")
{
    await Trading.Workflow.Bench.Bidding.SignalRDriver.WatchAsync(args);
    return;
}

if (!args.Contains("--in-process"))
{
    await Trading.Workflow.Bench.Bidding.SignalRDriver.RunAsync(args);
    return;
}

var seconds = Argument("--seconds", 10);
var bidderCount = Argument("--bidders", 64);
var watcherCount = Argument("--watchers", 500);
var contended = args.Contains("--contended");
// Offered load in bids per second over all bidders (open loop, each bidder paced); 0 = as fast as answers come back.
var rate = Argument("--rate", 1500);
var pg = ArgumentText("--pg") ?? Environment.GetEnvironmentVariable("TRADING_TEST_PG");
Console.WriteLine($"Online bidding engine: one lot, {bidderCount} bidders offering {(rate > 0 ? rate + " bids/s" : "as fast as answered")} for {seconds} s, {watcherCount} watchers, {Environment.ProcessorCount} cores (shared), load average {LoadAverage()}");

var folder = Directory.CreateTempSubdirectory("tw-bench-bidding-").FullName;
try
{
    await using (var node = await Node(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "trading.db")};Pooling=True"))
    {
        // Warm-up (not reported): the JIT's first tier and the pools, so the figures are of the running engine.
        await Run("warm-up", [node], rising: true, report: false);
        await Run("one node, SQLite", [node], rising: true);
        if (contended)
        {
            await Run("one node, SQLite, contended load", [node], rising: false);
        }
    }

    if (pg is { Length: > 0 })
    {
        var database = "tw_bench_bidding_" + Guid.NewGuid().ToString("N")[..12];
        await Admin(pg, $"CREATE DATABASE \"{database}\"");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(pg) { Database = database, Pooling = true }.ConnectionString;
            await using var a = await Node(DatabaseProvider.PostgreSql, connection);
            await using var b = await Node(DatabaseProvider.PostgreSql, connection);
            await Run("warm-up", [a, b], rising: true, report: false);
            await Run("two nodes, one PostgreSQL", [a, b], rising: true);
            if (contended)
            {
                await Run("two nodes, one PostgreSQL, contended load", [a, b], rising: false);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await Admin(pg, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }
    else
    {
        Console.WriteLine("(two nodes on PostgreSQL skipped: pass --pg or set TRADING_TEST_PG)");
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

// rising: each bidder takes the next amount from one rising counter (a hot sale where everyone bids on the latest
// price), so arrivals are mostly in price order and mostly accepted; the engine still judges each one and refuses
// the ones that arrive after a higher bid. contended: each bidder bids 1-3 increments above the last price it saw,
// so most bids of a batch collide and are refused (the refusal path under load).
async Task Run(string label, IReadOnlyList<ServiceProvider> nodes, bool rising, bool report = true)
{
    var engines = nodes.Select(n => n.GetRequiredService<BiddingEngine>()).ToList();
    using var stop = new CancellationTokenSource();
    var listeners = nodes.Select(n => n.GetRequiredService<PostgresBidListener>().RunAsync(stop.Token)).ToList();
    var settings = new LotSettings(BiddingMode.Ascending, 10_000_000m, 1_000m, [], DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddHours(2),
        TimeSpan.Zero, TimeSpan.FromMinutes(5));
    var lot = await engines[0].CreateLotAsync(new LotDefinition(null, null, "性能测试地块（演示数据）", settings, 10_000_000m), "bench");
    var numbers = new List<int>();
    for (var i = 0; i < bidderCount; i++)
    {
        numbers.Add((await engines[0].AdmitAsync(lot, Guid.NewGuid(), $"竞买人{i:000}", "bench")).Number);
    }

    // Watchers: each must see every entry exactly once and in sequence order.
    var watchers = new Watcher[watcherCount];
    var subscriptions = new List<IDisposable>();
    for (var w = 0; w < watcherCount; w++)
    {
        var watcher = watchers[w] = new Watcher();
        var (view, subscription) = await engines[w % engines.Count].Feed.SubscribeAsync(lot, watcher.On);
        watcher.Last = view.LastSequence;
        subscriptions.Add(subscription);
    }

    await Task.Delay(200);
    var latencies = new ConcurrentBag<double>();
    long accepted = 0, refused = 0, repeatedOk = 0;
    long current = (long)(settings.StartPrice - settings.Increment);
    long ticket = 0;
    var clock = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(report ? seconds : 2);
    await Task.WhenAll(numbers.Select((number, i) => Task.Run(async () =>
    {
        var engine = engines[i % engines.Count];
        var random = new Random(number);
        var round = 0;
        var interval = rate > 0 ? TimeSpan.FromSeconds((double)numbers.Count / rate) : TimeSpan.Zero;
        var next = TimeSpan.FromTicks(interval.Ticks * i / numbers.Count);
        while (clock.Elapsed < end)
        {
            if (rate > 0)
            {
                next += interval;
                if (next > clock.Elapsed)
                {
                    await Task.Delay(next - clock.Elapsed);
                }
            }

            decimal seen = Interlocked.Read(ref current);
            var amount = rising
                ? settings.StartPrice + settings.Increment * Interlocked.Increment(ref ticket)
                : seen + settings.Increment * random.Next(1, 4);
            var key = $"{number}-{round++}";
            var started = Stopwatch.GetTimestamp();
            var receipt = await engine.SubmitAsync(lot, number, amount, key);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (receipt.Accepted)
            {
                Interlocked.Increment(ref accepted);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }

            if (receipt.CurrentPrice is { } price)
            {
                InterlockedMax(ref current, (long)price);
            }

            if (round % 50 == 0)
            {
                // A retry of the same bid (a client that lost the answer): answered from the log, never judged again.
                var again = await engines[(i + 1) % engines.Count].SubmitAsync(lot, number, amount, key);
                if (again.Repeated && again.Sequence == receipt.Sequence && again.Accepted == receipt.Accepted)
                {
                    Interlocked.Increment(ref repeatedOk);
                }
            }
        }
    })));
    var elapsed = clock.Elapsed.TotalSeconds;

    var log = await engines[0].Store.ReadLogAsync(lot, 0);
    var last = log[^1].Sequence;
    var wait = Stopwatch.StartNew();
    while (watchers.Any(w => w.Last < last) && wait.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(50);
    }

    var verify = Stopwatch.StartNew();
    var verification = BidLogVerifier.Verify(log);
    verify.Stop();
    var bids = log.Where(e => e.Kind == BidLogKind.Bid).ToList();
    var acceptedInLog = bids.Where(e => e.Accepted).ToList();
    var risingPrices = acceptedInLog.Zip(acceptedInLog.Skip(1)).All(p => p.Second.Amount > p.First.Amount);
    var sorted = latencies.OrderBy(l => l).ToArray();
    double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    if (!report)
    {
        subscriptions.ForEach(s => s.Dispose());
        await stop.CancelAsync();
        await Task.WhenAll(listeners);
        return;
    }

    Console.WriteLine($"== {label} == (load average now {LoadAverage()})");
    Console.WriteLine($"  bids judged {bids.Count} in {elapsed:F1} s: {bids.Count / elapsed:F0}/s; accepted {acceptedInLog.Count} ({acceptedInLog.Count / elapsed:F0}/s), refused {refused}");
    Console.WriteLine($"  arrival→ack latency ms: p50 {P(0.50):F1}  p95 {P(0.95):F1}  p99 {P(0.99):F1}  max {sorted[^1]:F1}");
    Console.WriteLine($"  accepted answers {accepted} = accepted log entries {acceptedInLog.Count}: {accepted == acceptedInLog.Count}; keys unique: {bids.Select(b => b.IdempotencyKey).Distinct().Count() == bids.Count}; retries answered from the log: {repeatedOk}");
    Console.WriteLine($"  prices strictly rising in log order: {risingPrices}; replay by the verifier: {(verification.Valid ? "valid" : "INVALID " + verification.Problem)} ({log.Count} entries in {verify.Elapsed.TotalMilliseconds:F0} ms)");
    Console.WriteLine($"  watchers {watcherCount}: all reached sequence {last}: {watchers.All(w => w.Last == last)}; gaps or repeats seen: {watchers.Sum(w => w.Errors)}; updates delivered {watchers.Sum(w => (long)w.Updates)}");
    subscriptions.ForEach(s => s.Dispose());
    await stop.CancelAsync();
    await Task.WhenAll(listeners);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

static void InterlockedMax(ref long target, long value)
{
    long seen;
    while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
    {
    }
}

static async Task<ServiceProvider> Node(DatabaseProvider provider, string connectionString)
{
    var services = new ServiceCollection();
    services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
    services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
    services.AddSingleton(TimeProvider.System);
    services.AddWorkflowPersistence(o =>
    {
        o.Provider = provider;
        o.ConnectionString = connectionString;
    });
    services.AddTradingKernel();
    services.AddSingleton<IBiddingEligibility, BenchEligibility>();
    var built = services.BuildServiceProvider();
    await built.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
    await built.GetRequiredService<TradingSchema>().UpgradeAsync();
    return built;
}

static async Task Admin(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

int Argument(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
}

string? ArgumentText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>The bench admits its generated bidders (eligibility has its own tests; the load is about ordering).</summary>
internal sealed class BenchEligibility : IBiddingEligibility
{
    public Task<IReadOnlyList<string>> ProblemsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}

/// <summary>A watcher: counts updates and checks each entry follows the previous one.</summary>
internal sealed class Watcher
{
    public long Last;
    public int Updates;
    public int Errors;

    public void On(LotUpdate update)
    {
        Updates++;
        foreach (var entry in update.Entries)
        {
            if (entry.Sequence != Last + 1)
            {
                Errors++;
            }

            Last = entry.Sequence;
        }
    }
}
