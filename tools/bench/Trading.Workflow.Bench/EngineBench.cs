using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Bench;

/// <summary>
/// Our engine on benchmark.bpmn with the in-memory store. Instance i starts with amount 150 when i is even, 50 when
/// odd (both gateway branches), the service task calls a no-op handler, both user tasks are completed as soon as
/// they wait; an instance counts when it has ended. The file is parsed and deployed once.
/// </summary>
internal sealed class EngineBench : IDisposable
{
    private static readonly Dictionary<string, object?> Large = new() { ["amount"] = 150m };
    private static readonly Dictionary<string, object?> Small = new() { ["amount"] = 50m };

    private readonly ServiceProvider _services;
    private readonly IWorkflowEngine _engine;

    private EngineBench(ServiceProvider services)
    {
        _services = services;
        _engine = services.GetRequiredService<IWorkflowEngine>();
    }

    public static async Task<EngineBench> CreateAsync(BpmnDefinitions definitions, HistoryLevel historyLevel = HistoryLevel.Full)
    {
        var services = new ServiceCollection();
        services.AddWorkflowEngine(o => o.HistoryLevel = historyLevel).AddHandler(new NoopHandler());
        var bench = new EngineBench(services.BuildServiceProvider());
        await bench._engine.DeployAsync(definitions);
        return bench;
    }

    /// <summary>
    /// Runs one instance per branch and checks they end; and checks the gateway really evaluates its condition
    /// (an instance without <c>amount</c> must fail), since the engine's history does not record flows taken.
    /// </summary>
    public async Task VerifyAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            var id = await RunInstanceAsync(i);
            var instance = await _engine.GetInstanceAsync(id);
            if (instance?.State != InstanceState.Completed)
            {
                throw new InvalidOperationException($"Instance {i} did not complete: {instance?.State}.");
            }
        }

        try
        {
            await _engine.StartAsync("benchmark");
            throw new InvalidOperationException("An instance without 'amount' passed the gateway: the condition is not evaluated.");
        }
        catch (UnknownVariableException)
        {
            // Expected: the condition ${amount > 100} reads the variable.
        }
    }

    public async Task<Guid> RunInstanceAsync(int i)
    {
        var instance = await _engine.StartAsync("benchmark", variables: i % 2 == 0 ? Large : Small);
        var tasks = await _engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id });
        if (tasks.Count != 2)
        {
            throw new InvalidOperationException($"Instance {i} has {tasks.Count} open tasks, expected 2.");
        }

        foreach (var task in tasks)
        {
            await _engine.CompleteTaskAsync(task.Id);
        }

        return instance.Id;
    }

    /// <summary>Instances one after the other on the calling thread.</summary>
    public async Task<RunFigures> RunSequentialAsync(int count)
    {
        var threadBytes = GC.GetAllocatedBytesForCurrentThread();
        var totalBytes = GC.GetTotalAllocatedBytes(precise: true);
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await RunInstanceAsync(i);
        }

        watch.Stop();
        return new RunFigures(
            count,
            watch.Elapsed,
            Process.GetCurrentProcess().TotalProcessorTime - cpu,
            1,
            (GC.GetTotalAllocatedBytes(precise: true) - totalBytes) / (double)count,
            (GC.GetAllocatedBytesForCurrentThread() - threadBytes) / (double)count,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(2) - gen2);
    }

    /// <summary><paramref name="workers"/> threads share the engine and take instance numbers from one counter.</summary>
    public RunFigures RunParallel(int count, int workers)
    {
        var next = -1;
        var totalBytes = GC.GetTotalAllocatedBytes(precise: true);
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var failures = new List<Exception>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    RunInstanceAsync(i).GetAwaiter().GetResult();
                }
            }
            catch (Exception e)
            {
                lock (failures)
                {
                    failures.Add(e);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        watch.Stop();
        if (failures.Count > 0)
        {
            throw new AggregateException("Parallel run failed.", failures);
        }

        return new RunFigures(
            count,
            watch.Elapsed,
            Process.GetCurrentProcess().TotalProcessorTime - cpu,
            workers,
            (GC.GetTotalAllocatedBytes(precise: true) - totalBytes) / (double)count,
            null,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(2) - gen2);
    }

    public void Dispose() => _services.Dispose();
}

/// <param name="CpuTime">CPU time of the whole process (GC and JIT threads included) during the run.</param>
internal sealed record RunFigures(int Instances, TimeSpan Elapsed, TimeSpan CpuTime, int Workers, double BytesPerInstance, double? ThreadBytesPerInstance, int Gen0Collections, int Gen2Collections)
{
    public double PerSecond => Instances / Elapsed.TotalSeconds;

    /// <summary>Instances per second of CPU time: what one fully available core does, whatever else the machine runs.</summary>
    public double PerCpuSecond => Instances / CpuTime.TotalSeconds;
}
