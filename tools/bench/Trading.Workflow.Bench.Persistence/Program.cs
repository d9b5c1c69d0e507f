using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Runtime;

// Durable-store benchmarks (issues 4 and 15 §2), both providers side by side in one run:
//   1. commands/s of tools/bench/benchmark.bpmn through the engine on the durable store (start, complete both tasks:
//      three commands per instance), beside the rate of raw one-row insert transactions on the same database in the
//      same run (the physical limit: one commit per command), with one client and with --clients concurrent clients
//      (SQLite: grouped commits, several commands per transaction; PostgreSQL: commands commit side by side on their
//      own connections and the server shares WAL flushes among them); the ratios engine commands/s : raw single-client tx/s
//      are printed for both, with the process CPU per command and the engine's own CPU on the in-memory store;
//      on SQLite it first prints the WAL pages a command writes, by table and index (what the commit must write and
//      fsync; the raw insert writes about 2); each round also prints the 1-client time by phase (the start, the
//      bench's task query, a completion) beside the raw transaction's;
//   2. the inbox query (open tasks by assignee, candidate user or role, earliest due first, page of 50) over
//      1,000,000 bulk-loaded tasks: p50 and p95.
// PostgreSQL runs with its production durability: the run stops when the server has fsync or synchronous_commit
// off (a commit that is not flushed says nothing about the store's speed), unless --allow-unsafe-pg is given.
//
//   dotnet run -c Release --project tools/bench/Trading.Workflow.Bench.Persistence -- \
//       [--provider sqlite|postgres|both] [--pg "Host=...;Username=postgres"] [--instances 2000] [--warmup 100]
//       [--tasks 1000000] [--queries 300] [--sqlite-synchronous FULL|NORMAL] [--clients 8] [--group on|off]
//       [--rounds 3] [--allow-unsafe-pg] [--ceiling]
// --ceiling adds the ceiling of a store that appends one log row per command (LogCeiling.cs) after each provider's rounds.
// The engine part runs in rounds (raw inserts, engine 1 client, engine --clients clients); the ratios printed in the
// summary are the medians of the rounds' ratios.
// --instances 0 skips the engine part, --tasks 0 the inbox part.
// PostgreSQL: --pg or TRADING_TEST_PG (an admin connection string; a database is created and dropped).

var options = BenchOptions.Parse(args);
var providers = options.Provider switch
{
    "sqlite" => new[] { DatabaseProvider.Sqlite },
    "postgres" => [DatabaseProvider.PostgreSql],
    _ => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql],
};

if (providers.Contains(DatabaseProvider.PostgreSql))
{
    var durability = await PostgresDurability.ReadAsync(options.PostgresAdmin ?? throw new InvalidOperationException("PostgreSQL needs --pg or TRADING_TEST_PG."));
    Console.WriteLine($"pg:     {durability}");
    if (!durability.IsProduction)
    {
        Console.WriteLine(options.AllowUnsafePostgres
            ? "pg:     WARNING: fsync or synchronous_commit is off; the PostgreSQL figures say nothing about durable commits"
            : "pg:     fsync or synchronous_commit is off: refusing to measure (start the server with fsync=on and synchronous_commit=on, or pass --allow-unsafe-pg)");
        if (!options.AllowUnsafePostgres)
        {
            return 2;
        }
    }
}

EngineFloor? floor = options.Instances > 0 ? await EngineBench.FloorAsync(options) : null;
var results = new List<ProviderResult>();
foreach (var provider in providers)
{
    await using var target = await BenchDatabase.CreateAsync(provider, options);
    Console.WriteLine($"== {provider} ({target.Description})");
    var engine = options.Instances > 0 ? await EngineBench.RunAsync(target, options) : null;
    var inbox = options.Tasks > 0 ? await InboxBench.RunAsync(target, options) : null;
    results.Add(new ProviderResult(provider, engine, inbox));
}

Summary.Print(results, floor, options);
return 0;

/// <summary>What the server says about durability: a commit must reach the disk before it is acknowledged.</summary>
internal sealed record PostgresDurability(string Fsync, string SynchronousCommit, string FullPageWrites, string WalSyncMethod, string Version)
{
    public bool IsProduction => Fsync == "on" && SynchronousCommit is "on" or "remote_apply" or "remote_write" or "local";

    public static async Task<PostgresDurability> ReadAsync(string admin)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        async Task<string> Show(string name)
        {
            await using var command = new NpgsqlCommand("SHOW " + name, connection);
            return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "?";
        }

        return new PostgresDurability(await Show("fsync"), await Show("synchronous_commit"), await Show("full_page_writes"), await Show("wal_sync_method"), await Show("server_version"));
    }

    public override string ToString() =>
        $"PostgreSQL {Version}: fsync={Fsync}, synchronous_commit={SynchronousCommit}, full_page_writes={FullPageWrites}, wal_sync_method={WalSyncMethod}";
}

internal sealed record EngineFloor(double CommandsPerSecond, double CpuMillisecondsPerCommand);

/// <summary>The medians of the rounds (each ratio is the median of the rounds' ratios, not a ratio of medians).</summary>
internal sealed record EngineResult(
    double CommandsPerSecond, double CpuMillisecondsPerCommand, double ConcurrentCommandsPerSecond, double CommitsPerTransaction,
    double RawPerSecond, double RawConcurrentPerSecond, double Ratio, double ConcurrentRatio, string Load);

/// <summary>One round: raw inserts, then the engine with one client and with several, on the same database.</summary>
internal sealed record EngineRound(
    double RawPerSecond, double CommandsPerSecond, double CpuMillisecondsPerCommand, double ConcurrentCommandsPerSecond, double CommitsPerTransaction,
    double RawConcurrentPerSecond)
{
    public double Ratio => CommandsPerSecond / RawPerSecond;

    public double ConcurrentRatio => ConcurrentCommandsPerSecond / RawPerSecond;

    public static EngineResult Median(List<EngineRound> rounds)
    {
        double M(Func<EngineRound, double> value)
        {
            var sorted = rounds.Select(value).Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        return new EngineResult(
            M(r => r.CommandsPerSecond), M(r => r.CpuMillisecondsPerCommand), M(r => r.ConcurrentCommandsPerSecond), M(r => r.CommitsPerTransaction),
            M(r => r.RawPerSecond), M(r => r.RawConcurrentPerSecond), M(r => r.Ratio), M(r => r.ConcurrentRatio), string.Empty);
    }
}

internal sealed record InboxResult(int Tasks, double P50, double P95);

internal sealed record ProviderResult(DatabaseProvider Provider, EngineResult? Engine, InboxResult? Inbox);

/// <summary>The figures of both providers side by side, with the issue's targets.</summary>
internal static class Summary
{
    public static void Print(List<ProviderResult> results, EngineFloor? floor, BenchOptions options)
    {
        string Cell(Func<ProviderResult, string> value) => string.Join(" | ", results.Select(value));
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"| summary | {string.Join(" | ", results.Select(r => r.Provider.ToString()))} |");
        Console.WriteLine($"|---|{string.Concat(results.Select(_ => "---|"))}");
        if (results.Any(r => r.Engine is not null))
        {
            string E(Func<EngineResult, string> value) => Cell(r => r.Engine is { } e ? value(e) : "-");
            Console.WriteLine($"| raw one-row insert tx/s, 1 client (median of {options.Rounds} rounds) | {E(e => F(e.RawPerSecond, "F0"))} |");
            Console.WriteLine($"| engine commands/s, 1 client | {E(e => F(e.CommandsPerSecond, "F0"))} |");
            Console.WriteLine($"| ratio 1 client : raw 1 client (target >= 0.5) | {E(e => F(e.Ratio, "F3") + (e.Ratio >= 0.5 ? " holds" : " misses"))} |");
            Console.WriteLine($"| engine commands/s, {options.Clients} clients (commits per transaction) | {E(e => $"{F(e.ConcurrentCommandsPerSecond, "F0")} ({F(e.CommitsPerTransaction, "F2")})")} |");
            Console.WriteLine($"| ratio {options.Clients} clients : raw 1 client (target > 1) | {E(e => F(e.ConcurrentRatio, "F3") + (e.ConcurrentRatio > 1 ? " holds" : " misses"))} |");
            Console.WriteLine($"| process CPU per command, 1 client | {E(e => F(e.CpuMillisecondsPerCommand, "F3") + " ms")} |");
            Console.WriteLine($"| load average during the run | {E(e => e.Load)} |");
        }

        if (results.Any(r => r.Inbox is not null))
        {
            Console.WriteLine($"| inbox p50 / p95, page of 50 (target p95 < 50 ms) | {Cell(r => r.Inbox is { } i ? $"{F(i.P50, "F2")} / {F(i.P95, "F2")} ms over {i.Tasks:N0} tasks" : "-")} |");
        }

        if (floor is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"engine alone (in-memory store, same workload): {floor.CommandsPerSecond:F0} commands/s, {floor.CpuMillisecondsPerCommand:F3} ms CPU per command"));
        }
    }
}

internal sealed record BenchOptions(string Provider, string? PostgresAdmin, int Instances, int Warmup, int Tasks, int Queries, string SqliteSynchronous, int Clients, bool Group, bool AllowUnsafePostgres, int Rounds, bool Ceiling)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        return new BenchOptions(
            Get("--provider", "both"),
            Get("--pg", Environment.GetEnvironmentVariable("TRADING_TEST_PG") ?? string.Empty) is { Length: > 0 } pg ? pg : null,
            int.Parse(Get("--instances", "2000"), CultureInfo.InvariantCulture),
            int.Parse(Get("--warmup", "100"), CultureInfo.InvariantCulture),
            int.Parse(Get("--tasks", "1000000"), CultureInfo.InvariantCulture),
            int.Parse(Get("--queries", "300"), CultureInfo.InvariantCulture),
            Get("--sqlite-synchronous", "FULL"),
            int.Parse(Get("--clients", "8"), CultureInfo.InvariantCulture),
            Get("--group", "on") != "off",
            args.Contains("--allow-unsafe-pg"),
            Math.Max(1, int.Parse(Get("--rounds", "3"), CultureInfo.InvariantCulture)),
            args.Contains("--ceiling"));
    }
}

/// <summary>An empty database for the run: a temporary SQLite file or a new PostgreSQL database.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _file;
    private readonly string? _pgAdmin;
    private readonly string? _pgName;

    private BenchDatabase(DatabaseProvider provider, string connectionString, string description, string? file, string? pgAdmin, string? pgName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Description = description;
        _file = file;
        _pgAdmin = pgAdmin;
        _pgName = pgName;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public string Description { get; }

    public static async Task<BenchDatabase> CreateAsync(DatabaseProvider provider, BenchOptions options)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"tw-bench-{Guid.NewGuid():N}.db");
            return new BenchDatabase(provider, $"Data Source={file}", $"file {file}, WAL, synchronous={options.SqliteSynchronous}", file, null, null);
        }

        var admin = options.PostgresAdmin ?? throw new InvalidOperationException("PostgreSQL needs --pg or TRADING_TEST_PG.");
        var name = "tw_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
        return new BenchDatabase(provider, connectionString, $"database {name}", null, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                File.Delete(path);
            }
        }

        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_pgAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_pgName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>The benchmark procedure's service task: completes at once.</summary>
internal sealed class NoopHandler : IServiceTaskHandler
{
    public string Name => "bench.noop";

    public string Description => "Does nothing (benchmark)";

    public ValueTask ExecuteAsync(ServiceTaskContext context) => ValueTask.CompletedTask;
}

internal static class EngineBench
{
    /// <summary>
    /// The engine's own CPU per command, on the in-memory store (no database, no serialising): the floor under what
    /// any durable store can cost per command.
    /// </summary>
    public static async Task<EngineFloor> FloorAsync(BenchOptions options)
    {
        var services = new ServiceCollection();
        services.AddWorkflowEngine().AddHandler(new NoopHandler());
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "benchmark.bpmn")));
        await RunInstancesAsync(engine, options.Warmup, 0);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await RunInstancesAsync(engine, options.Instances, options.Warmup);
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var floor = new EngineFloor(options.Instances * 3 / watch.Elapsed.TotalSeconds, cpu.TotalMilliseconds / (options.Instances * 3));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== engine alone (in-memory store): {floor.CommandsPerSecond:F1} commands/s, {floor.CpuMillisecondsPerCommand:F3} ms of process CPU per command"));
        return floor;
    }

    public static async Task<EngineResult> RunAsync(BenchDatabase target, BenchOptions options)
    {
        var services = new ServiceCollection();
        services.AddWorkflowEngine().AddHandler(new NoopHandler());
        // Keyed history, as the platform writes it (HMAC-SHA256 per link).
        services.AddSingleton(new HistoryChainKeys(new HistoryChainKey("bench", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = target.Provider;
            o.ConnectionString = target.ConnectionString;
            o.SqliteSynchronous = options.SqliteSynchronous;
            o.GroupCommits = options.Group;
        });
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        var database = provider.GetRequiredService<WorkflowDatabase>();
        var store = provider.GetRequiredService<EfWorkflowStore>();
        await database.UpgradeSchemaAsync();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "benchmark.bpmn")));
        Console.WriteLine(target.Provider == DatabaseProvider.PostgreSql
            ? "group:  none on PostgreSQL (--group applies to SQLite): commands commit side by side, the server groups WAL flushes"
            : $"group:  grouped commits {(options.Group ? "on" : "off")}");
        // Warm up both ways the rounds run: one client, then every client at once. On PostgreSQL the first concurrent
        // round otherwise paid for opening the other clients' connections and preparing the statements on them.
        var single = options.Warmup / 2;
        await RunInstancesAsync(engine, single, 0);
        var share = (options.Warmup - single) / options.Clients;
        await RunClientsAsync(engine, options.Clients, share, single);
        var warmed = single + (share * options.Clients);
        if (target.Provider == DatabaseProvider.Sqlite)
        {
            await WalPages.PrintAsync(database, () => RunInstancesAsync(engine, WalPages.Instances, warmed));
        }
        else
        {
            await WalBytes.PrintAsync(target.ConnectionString, () => RunInstancesAsync(engine, WalBytes.Instances, warmed));
        }

        // Rounds of: raw one-row inserts, the engine with one client, the engine with several clients, raw inserts
        // with as many. This machine's speed drifts by 10-20 % from minute to minute (other tenants), so each ratio
        // is taken within one round and the median of the rounds reported.
        var rounds = new List<EngineRound>();
        var offset = warmed + (target.Provider == DatabaseProvider.Sqlite ? WalPages.Instances : WalBytes.Instances);
        for (var round = 1; round <= options.Rounds; round++)
        {
            var rawPerSecond = await RawInsertsAsync(database, options.Instances * 3, 1);

            // One client.
            var flushBefore = store.GroupFlushTimes;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(true);
            var gcBefore = GC.CollectionCount(0);
            var (jitBefore, jitTimeBefore) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
            var phases = new Phases();
            var watch = Stopwatch.StartNew();
            await RunInstancesAsync(engine, options.Instances, offset, phases);
            watch.Stop();
            offset += options.Instances;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;
            var collections = GC.CollectionCount(0) - gcBefore;
            var jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore;
            var jitTime = System.Runtime.JitInfo.GetCompilationTime() - jitTimeBefore;
            var commandsPerSecond = options.Instances * 3 / watch.Elapsed.TotalSeconds;
            var flushOne = Subtract(store.GroupFlushTimes, flushBefore);

            // Several clients at once, each running its share of the instances.
            var (flushesBefore, commitsBefore) = store.GroupedCommits;
            var perClient = Math.Max(1, options.Instances / options.Clients);
            var flushConcurrentBefore = store.GroupFlushTimes;
            var concurrentCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var concurrent = Stopwatch.StartNew();
            await RunClientsAsync(engine, options.Clients, perClient, offset);
            concurrent.Stop();
            offset += perClient * options.Clients;
            var concurrentCpu = (Process.GetCurrentProcess().TotalProcessorTime - concurrentCpuBefore).TotalMilliseconds / (perClient * options.Clients * 3);
            var (flushes, commits) = store.GroupedCommits;
            var concurrentCommandsPerSecond = perClient * options.Clients * 3 / concurrent.Elapsed.TotalSeconds;
            var flushConcurrent = Subtract(store.GroupFlushTimes, flushConcurrentBefore);
            var rawConcurrentPerSecond = await RawInsertsAsync(database, options.Instances * 3, options.Clients);
            var perTransaction = flushes > flushesBefore ? (commits - commitsBefore) / (double)(flushes - flushesBefore) : 1;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: raw {rawPerSecond:F0} tx/s; engine 1 client {commandsPerSecond:F0} commands/s (ratio {commandsPerSecond / rawPerSecond:F3}, wall {watch.Elapsed.TotalMilliseconds / (options.Instances * 3):F3} ms, CPU {cpu.TotalMilliseconds / (options.Instances * 3):F3} ms, {allocated / 1024.0 / (options.Instances * 3):F1} KiB and {collections} gen0 collections, {jitted} methods jitted in {jitTime.TotalMilliseconds:F0} ms); {options.Clients} clients {concurrentCommandsPerSecond:F0} commands/s (ratio {concurrentCommandsPerSecond / rawPerSecond:F3}, CPU {concurrentCpu:F3} ms{(target.Provider == DatabaseProvider.Sqlite ? $", {perTransaction:F2} commits per transaction" : string.Empty)}); raw {options.Clients} clients {rawConcurrentPerSecond:F0} tx/s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"         1 client by phase (raw one-row tx {1000 / rawPerSecond:F3} ms): {phases}"));
            if (target.Provider == DatabaseProvider.Sqlite && options.Group)
            {
                // The flush runs one at a time: statements plus commit per command bound what the group can carry.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"         flush per command, statements + commit (WAL write and fsync): 1 client {flushOne.Statements.TotalMilliseconds / (options.Instances * 3):F3} + {flushOne.Commits.TotalMilliseconds / (options.Instances * 3):F3} ms; {options.Clients} clients {flushConcurrent.Statements.TotalMilliseconds / (perClient * options.Clients * 3):F3} + {flushConcurrent.Commits.TotalMilliseconds / (perClient * options.Clients * 3):F3} ms"));
            }

            rounds.Add(new EngineRound(rawPerSecond, commandsPerSecond, cpu.TotalMilliseconds / (options.Instances * 3), concurrentCommandsPerSecond, perTransaction, rawConcurrentPerSecond));
        }

        // What a command writes, against the raw insert's one row: rows inserted so far per command.
        var rowsPerCommand = await RowsAsync(database) / (double)(offset * 3);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows:   {rowsPerCommand:F1} rows inserted per command (history, tasks, candidates, variables, instances), besides the update of its instance row"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load:   {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")} (1/5/15-minute load average; {Environment.ProcessorCount} cores)"));
        if (options.Ceiling)
        {
            await LogCeiling.RunAsync(target.Provider, target.ConnectionString, options, (count, clients) => RawInsertsAsync(database, count, clients));
        }

        var median = EngineRound.Median(rounds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio:  median of {rounds.Count} rounds: 1 client : raw 1 client = {median.Ratio:F3} (target >= 0.5); {options.Clients} clients : raw 1 client = {median.ConcurrentRatio:F3} (target > 1)"));
        return new EngineResult(
            median.CommandsPerSecond, median.CpuMillisecondsPerCommand, median.ConcurrentCommandsPerSecond, median.CommitsPerTransaction,
            median.RawPerSecond, median.RawConcurrentPerSecond, median.Ratio, median.ConcurrentRatio,
            File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a");
    }

    private static (TimeSpan Statements, TimeSpan Commits) Subtract((TimeSpan Statements, TimeSpan Commits) a, (TimeSpan Statements, TimeSpan Commits) b) =>
        (a.Statements - b.Statements, a.Commits - b.Commits);

    private static async Task<long> RowsAsync(WorkflowDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Join(" + ", new[] { "wf_history", "wf_tasks", "wf_task_candidates", "wf_variables", "wf_instances" }
            .Select(t => $"(SELECT COUNT(*) FROM \"{t}\")")).Insert(0, "SELECT ");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary><paramref name="clients"/> clients at once, each running <paramref name="perClient"/> instances of its own.</summary>
    private static Task RunClientsAsync(IWorkflowEngine engine, int clients, int perClient, int offset) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => RunInstancesAsync(engine, perClient, offset + (c * perClient)))));

    internal static async Task RunInstancesAsync(IWorkflowEngine engine, int count, int offset, Phases? phases = null)
    {
        for (var i = 0; i < count; i++)
        {
            var amount = (offset + i) % 2 == 0 ? 150m : 50m;
            var started = Stopwatch.GetTimestamp();
            var instance = await engine.StartAsync("benchmark", null, new Dictionary<string, object?> { ["amount"] = amount }, "bench");
            var queried = Stopwatch.GetTimestamp();
            var tasks = await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id });
            var completing = Stopwatch.GetTimestamp();
            foreach (var task in tasks)
            {
                await engine.CompleteTaskAsync(task.Id, null, "bench");
            }

            phases?.Add(queried - started, completing - queried, Stopwatch.GetTimestamp() - completing, tasks.Count);
        }
    }

    /// <summary>
    /// Where one client's time goes, per instance: the start (a command), the bench's task query (not a command, but
    /// on the clock) and the completions (a command each).
    /// </summary>
    internal sealed class Phases
    {
        private long _start;
        private long _query;
        private long _complete;
        private int _instances;
        private int _completions;

        public void Add(long start, long query, long complete, int completions)
        {
            _start += start;
            _query += query;
            _complete += complete;
            _instances++;
            _completions += completions;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"start {Stopwatch.GetElapsedTime(0, _start).TotalMilliseconds / _instances:F3} ms, task query {Stopwatch.GetElapsedTime(0, _query).TotalMilliseconds / _instances:F3} ms, completion {Stopwatch.GetElapsedTime(0, _complete).TotalMilliseconds / Math.Max(1, _completions):F3} ms");
    }

    /// <summary>One-row insert transactions, each committed on its own, by <paramref name="clients"/> connections at once.</summary>
    private static async Task<double> RawInsertsAsync(WorkflowDatabase database, int count, int clients)
    {
        await using (var connection = await database.OpenConnectionAsync())
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "DROP TABLE IF EXISTS bench_raw; CREATE TABLE bench_raw (id integer NOT NULL PRIMARY KEY, payload varchar(100) NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }

        var perClient = count / clients;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            await using var connection = await database.OpenConnectionAsync();
            for (var i = c * perClient; i < (c + 1) * perClient; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO bench_raw (id, payload) VALUES (@id, @payload)";
                var id = insert.CreateParameter();
                id.ParameterName = "@id";
                id.Value = i;
                insert.Parameters.Add(id);
                var payload = insert.CreateParameter();
                payload.ParameterName = "@payload";
                payload.Value = "row";
                insert.Parameters.Add(payload);
                await insert.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        })));
        watch.Stop();
        return perClient * clients / watch.Elapsed.TotalSeconds;
    }
}

/// <summary>PostgreSQL: the WAL a command writes, from the server's insert position around a few instances.</summary>
internal static class WalBytes
{
    public const int Instances = 200;

    public static async Task PrintAsync(string connectionString, Func<Task> run)
    {
        var before = await PositionAsync(connectionString);
        await run();
        var after = await PositionAsync(connectionString);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wal:    {(double)(after - before) / (Instances * 3.0):F0} WAL bytes written per command, one client"));
    }

    private static async Task<decimal> PositionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn", connection);
        return (decimal)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// SQLite: which b-trees a command writes. The WAL is restarted, a few instances run (fewer frames than the automatic
/// checkpoint's 1,000, so none is copied out meanwhile), and the WAL's frames are counted by the page they carry, each
/// page named by the table or index it belongs to (the dbstat table).
/// </summary>
internal static class WalPages
{
    public const int Instances = 10;

    public static async Task PrintAsync(WorkflowDatabase database, Func<Task> run)
    {
        string file;
        await using (var connection = (SqliteConnection)await database.OpenConnectionAsync())
        {
            file = connection.DataSource;
            await CheckpointAsync(connection);
        }

        await run();
        var wal = await File.ReadAllBytesAsync(file + "-wal");
        var pageSize = (int)BinaryPrimitives.ReadUInt32BigEndian(wal.AsSpan(8));
        var pages = new List<uint>();
        var commits = 0;
        // The file keeps its size across checkpoints, so frames of earlier runs follow the new ones: a frame belongs to
        // the current WAL only while it carries the header's salts.
        var salts = wal.AsSpan(16, 8).ToArray();
        for (var offset = 32; offset + 24 + pageSize <= wal.Length && wal.AsSpan(offset + 8, 8).SequenceEqual(salts); offset += 24 + pageSize)
        {
            pages.Add(BinaryPrimitives.ReadUInt32BigEndian(wal.AsSpan(offset)));
            commits += BinaryPrimitives.ReadUInt32BigEndian(wal.AsSpan(offset + 4)) != 0 ? 1 : 0;
        }

        // Name each page by the b-tree it belongs to: copy the WAL into the file, then walk every b-tree from its root.
        var roots = new List<(string Name, long Root)>();
        await using (var connection = (SqliteConnection)await database.OpenConnectionAsync())
        {
            await using (var schema = connection.CreateCommand())
            {
                schema.CommandText = "SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0";
                await using var reader = await schema.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    roots.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }

            await CheckpointAsync(connection);
        }

        var image = await File.ReadAllBytesAsync(file);
        var owner = new Dictionary<uint, string> { [1] = "(file header and sqlite_schema)" };
        foreach (var (name, root) in roots)
        {
            Walk(image, pageSize, (uint)root, name, owner);
        }

        var commands = Instances * 3.0;
        var byTree = pages.GroupBy(p => owner.GetValueOrDefault(p, "(overflow or free)")).OrderByDescending(g => g.Count())
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count() / commands:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wal:    {pages.Count / commands:F2} pages written per command, one client ({commits} commits for {commands} commands): {string.Join(", ", byTree)}"));
    }

    private static async Task CheckpointAsync(SqliteConnection connection)
    {
        await using var checkpoint = connection.CreateCommand();
        // RESTART, not TRUNCATE: the next writer starts at the WAL's beginning, and the file keeps its size, so the
        // raw inserts of the first round do not pay for growing it again as none of the later rounds do.
        checkpoint.CommandText = "PRAGMA wal_checkpoint(RESTART)";
        await checkpoint.ExecuteNonQueryAsync();
    }

    /// <summary>Marks the pages of the b-tree at <paramref name="page"/> (interior pages: 2 index, 5 table; their children).</summary>
    private static void Walk(byte[] image, int pageSize, uint page, string name, Dictionary<uint, string> owner)
    {
        if (page == 0 || !owner.TryAdd(page, name) && page != 1)
        {
            return;
        }

        var start = (int)(page - 1) * pageSize;
        var header = start + (page == 1 ? 100 : 0);
        var kind = image[header];
        if (kind is not (2 or 5))
        {
            return;
        }

        var cells = BinaryPrimitives.ReadUInt16BigEndian(image.AsSpan(header + 3));
        for (var i = 0; i < cells; i++)
        {
            var cell = BinaryPrimitives.ReadUInt16BigEndian(image.AsSpan(header + 12 + (2 * i)));
            Walk(image, pageSize, BinaryPrimitives.ReadUInt32BigEndian(image.AsSpan(start + cell)), name, owner);
        }

        Walk(image, pageSize, BinaryPrimitives.ReadUInt32BigEndian(image.AsSpan(header + 8)), name, owner);
    }
}

internal static class InboxBench
{
    private const int Users = 10_000;
    private const int Roles = 100;

    public static async Task<InboxResult> RunAsync(BenchDatabase target, BenchOptions options)
    {
        var services = new ServiceCollection();
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = target.Provider;
            o.ConnectionString = target.ConnectionString;
        });
        await using var provider = services.BuildServiceProvider();
        var database = provider.GetRequiredService<WorkflowDatabase>();
        var store = provider.GetRequiredService<EfWorkflowStore>();
        await database.UpgradeSchemaAsync();

        var load = Stopwatch.StartNew();
        var rows = target.Provider == DatabaseProvider.Sqlite
            ? await LoadSqliteAsync(target.ConnectionString, options.Tasks)
            : await LoadPostgresAsync(target.ConnectionString, options.Tasks);
        load.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inbox:  bulk-loaded {options.Tasks} tasks ({rows} access rows) in {load.Elapsed.TotalSeconds:F1} s"));

        var random = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            await QueryAsync(store, random);
        }

        var times = new List<double>(options.Queries);
        var found = 0L;
        for (var i = 0; i < options.Queries; i++)
        {
            var watch = Stopwatch.StartNew();
            found += await QueryAsync(store, random);
            watch.Stop();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        double Percentile(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inbox:  {options.Queries} queries (user + 3 roles, page of 50, avg {found / (double)options.Queries:F1} rows): p50 {Percentile(0.50):F2} ms, p95 {Percentile(0.95):F2} ms, max {times[^1]:F2} ms"));
        return new InboxResult(options.Tasks, Percentile(0.50), Percentile(0.95));
    }

    private static async Task<int> QueryAsync(EfWorkflowStore store, Random random)
    {
        var user = "u" + random.Next(Users).ToString(CultureInfo.InvariantCulture);
        var roles = Enumerable.Range(0, 3).Select(_ => "r" + random.Next(Roles).ToString(CultureInfo.InvariantCulture)).ToArray();
        return (await store.GetInboxAsync(user, roles, 0, 50)).Count;
    }

    /// <summary>
    /// One task: 80 % open; of those 30 % assigned; otherwise one candidate user (half of them) and one or two roles.
    /// Due within ±60 days, 5 % without.
    /// </summary>
    private static IEnumerable<(Guid Id, Guid Instance, int State, string? Assignee, DateTimeOffset? Due, List<(int Kind, string Value, bool Active)> Access)> Generate(int count)
    {
        var random = new Random(42);
        var now = new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var open = random.NextDouble() < 0.8;
            var assignee = random.NextDouble() < 0.3 ? "u" + random.Next(Users).ToString(CultureInfo.InvariantCulture) : null;
            DateTimeOffset? due = random.NextDouble() < 0.05 ? null : now.AddMinutes(random.Next(-60 * 24 * 60, 60 * 24 * 60));
            var access = new List<(int, string, bool)>();
            if (assignee is not null)
            {
                access.Add(((int)CandidateKind.Assignee, assignee, open));
            }
            else
            {
                if (random.NextDouble() < 0.5)
                {
                    access.Add(((int)CandidateKind.User, "u" + random.Next(Users).ToString(CultureInfo.InvariantCulture), open));
                }

                var role = random.Next(Roles);
                access.Add(((int)CandidateKind.Role, "r" + role.ToString(CultureInfo.InvariantCulture), open));
                if (random.NextDouble() < 0.5)
                {
                    access.Add(((int)CandidateKind.Role, "r" + ((role + 1 + random.Next(Roles - 1)) % Roles).ToString(CultureInfo.InvariantCulture), open));
                }
            }

            yield return (Guid.CreateVersion7(), Guid.CreateVersion7(), open ? 0 : 1, assignee, due, access);
        }
    }

    private static async Task<long> LoadSqliteAsync(string connectionString, int count)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size=-262144;";
            await pragma.ExecuteNonQueryAsync();
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var task = connection.CreateCommand();
        task.Transaction = transaction;
        task.CommandText = """
            INSERT INTO wf_tasks (id, instance_id, execution_id, process_id, process_version, business_key, element_id, name, priority, state, created_at, assignee, due)
            VALUES ($id, $instance, 2, 'inbox', 1, $key, 'work', 'Work', 50, $state, $created, $assignee, $due)
            """;
        var tId = task.Parameters.Add("$id", SqliteType.Text);
        var tInstance = task.Parameters.Add("$instance", SqliteType.Text);
        var tKey = task.Parameters.Add("$key", SqliteType.Text);
        var tState = task.Parameters.Add("$state", SqliteType.Integer);
        var tCreated = task.Parameters.Add("$created", SqliteType.Integer);
        var tAssignee = task.Parameters.Add("$assignee", SqliteType.Text);
        var tDue = task.Parameters.Add("$due", SqliteType.Integer);
        await using var access = connection.CreateCommand();
        access.Transaction = transaction;
        access.CommandText = "INSERT INTO wf_task_candidates (task_id, kind, value, active, due_key) VALUES ($task, $kind, $value, $active, $dueKey)";
        var aTask = access.Parameters.Add("$task", SqliteType.Text);
        var aKind = access.Parameters.Add("$kind", SqliteType.Integer);
        var aValue = access.Parameters.Add("$value", SqliteType.Text);
        var aActive = access.Parameters.Add("$active", SqliteType.Integer);
        var aDue = access.Parameters.Add("$dueKey", SqliteType.Integer);
        task.Prepare();
        access.Prepare();
        var rows = 0L;
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
        foreach (var t in Generate(count))
        {
            var id = t.Id.ToString("D");
            tId.Value = id;
            tInstance.Value = t.Instance.ToString("D");
            tKey.Value = "BK-" + id[..8];
            tState.Value = t.State;
            tCreated.Value = created;
            tAssignee.Value = (object?)t.Assignee ?? DBNull.Value;
            tDue.Value = t.Due is { } due ? due.UtcTicks : DBNull.Value;
            task.ExecuteNonQuery();
            foreach (var (kind, value, active) in t.Access)
            {
                aTask.Value = id;
                aKind.Value = kind;
                aValue.Value = value;
                aActive.Value = active ? 1 : 0;
                aDue.Value = t.Due?.UtcTicks ?? long.MaxValue;
                access.ExecuteNonQuery();
                rows++;
            }
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        await analyze.ExecuteNonQueryAsync();
        return rows;
    }

    private static async Task<long> LoadPostgresAsync(string connectionString, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tasks = Generate(count).ToList();
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY wf_tasks (id, instance_id, execution_id, process_id, process_version, business_key, element_id, name, priority, state, created_at, assignee, due) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var t in tasks)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(t.Id, NpgsqlDbType.Uuid);
                await writer.WriteAsync(t.Instance, NpgsqlDbType.Uuid);
                await writer.WriteAsync(2, NpgsqlDbType.Integer);
                await writer.WriteAsync("inbox", NpgsqlDbType.Text);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
                await writer.WriteAsync("BK-" + t.Id.ToString("N")[..8], NpgsqlDbType.Text);
                await writer.WriteAsync("work", NpgsqlDbType.Text);
                await writer.WriteAsync("Work", NpgsqlDbType.Text);
                await writer.WriteAsync(50, NpgsqlDbType.Integer);
                await writer.WriteAsync(t.State, NpgsqlDbType.Integer);
                await writer.WriteAsync(created, NpgsqlDbType.TimestampTz);
                if (t.Assignee is null)
                {
                    await writer.WriteNullAsync();
                }
                else
                {
                    await writer.WriteAsync(t.Assignee, NpgsqlDbType.Text);
                }

                if (t.Due is { } due)
                {
                    await writer.WriteAsync(due, NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await writer.WriteNullAsync();
                }
            }

            await writer.CompleteAsync();
        }

        var rows = 0L;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY wf_task_candidates (task_id, kind, value, active, due_key) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var t in tasks)
            {
                foreach (var (kind, value, active) in t.Access)
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(t.Id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(kind, NpgsqlDbType.Integer);
                    await writer.WriteAsync(value, NpgsqlDbType.Text);
                    await writer.WriteAsync(active, NpgsqlDbType.Boolean);
                    await writer.WriteAsync(t.Due?.UtcTicks ?? long.MaxValue, NpgsqlDbType.Bigint);
                    rows++;
                }
            }

            await writer.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("ANALYZE wf_tasks; ANALYZE wf_task_candidates;", connection);
        await analyze.ExecuteNonQueryAsync();
        return rows;
    }
}
