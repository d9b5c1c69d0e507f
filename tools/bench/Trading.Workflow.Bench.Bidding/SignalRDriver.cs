using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;

namespace Trading.Workflow.Bench.Bidding;

/// <summary>
/// The bench over the wire: app nodes as separate processes (<see cref="BenchNode"/>), bidders and watchers as real
/// SignalR <see cref="HubConnection"/> clients over WebSockets. Part 1: one node on a SQLite file. Part 2: two nodes on
/// one PostgreSQL database, bidders alternating between them, watchers split over both. Every watcher must receive
/// every entry once, in sequence order; the log must hold every accepted answer once, prices rising, and replay.
/// </summary>
public static class SignalRDriver
{
    public static async Task RunAsync(string[] args)
    {
        int Int(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        string? Text(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var seconds = Int("--seconds", 10);
        var bidders = Int("--bidders", 64);
        var watchers = Int("--watchers", 500);
        var rate = Int("--rate", 1200);
        var synchronous = Text("--synchronous") ?? "FULL";
        // The shortest time between two updates to a node's watchers (BidFeed.PublishInterval; the app's Bidding:PublishInterval).
        var publishMs = Int("--publish-ms", 250);
        var pg = Text("--pg") ?? Environment.GetEnvironmentVariable("TRADING_TEST_PG");
        var only = Text("--only");
        Console.WriteLine($"Online bidding over SignalR: nodes as processes, {bidders} bidder and {watchers} watcher HubConnections, offered {rate} bids/s for {seconds} s, updates to watchers every ≥{publishMs} ms, "
            + $"{Environment.ProcessorCount} cores (shared), load average {Load()}");

        if (only is null or "sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("tw-bench-bidding-").FullName;
            try
            {
                var cs = $"Data Source={Path.Combine(folder, "trading.db")};Pooling=True";
                await using var node = await NodeProcess.StartAsync("sqlite", cs, synchronous, publishMs);
                await RunAsync($"one node, SQLite (WAL, synchronous={synchronous})", [node], bidders, watchers, rate, seconds);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        if (only is null or "pg")
        {
            if (pg is not { Length: > 0 })
            {
                Console.WriteLine("(two nodes on PostgreSQL skipped: pass --pg or set TRADING_TEST_PG)");
                return;
            }

            var database = "tw_bench_bidding_" + Guid.NewGuid().ToString("N")[..12];
            await AdminAsync(pg, $"CREATE DATABASE \"{database}\"");
            try
            {
                var cs = new NpgsqlConnectionStringBuilder(pg) { Database = database, Pooling = true }.ConnectionString;
                await using var a = await NodeProcess.StartAsync("pg", cs, synchronous, publishMs);
                await using var b = await NodeProcess.StartAsync("pg", cs, synchronous, publishMs);
                await RunAsync("two node processes, one PostgreSQL", [a, b], bidders, watchers, rate, seconds);
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await AdminAsync(pg, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            }
        }
    }

    /// <summary>
    /// The watchers' own process (<c>watchers --urls a,b --lot id --count n</c>), so their client work does not share a
    /// process (and its thread pool) with the bidders: as in life, where every watcher is a browser of its own. Prints
    /// READY once every watcher has joined; then reads the last sequence from standard input, waits until every watcher
    /// reached it (at most 60 s) and prints its RESULT.
    /// </summary>
    public static async Task WatchAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var urls = Arg("--urls").Split(',');
        var lot = Guid.Parse(Arg("--lot"));
        var count = int.Parse(Arg("--count"), CultureInfo.InvariantCulture);
        var watchers = new WireWatcher[count];
        var connections = new HubConnection[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (w, _) =>
        {
            var watcher = watchers[w] = new WireWatcher();
            var connection = connections[w] = await ConnectAsync(urls[w % urls.Length]);
            connection.On<WireUpdate>("update", watcher.On);
            watcher.Last = await connection.InvokeAsync<long>("Watch", lot);
        });
        Console.WriteLine("READY");
        var last = long.Parse((await Console.In.ReadLineAsync())!, CultureInfo.InvariantCulture);
        var wait = Stopwatch.StartNew();
        while (watchers.Any(w => Volatile.Read(ref w.Last) < last) && wait.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {watchers.All(w => w.Last == last)} {watchers.Sum(w => w.Errors)} {watchers.Sum(w => w.Updates)} {wait.Elapsed.TotalSeconds:F1} {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1}"));
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) => await c.DisposeAsync());
    }

    private sealed class WireWatcher
    {
        public long Last;
        public long Updates;
        public long Errors;

        public void On(WireUpdate update)
        {
            Interlocked.Increment(ref Updates);
            if (update.Kinds.Count == 0)
            {
                return;
            }

            if (update.From != Last + 1)
            {
                Interlocked.Increment(ref Errors);
            }

            Volatile.Write(ref Last, update.From + update.Kinds.Count - 1);
        }
    }

    private static Task<HubConnection> ConnectAsync(NodeProcess node) => ConnectAsync(node.Url);

    private static async Task<HubConnection> ConnectAsync(string url)
    {
        var connection = new HubConnectionBuilder().WithUrl(url + "/hub", o => o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets).Build();
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        await connection.StartAsync();
        return connection;
    }

    private static async Task RunAsync(string label, IReadOnlyList<NodeProcess> nodes, int bidderCount, int watcherCount, int rate, int seconds)
    {
        // Warm-up lot (not reported): JIT, pools, the first connections.
        await OneAsync(label, nodes, bidderCount, Math.Min(watcherCount, 20), rate, 2, report: false);
        await OneAsync(label, nodes, bidderCount, watcherCount, rate, seconds, report: true);
    }

    private static async Task OneAsync(string label, IReadOnlyList<NodeProcess> nodes, int bidderCount, int watcherCount, int rate, int seconds, bool report)
    {
        var control = await ConnectAsync(nodes[0]);
        var lot = await control.InvokeAsync<WireLot>("CreateLot", bidderCount);

        var connecting = Stopwatch.StartNew();
        var watcherProcess = await WatcherProcess.StartAsync(nodes, lot.LotId, watcherCount);
        connecting.Stop();
        var bidderConnections = new HubConnection[bidderCount];
        for (var i = 0; i < bidderCount; i++)
        {
            bidderConnections[i] = await ConnectAsync(nodes[i % nodes.Count]);
        }

        var cpuBefore = nodes.Select(n => n.Cpu).ToArray();
        var driverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var serverMs = new ConcurrentBag<double>();
        var clientMs = new ConcurrentBag<double>();
        long accepted = 0, refused = 0, repeatedOk = 0, ticket = 0;
        var clock = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(lot.Numbers.Select((number, i) => Task.Run(async () =>
        {
            var connection = bidderConnections[i];
            var interval = rate > 0 ? TimeSpan.FromSeconds((double)bidderCount / rate) : TimeSpan.Zero;
            var next = TimeSpan.FromTicks(interval.Ticks * i / bidderCount);
            var round = 0;
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

                var amount = 10_000_000m + 1_000m * Interlocked.Increment(ref ticket);
                var key = $"{number}-{round++}";
                var started = Stopwatch.GetTimestamp();
                var receipt = await connection.InvokeAsync<WireReceipt>("Bid", lot.LotId, number, amount, key);
                clientMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                serverMs.Add(receipt.ServerMs);
                Interlocked.Increment(ref receipt.Accepted ? ref accepted : ref refused);
                if (round % 50 == 0)
                {
                    // The same bid again through the other node (a client that lost the answer): answered from the log.
                    var again = await bidderConnections[(i + 1) % bidderCount].InvokeAsync<WireReceipt>("Bid", lot.LotId, number, amount, key);
                    if (again.Repeated && again.Sequence == receipt.Sequence && again.Accepted == receipt.Accepted)
                    {
                        Interlocked.Increment(ref repeatedOk);
                    }
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var nodeCpu = nodes.Select((n, i) => (n.Cpu - cpuBefore[i]).TotalSeconds / elapsed * 100).ToArray();
        var driverCpu = (Process.GetCurrentProcess().TotalProcessorTime - driverCpuBefore).TotalSeconds / elapsed * 100;

        var check = await control.InvokeAsync<WireCheck>("Check", lot.LotId);
        var commits = new List<long[]>();
        foreach (var connection in nodes.Select((_, i) => bidderConnections[i]))
        {
            commits.Add(await connection.InvokeAsync<long[]>("Commits", lot.LotId));
        }

        var watched = await watcherProcess.FinishAsync(check.LastSequence);
        if (report)
        {
            var server = serverMs.Order().ToArray();
            var client = clientMs.Order().ToArray();
            static double P(double[] s, double q) => s[Math.Min(s.Length - 1, (int)(q * s.Length))];
            Console.WriteLine($"== {label} == (load average now {Load()})");
            Console.WriteLine($"  bids judged {check.Bids} in {elapsed:F1} s: {check.Bids / elapsed:F0}/s; accepted {check.Accepted} ({check.Accepted / elapsed:F0}/s), refused {refused}");
            Console.WriteLine($"  server arrival→ack ms: p50 {P(server, .5):F1}  p95 {P(server, .95):F1}  p99 {P(server, .99):F1}  max {server[^1]:F1}");
            Console.WriteLine($"  client round trip over SignalR ms: p50 {P(client, .5):F1}  p95 {P(client, .95):F1}  p99 {P(client, .99):F1}  max {client[^1]:F1}");
            Console.WriteLine($"  accepted answers {accepted} = accepted log entries {check.Accepted}: {accepted == check.Accepted}; keys unique: {check.KeysUnique}; retries answered from the log: {repeatedOk}");
            Console.WriteLine($"  prices strictly rising in log order: {check.PricesRising}; replay by the verifier: {(check.Valid ? "valid" : "INVALID " + check.Problem)} ({check.Entries} entries in {check.VerifyMs:F0} ms)");
            Console.WriteLine($"  group commit: {string.Join(" + ", commits.Select(c => c[0]))} transactions for {string.Join(" + ", commits.Select(c => c[1]))} commands "
                + $"(on average {commits.Sum(c => c[1]) / (double)Math.Max(1, commits.Sum(c => c[0])):F1} per commit; node by node)");
            Console.WriteLine($"  CPU during the load: node process(es) {string.Join(" + ", nodeCpu.Select(c => c.ToString("F0", CultureInfo.InvariantCulture) + "%"))}, "
                + $"the bidders' process {driverCpu:F0}% (100% = one core)");
            Console.WriteLine($"  watchers {watcherCount} (SignalR clients in their own process, joined in {connecting.Elapsed.TotalSeconds:F1} s, spread over {nodes.Count} node(s)): "
                + $"all reached sequence {check.LastSequence}: {watched.AllReached} ({watched.Drained} s after the last bid); gaps or repeats: {watched.Gaps}; updates received {watched.Updates}; "
                + $"watchers' process CPU {watched.CpuSeconds} s in all");
        }

        await Parallel.ForEachAsync(bidderConnections.Append(control), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) => await c.DisposeAsync());
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static async Task AdminAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A node started as its own process (this program in <c>node</c> mode); ended by closing its standard input.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<NodeProcess> StartAsync(string provider, string connectionString, string synchronous, int publishMs)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(NodeProcess).Assembly.Location, "node", "--provider", provider, "--cs", connectionString, "--port", port.ToString(CultureInfo.InvariantCulture), "--synchronous", synchronous, "--publish-ms", publishMs.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_gcServer"] = "0";
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
                    Console.WriteLine($"[node {port}] {line}");
                }
            }
        };
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));
        return new NodeProcess(process, $"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>The watchers' process (<see cref="SignalRDriver.WatchAsync"/>).</summary>
public sealed class WatcherProcess
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WatcherProcess(Process process) => _process = process;

    public sealed record Outcome(bool AllReached, long Gaps, long Updates, string Drained, string CpuSeconds);

    public static async Task<WatcherProcess> StartAsync(IReadOnlyList<NodeProcess> nodes, Guid lot, int count)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(WatcherProcess).Assembly.Location, "watchers", "--urls", string.Join(",", nodes.Select(n => n.Url)), "--lot", lot.ToString(), "--count", count.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        var watcher = new WatcherProcess(process);
        var ready = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            if (line.StartsWith("READY", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
            else if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                watcher._result.TrySetResult(line["RESULT ".Length..]);
            }
            else
            {
                Console.WriteLine($"[watchers] {line}");
            }
        };
        process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromMinutes(3));
        return watcher;
    }

    public async Task<Outcome> FinishAsync(long lastSequence)
    {
        await _process.StandardInput.WriteLineAsync(lastSequence.ToString(CultureInfo.InvariantCulture));
        await _process.StandardInput.FlushAsync();
        var parts = (await _result.Task.WaitAsync(TimeSpan.FromMinutes(2))).Split(' ');
        await _process.WaitForExitAsync();
        _process.Dispose();
        return new Outcome(bool.Parse(parts[0]), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), parts[3], parts[4]);
    }
}
