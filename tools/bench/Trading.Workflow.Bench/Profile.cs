using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Bench;

/// <summary>
/// <c>--profile</c>: where one instance's time and allocations go, command by command, on one thread; and whether
/// the rate falls as the in-memory store fills (first and last tenth of the run).
/// </summary>
internal static class Profile
{
    private static readonly string[] Phases = ["StartAsync", "GetTasksAsync", "CompleteTaskAsync #1", "CompleteTaskAsync #2"];

    public static async Task RunAsync(BpmnDefinitions definitions, int instances, int warmup, HistoryLevel historyLevel, TextWriter output)
    {
        var services = new ServiceCollection();
        services.AddWorkflowEngine(o => o.HistoryLevel = historyLevel).AddHandler(new NoopHandler());
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(definitions);
        var large = new Dictionary<string, object?> { ["amount"] = 150m };
        var small = new Dictionary<string, object?> { ["amount"] = 50m };

        var ticks = new long[Phases.Length];
        var bytes = new long[Phases.Length];
        var tenth = Math.Max(1, instances / 10);
        TimeSpan firstTenth = default, lastTenth = default;
        var total = warmup + instances;
        var tenthWatch = new Stopwatch();
        var pause = TimeSpan.Zero;
        var gcCounts = new int[3];
        var runWatch = new Stopwatch();
        var cpu = TimeSpan.Zero;
        using var sampler = new AllocationSampler();
        IReadOnlyList<(string Type, long Bytes)> allocations = [];
        for (var i = 0; i < total; i++)
        {
            var measured = i >= warmup;
            var n = i - warmup;
            if (measured && (n == 0 || n == instances - tenth))
            {
                tenthWatch.Restart();
            }

            if (measured && n == 0)
            {
                pause = GC.GetTotalPauseDuration();
                gcCounts = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
                runWatch.Start();
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                sampler.Start();
            }

            var t0 = Stopwatch.GetTimestamp();
            var b0 = GC.GetAllocatedBytesForCurrentThread();
            var instance = await engine.StartAsync("benchmark", variables: i % 2 == 0 ? large : small);
            var t1 = Stopwatch.GetTimestamp();
            var b1 = GC.GetAllocatedBytesForCurrentThread();
            var tasks = await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id });
            var t2 = Stopwatch.GetTimestamp();
            var b2 = GC.GetAllocatedBytesForCurrentThread();
            await engine.CompleteTaskAsync(tasks[0].Id);
            var t3 = Stopwatch.GetTimestamp();
            var b3 = GC.GetAllocatedBytesForCurrentThread();
            await engine.CompleteTaskAsync(tasks[1].Id);
            var t4 = Stopwatch.GetTimestamp();
            var b4 = GC.GetAllocatedBytesForCurrentThread();
            if (!measured)
            {
                continue;
            }

            ticks[0] += t1 - t0;
            ticks[1] += t2 - t1;
            ticks[2] += t3 - t2;
            ticks[3] += t4 - t3;
            bytes[0] += b1 - b0;
            bytes[1] += b2 - b1;
            bytes[2] += b3 - b2;
            bytes[3] += b4 - b3;
            if (n == tenth - 1)
            {
                firstTenth = tenthWatch.Elapsed;
            }

            if (n == instances - 1)
            {
                lastTenth = tenthWatch.Elapsed;
                runWatch.Stop();
                allocations = sampler.Stop();
                cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                pause = GC.GetTotalPauseDuration() - pause;
                gcCounts = [GC.CollectionCount(0) - gcCounts[0], GC.CollectionCount(1) - gcCounts[1], GC.CollectionCount(2) - gcCounts[2]];
            }
        }

        output.WriteLine($"Profile: {instances} instances on one thread after {warmup} warm-up (times are wall clock)");
        output.WriteLine($"{"command",-24} {"µs/instance",12} {"share",7} {"bytes/instance",15}");
        var allTicks = ticks.Sum();
        for (var p = 0; p < Phases.Length; p++)
        {
            output.WriteLine($"{Phases[p],-24} {ticks[p] * 1e6 / Stopwatch.Frequency / instances,12:F1} {100.0 * ticks[p] / allTicks,6:F1}% {bytes[p] / (double)instances,15:N0}");
        }

        output.WriteLine($"{"total",-24} {allTicks * 1e6 / Stopwatch.Frequency / instances,12:F1} {100.0,6:F1}% {bytes.Sum() / (double)instances,15:N0}");
        output.WriteLine($"rate: {instances / runWatch.Elapsed.TotalSeconds:N0} inst/s wall clock, {instances / cpu.TotalSeconds:N0} inst/CPU-s (process CPU {cpu.TotalMilliseconds:N0} ms)");
        output.WriteLine($"GC: paused {pause.TotalMilliseconds:N0} ms of {runWatch.Elapsed.TotalMilliseconds:N0} ms ({100 * pause / runWatch.Elapsed:F1}%); collections gen0 {gcCounts[0]}, gen1 {gcCounts[1]}, gen2 {gcCounts[2]}; heap after run {GC.GetTotalMemory(false) / 1048576.0:N0} MB");
        var sampled = allocations.Sum(a => a.Bytes);
        output.WriteLine("allocated types (sampled every ~100 KB):");
        foreach (var (type, amount) in allocations.Take(25))
        {
            output.WriteLine($"  {100.0 * amount / sampled,5:F1}%  {type}");
        }

        var sample = await engine.StartAsync("benchmark", variables: large);
        foreach (var task in await engine.GetTasksAsync(new TaskQuery { InstanceId = sample.Id }))
        {
            await engine.CompleteTaskAsync(task.Id);
        }

        var history = await engine.GetHistoryAsync(sample.Id);
        output.WriteLine($"history events kept per instance: {history.Count} ({string.Join(", ", history.GroupBy(h => h.Type).Select(g => $"{g.Key} {g.Count()}"))})");
        output.WriteLine($"first tenth: {tenth / firstTenth.TotalSeconds:N0} inst/s, last tenth: {tenth / lastTenth.TotalSeconds:N0} inst/s (store holds every ended instance)");
    }
}
