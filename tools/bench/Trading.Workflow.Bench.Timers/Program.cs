using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trading.Workflow.Bench.Timers;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;

// Timer benchmark: 10,000 engine timers due at the same instant, fired by two clustered application processes on
// PostgreSQL (time until all fired, double firings), then single timers (firing delay p50/p95).
//   dotnet run -c Release --project tools/bench/Trading.Workflow.Bench.Timers -- [--pg <admin connection>] [--timers 10000] [--singles 100]
// The admin connection defaults to env TRADING_TEST_PG (tools/pg.sh start). Internally: `node --pg <cs> --node <id>` runs one node.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
var mode = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "bench";
for (var i = mode == "bench" ? 0 : 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

if (mode == "node")
{
    await BenchNode.RunAsync(options["pg"], options["node"]);
    return 0;
}

var admin = options.GetValueOrDefault("pg") ?? Environment.GetEnvironmentVariable("TRADING_TEST_PG")
    ?? throw new InvalidOperationException("Give --pg or set TRADING_TEST_PG (tools/pg.sh start).");
var timers = int.Parse(options.GetValueOrDefault("timers", "10000"), CultureInfo.InvariantCulture);
var singles = int.Parse(options.GetValueOrDefault("singles", "100"), CultureInfo.InvariantCulture);
var maxMinutes = int.Parse(options.GetValueOrDefault("max-minutes", "60"), CultureInfo.InvariantCulture);
var database = "tw_bench_timers_" + Guid.NewGuid().ToString("N")[..8];
await ExecuteAsync(admin, $"CREATE DATABASE \"{database}\"");
var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, Pooling = true, MaxPoolSize = 50 }.ConnectionString;
var nodes = new List<Process>();
try
{
    await ExecuteAsync(connectionString, "CREATE TABLE bench_firings (instance_id uuid NOT NULL, node text NOT NULL, fired_at timestamptz NOT NULL); CREATE TABLE bench_due (instance_id uuid PRIMARY KEY, due timestamptz NOT NULL, phase text NOT NULL)");
    var services = new ServiceCollection();
    services.AddLogging();
    BenchNode.AddServices(services, connectionString, "client");
    // The client schedules through the production path but never starts its scheduler: it only writes triggers.
    services.AddQuartzTimers(o => BenchNode.Configure(o, connectionString, "client"));
    await using var provider = services.BuildServiceProvider();
    var engine = provider.GetRequiredService<IWorkflowEngine>();
    await engine.DeployAsync(BpmnParser.Parse(Bpmn.TimerProcess));

    // Burst: every timer due at one instant, created while no node runs; both nodes then start and share the work.
    Console.WriteLine($"Creating {timers} instances with a timer each…");
    var created = Stopwatch.StartNew();
    var due = DateTimeOffset.UtcNow.AddSeconds(1);
    await CreateAsync(engine, connectionString, timers, due, "burst", parallelism: 16);
    created.Stop();
    Console.WriteLine($"Created in {created.Elapsed.TotalSeconds:F1} s; starting two nodes…");

    var starting = new[] { StartNode(connectionString, "node-1"), StartNode(connectionString, "node-2") };
    nodes.AddRange(await Task.WhenAll(starting));
    var ready = DateTimeOffset.UtcNow;
    var deadline = DateTime.UtcNow.AddMinutes(maxMinutes);
    while (await ScalarAsync(connectionString, "SELECT count(DISTINCT instance_id) FROM bench_firings") < timers)
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"Not every timer fired within {maxMinutes} minutes.");
        }

        await Task.Delay(200);
    }

    await Task.Delay(TimeSpan.FromSeconds(3));
    var lastFired = await TimeAsync(connectionString, "SELECT max(fired_at) FROM bench_firings");
    var firstFired = await TimeAsync(connectionString, "SELECT min(fired_at) FROM bench_firings");
    var rows = await ScalarAsync(connectionString, "SELECT count(*) FROM bench_firings");
    var doubles = await ScalarAsync(connectionString, "SELECT count(*) FROM (SELECT instance_id FROM bench_firings GROUP BY instance_id HAVING count(*) > 1) d");
    var perNode = await TextAsync(connectionString, "SELECT string_agg(node || ': ' || n, ', ' ORDER BY node) FROM (SELECT node, count(*) n FROM bench_firings GROUP BY node) s");

    // Singles: one timer at a time, 1.5 s ahead, while both nodes run; delay = committed firing's clock − due.
    Console.WriteLine($"Burst done; {singles} single timers…");
    for (var i = 0; i < singles; i++)
    {
        await CreateAsync(engine, connectionString, 1, DateTimeOffset.UtcNow.AddSeconds(1.5), "single", parallelism: 1);
        await Task.Delay(150);
    }

    while (await ScalarAsync(connectionString, "SELECT count(*) FROM bench_due d JOIN bench_firings f USING (instance_id) WHERE d.phase = 'single'") < singles)
    {
        await Task.Delay(200);
    }

    var delays = await DelaysAsync(connectionString);
    Console.WriteLine();
    Console.WriteLine("| measure | value |");
    Console.WriteLine("|---|---|");
    Console.WriteLine($"| timers due at one instant | {timers} |");
    Console.WriteLine($"| instance creation (client, 16 parallel) | {created.Elapsed.TotalSeconds:F1} s |");
    Console.WriteLine($"| both nodes ready → all fired | {(lastFired - ready).TotalSeconds:F1} s |");
    Console.WriteLine($"| first → last firing | {(lastFired - firstFired).TotalSeconds:F1} s ({timers / Math.Max(0.001, (lastFired - firstFired).TotalSeconds):F0} firings/s) |");
    Console.WriteLine($"| firings recorded / double firings | {rows} / {doubles} |");
    Console.WriteLine($"| per node | {perNode} |");
    Console.WriteLine($"| single timer delay p50 / p95 / max ({delays.Count} timers) | {Percentile(delays, 0.50):F0} / {Percentile(delays, 0.95):F0} / {delays.Max():F0} ms |");
    return doubles == 0 && rows == timers ? 0 : 1;
}
finally
{
    foreach (var node in nodes)
    {
        node.Kill(entireProcessTree: true);
        await node.WaitForExitAsync();
    }

    NpgsqlConnection.ClearAllPools();
    await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
}

static async Task CreateAsync(IWorkflowEngine engine, string connectionString, int count, DateTimeOffset due, string phase, int parallelism)
{
    var variables = new Dictionary<string, object?> { ["due"] = due.ToString("O", CultureInfo.InvariantCulture) };
    await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (_, ct) =>
    {
        var instance = await engine.StartAsync("benchTimer", variables: variables, cancellationToken: ct);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("INSERT INTO bench_due (instance_id, due, phase) VALUES (@id, @due, @phase)", connection);
        command.Parameters.AddWithValue("id", instance.Id);
        command.Parameters.AddWithValue("due", due);
        command.Parameters.AddWithValue("phase", phase);
        await command.ExecuteNonQueryAsync(ct);
    });
}

static async Task<Process> StartNode(string connectionString, string node)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var argument in new[] { typeof(BenchNode).Assembly.Location, "node", "--pg", connectionString, "--node", node })
    {
        info.ArgumentList.Add(argument);
    }

    var process = Process.Start(info)!;
    var ready = new TaskCompletionSource();
    process.OutputDataReceived += (_, e) =>
    {
        if (e.Data is { } line)
        {
            if (line.StartsWith("READY", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
            else
            {
                Console.WriteLine($"[{node}] {line}");
            }
        }
    };
    process.BeginOutputReadLine();
    await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));
    return process;
}

static async Task<List<double>> DelaysAsync(string connectionString)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        "SELECT extract(epoch FROM (f.fired_at - d.due)) * 1000 FROM bench_due d JOIN bench_firings f USING (instance_id) WHERE d.phase = 'single'", connection);
    var result = new List<double>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        result.Add(Convert.ToDouble(reader.GetValue(0), CultureInfo.InvariantCulture));
    }

    result.Sort();
    return result;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static async Task<long> ScalarAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

static async Task<DateTimeOffset> TimeAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync())!, TimeSpan.Zero);
}

static async Task<string> TextAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
}
