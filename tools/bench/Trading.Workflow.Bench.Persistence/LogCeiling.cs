using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

/// <summary>
/// The ceiling of a store that commits one log row per command (issue 15 §2): the engine on the in-memory store,
/// each commit first made durable as one row of a log table (the command's history events as JSON, the least a
/// command log must hold): alone, then beside an upsert of its instance's head row, then with a unique (instance,
/// version) key on the log itself (two ways to the conflict check across nodes). No table for queries is written: whatever a real store spends on them comes on top, so a
/// durable store on this machine can reach these ratios at most; the margin above the targets is what a log store
/// would have left for its projection.
/// </summary>
internal static class LogCeiling
{
    public static async Task RunAsync(DatabaseProvider provider, string connectionString, BenchOptions options, Func<int, int, Task<double>> raw)
    {
        // First the append alone (a single-node SQLite store can check versions in memory), then with a check.
        foreach (var check in Enum.GetValues<VersionCheck>())
        {
            await RunAsync(provider, connectionString, options, raw, check);
        }
    }

    /// <summary>How a store appending one row would refuse a second command on the same instance version.</summary>
    private enum VersionCheck
    {
        None,
        HeadRow,
        UniqueKey,
    }

    private static async Task RunAsync(DatabaseProvider provider, string connectionString, BenchOptions options, Func<int, int, Task<double>> raw, VersionCheck check)
    {
        var what = check switch
        {
            VersionCheck.HeadRow => "one log row and its instance's head row per command",
            VersionCheck.UniqueKey => "one log row per command, unique (instance, version)",
            _ => "one log row per command",
        };
        await using (var setup = Open(provider, connectionString))
        {
            await setup.OpenAsync();
            await ExecuteAsync(setup, null, provider == DatabaseProvider.Sqlite
                ? "PRAGMA journal_mode=WAL; DROP TABLE IF EXISTS bench_log; DROP TABLE IF EXISTS bench_heads; CREATE TABLE bench_log (seq INTEGER PRIMARY KEY, instance_id TEXT NOT NULL, version INTEGER NOT NULL, payload TEXT NOT NULL); CREATE TABLE bench_heads (id TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID" + Unique(check)
                : "DROP TABLE IF EXISTS bench_log; DROP TABLE IF EXISTS bench_heads; CREATE TABLE bench_log (seq bigserial PRIMARY KEY, instance_id uuid NOT NULL, version bigint NOT NULL, payload text NOT NULL); CREATE TABLE bench_heads (id uuid PRIMARY KEY, version bigint NOT NULL)" + Unique(check));
        }

        var services = new ServiceCollection();
        services.AddWorkflowEngine().AddHandler(new NoopHandler());
        var log = new LogWriter(provider, connectionString, options.SqliteSynchronous, check == VersionCheck.HeadRow);
        services.AddSingleton<IWorkflowStore>(new LoggingStore(new InMemoryWorkflowStore(), log));
        await using var services1 = services.BuildServiceProvider();
        var engine = services1.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "benchmark.bpmn")));
        await EngineBench.RunInstancesAsync(engine, options.Warmup, 0);
        var offset = options.Warmup;
        var ratios = new List<(double One, double Many)>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            var rawPerSecond = await raw(options.Instances * 3, 1);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await EngineBench.RunInstancesAsync(engine, options.Instances, offset);
            watch.Stop();
            offset += options.Instances;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / (options.Instances * 3);
            var perSecond = options.Instances * 3 / watch.Elapsed.TotalSeconds;
            var perClient = Math.Max(1, options.Instances / options.Clients);
            var concurrent = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(c => Task.Run(() => EngineBench.RunInstancesAsync(engine, perClient, offset + (c * perClient)))));
            concurrent.Stop();
            offset += perClient * options.Clients;
            var concurrentPerSecond = perClient * options.Clients * 3 / concurrent.Elapsed.TotalSeconds;
            ratios.Add((perSecond / rawPerSecond, concurrentPerSecond / rawPerSecond));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ceiling round {round}: raw {rawPerSecond:F0} tx/s; {what}, 1 client {perSecond:F0} commands/s (ratio {perSecond / rawPerSecond:F3}, wall {watch.Elapsed.TotalMilliseconds / (options.Instances * 3):F3} ms, CPU {cpu:F3} ms, payload {log.AveragePayload:F0} chars); {options.Clients} clients {concurrentPerSecond:F0} commands/s (ratio {concurrentPerSecond / rawPerSecond:F3}{(provider == DatabaseProvider.Sqlite ? ", one commit each: no grouping here" : string.Empty)})"));
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ceiling: median of {ratios.Count} rounds: {what}, 1 client : raw 1 client = {Median(ratios.Select(r => r.One)):F3}; {options.Clients} clients : raw 1 client = {Median(ratios.Select(r => r.Many)):F3}"));
        await log.DisposeAsync();
    }

    private static string Unique(VersionCheck check) =>
        check == VersionCheck.UniqueKey ? "; CREATE UNIQUE INDEX bench_log_version ON bench_log (instance_id, version)" : string.Empty;

    private static DbConnection Open(DatabaseProvider provider, string connectionString) => provider == DatabaseProvider.Sqlite
        ? new SqliteConnection(connectionString)
        : new NpgsqlConnection(connectionString);

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }

        await command.ExecuteNonQueryAsync();
    }

    private sealed class LoggingStore(InMemoryWorkflowStore inner, LogWriter log) : IWorkflowStore
    {
        public async ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
            new LoggingSession(await inner.OpenSessionAsync(cancellationToken), log);

        public ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default) => inner.GetTaskAsync(taskId, cancellationToken);

        public ValueTask<IReadOnlyList<UserTaskInfo>> GetOpenTasksForUserAsync(string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default) =>
            inner.GetOpenTasksForUserAsync(userId, roles, cancellationToken);

        public ValueTask<IReadOnlyList<UserTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) => inner.QueryTasksAsync(query, cancellationToken);

        public ValueTask<ProcessInstanceInfo?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.GetInstanceAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) => inner.QueryInstancesAsync(query, cancellationToken);

        public ValueTask<IReadOnlyDictionary<string, object?>?> GetVariablesAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.GetVariablesAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<Trading.Workflow.Engine.History.HistoryEvent>> GetHistoryAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.GetHistoryAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<TimerInfo>> GetTimersAsync(Guid? instanceId, CancellationToken cancellationToken = default) => inner.GetTimersAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<JobInfo>> GetJobsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => inner.GetJobsAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<EventSubscriptionInfo>> GetSubscriptionsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => inner.GetSubscriptionsAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => inner.GetIncidentsAsync(instanceId, cancellationToken);
    }

    private sealed class LoggingSession(IWorkflowSession inner, LogWriter log) : IWorkflowSession
    {
        public ValueTask<ICommandTransaction?> GetTransactionAsync(CancellationToken cancellationToken = default) => inner.GetTransactionAsync(cancellationToken);

        public ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.LoadInstanceAsync(instanceId, cancellationToken);

        public ValueTask<TaskLocation?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default) => inner.FindTaskAsync(taskId, cancellationToken);

        public ValueTask<TimerLocation?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default) => inner.FindTimerAsync(timerId, cancellationToken);

        public ValueTask<Guid?> FindJobInstanceAsync(Guid jobId, CancellationToken cancellationToken = default) => inner.FindJobInstanceAsync(jobId, cancellationToken);

        public ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default) =>
            inner.FindSubscriptionsAsync(kind, eventName, correlationKey, businessKey, cancellationToken);

        public ValueTask<IReadOnlyList<TimerInfo>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => inner.FindDueTimersAsync(now, max, cancellationToken);

        public ValueTask<IReadOnlyList<JobInfo>> FindDueJobsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => inner.FindDueJobsAsync(now, max, cancellationToken);

        public async ValueTask CommitAsync(WorkflowChangeSet changes, CancellationToken cancellationToken = default)
        {
            if (changes.Instances.Count > 0)
            {
                await log.AppendAsync(changes, cancellationToken);
            }

            await inner.CommitAsync(changes, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>One connection per writer at a time from a small pool; SQLite's writers take turns on its lock.</summary>
    private sealed class LogWriter(DatabaseProvider provider, string connectionString, string synchronous, bool head) : IAsyncDisposable
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<DbConnection> _idle = [];
        private long _payloadChars;
        private long _appends;

        public double AveragePayload => _appends == 0 ? 0 : (double)Interlocked.Read(ref _payloadChars) / Interlocked.Read(ref _appends);

        public async Task AppendAsync(WorkflowChangeSet changes, CancellationToken cancellationToken)
        {
            var payload = JsonSerializer.Serialize(changes.History);
            Interlocked.Add(ref _payloadChars, payload.Length);
            Interlocked.Increment(ref _appends);
            var change = changes.Instances[0];
            if (!_idle.TryTake(out var connection))
            {
                connection = Open(provider, connectionString);
                await connection.OpenAsync(cancellationToken);
                if (provider == DatabaseProvider.Sqlite)
                {
                    await ExecuteAsync(connection, null, $"PRAGMA synchronous={synchronous}; PRAGMA busy_timeout=30000");
                }
            }

            if (provider == DatabaseProvider.Sqlite)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, Append(head),
                    ("@i", change.Instance.Id.ToString()), ("@p", payload), ("@v", change.ExpectedVersion + 1));
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                // One implicit transaction, one round trip, as the store's own PostgreSQL commit.
                await ExecuteAsync(connection, null, Append(head),
                    ("@i", change.Instance.Id), ("@p", payload), ("@v", change.ExpectedVersion + 1));
            }

            _idle.Add(connection);
        }

        private static string Append(bool head) => head
            ? "INSERT INTO bench_log (instance_id, version, payload) VALUES (@i, @v, @p); INSERT INTO bench_heads (id, version) VALUES (@i, @v) ON CONFLICT (id) DO UPDATE SET version = excluded.version"
            : "INSERT INTO bench_log (instance_id, version, payload) VALUES (@i, @v, @p)";

        public async ValueTask DisposeAsync()
        {
            while (_idle.TryTake(out var connection))
            {
                await connection.DisposeAsync();
            }
        }
    }
}
