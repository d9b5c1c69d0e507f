using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Trading.Workflow.Bench;
using Trading.Workflow.Engine.Parsing;

// The engine benchmark of issue 3, item 9: instances started and completed per second on one core and on all
// cores, bytes allocated per instance, and the npm bpmn-engine on the same file in the same run.
//   dotnet run -c Release --project tools/bench/Trading.Workflow.Bench -- --help
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

var benchDirectory = FindBenchDirectory();
var definitions = BpmnParser.ParseFile(Path.Combine(benchDirectory, "benchmark.bpmn"));
var log = Console.Error;

log.WriteLine($"load average before the run: {LoadAverage()}");
if (options.Profile)
{
    await Profile.RunAsync(definitions, options.Instances, options.Warmup, options.HistoryLevel, Console.Out);
    return 0;
}

log.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} logical CPUs, server GC {GCSettings.IsServerGC}, configuration {Configuration()}");

// One core: a dedicated thread pinned to CPU 0 where the OS allows it (GC and JIT threads are not pinned). In-memory
// commands complete synchronously, so the whole loop runs on that thread (thread bytes = total bytes shows it).
var pinned = false;
RunFigures? singleResult = null;
Exception? singleFailure = null;
var singleThread = new Thread(() =>
{
    try
    {
        pinned = CpuPinning.PinCurrentThreadToFirstCpu();
        using var bench = EngineBench.CreateAsync(definitions, options.HistoryLevel).GetAwaiter().GetResult();
        bench.VerifyAsync().GetAwaiter().GetResult();
        bench.RunSequentialAsync(options.Warmup).GetAwaiter().GetResult();
        GC.Collect();
        singleResult = bench.RunSequentialAsync(options.Instances).GetAwaiter().GetResult();
    }
    catch (Exception e)
    {
        singleFailure = e;
    }
});
singleThread.Start();
singleThread.Join();
if (singleFailure is not null)
{
    throw new InvalidOperationException("The one-core run failed.", singleFailure);
}

var single = singleResult!;

// All cores: one worker thread per logical CPU on a fresh engine.
RunFigures parallel;
using (var bench = await EngineBench.CreateAsync(definitions, options.HistoryLevel))
{
    bench.RunParallel(options.Warmup, Environment.ProcessorCount);
    GC.Collect();
    parallel = bench.RunParallel(options.ParallelInstances, Environment.ProcessorCount);
}

JsonElement? node = null;
string? nodeError = null;
if (options.RunNode)
{
    try
    {
        node = await NodeBench.RunAsync(benchDirectory, options.NodeInstances, options.NodeWarmup, log);
    }
    catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
    {
        nodeError = e.Message;
        log.WriteLine("bpmn-engine run failed: " + e.Message);
    }
}

var nodePerSecond = node?.GetProperty("perSecond").GetDouble();
var ratio = nodePerSecond is > 0 ? single.PerSecond / nodePerSecond.Value : (double?)null;
var nodePerCpuSecond = node is { } withCpu && withCpu.TryGetProperty("perCpuSecond", out var perCpu) ? perCpu.GetDouble() : (double?)null;
var cpuRatio = nodePerCpuSecond is > 0 ? single.PerCpuSecond / nodePerCpuSecond.Value : (double?)null;

var ci = CultureInfo.InvariantCulture;
Console.WriteLine();
Console.WriteLine($"{"engine",-34} {"run",-22} {"instances",10} {"seconds",9} {"inst/s",10} {"inst/CPU-s",11} {"bytes/inst",11}");
Console.WriteLine(new string('-', 113));
Console.WriteLine(string.Format(ci, "{0,-34} {1,-22} {2,10} {3,9:F2} {4,10:N0} {5,11:N0} {6,11:N0}", "Trading.Workflow.Engine", pinned ? "one core (pinned)" : "one core (1 thread)", single.Instances, single.Elapsed.TotalSeconds, single.PerSecond, single.PerCpuSecond, single.BytesPerInstance));
Console.WriteLine(string.Format(ci, "{0,-34} {1,-22} {2,10} {3,9:F2} {4,10:N0} {5,11:N0} {6,11:N0}", "Trading.Workflow.Engine", $"all cores ({parallel.Workers} threads)", parallel.Instances, parallel.Elapsed.TotalSeconds, parallel.PerSecond, parallel.PerCpuSecond, parallel.BytesPerInstance));
if (node is { } n)
{
    Console.WriteLine(string.Format(ci, "{0,-34} {1,-22} {2,10} {3,9:F2} {4,10:N0} {5,11} {6,11}", $"bpmn-engine {n.GetProperty("version").GetString()} (node {n.GetProperty("node").GetString()})", "one core (node)", n.GetProperty("instances").GetInt32(), n.GetProperty("seconds").GetDouble(), nodePerSecond, nodePerCpuSecond is { } c ? c.ToString("N0", ci) : "-", "-"));
    Console.WriteLine(string.Format(ci, "ratio, one core: {0:N1}x bpmn-engine by wall clock, {1:N1}x by CPU time", ratio, cpuRatio));
    Console.WriteLine(string.Format(ci, "target 20,000 inst/s on one core: {0} by wall clock, {1} by CPU time", single.PerSecond >= 20_000 ? "met" : "NOT met", single.PerCpuSecond >= 20_000 ? "met" : "NOT met"));
}
else
{
    Console.WriteLine($"bpmn-engine: not run ({nodeError ?? "--no-node"})");
}

Console.WriteLine();
using var stdout = Console.OpenStandardOutput();
using (var writer = new Utf8JsonWriter(stdout))
{
    writer.WriteStartObject();
    writer.WriteString("benchmark", "benchmark.bpmn");
    writer.WriteNumber("cpus", Environment.ProcessorCount);
    writer.WriteStartObject("oneCore");
    Write(writer, single);
    writer.WriteBoolean("pinned", pinned);
    writer.WriteNumber("threadBytesPerInstance", Math.Round(single.ThreadBytesPerInstance ?? 0));
    writer.WriteEndObject();
    writer.WriteStartObject("allCores");
    Write(writer, parallel);
    writer.WriteEndObject();
    writer.WritePropertyName("bpmnEngine");
    if (node is { } nodeJson)
    {
        nodeJson.WriteTo(writer);
    }
    else
    {
        writer.WriteNullValue();
    }

    if (ratio is { } r)
    {
        writer.WriteNumber("ratioOneCore", Math.Round(r, 1));
    }
    else
    {
        writer.WriteNull("ratioOneCore");
    }

    if (cpuRatio is { } rc)
    {
        writer.WriteNumber("ratioOneCoreCpu", Math.Round(rc, 1));
    }
    else
    {
        writer.WriteNull("ratioOneCoreCpu");
    }

    writer.WriteBoolean("targetMet", single.PerSecond >= 20_000);
    writer.WriteBoolean("targetMetCpu", single.PerCpuSecond >= 20_000);
    writer.WriteEndObject();
}

stdout.Write("\n"u8);
return 0;

static void Write(Utf8JsonWriter writer, RunFigures figures)
{
    writer.WriteNumber("instances", figures.Instances);
    writer.WriteNumber("workers", figures.Workers);
    writer.WriteNumber("seconds", Math.Round(figures.Elapsed.TotalSeconds, 3));
    writer.WriteNumber("perSecond", Math.Round(figures.PerSecond));
    writer.WriteNumber("cpuSeconds", Math.Round(figures.CpuTime.TotalSeconds, 3));
    writer.WriteNumber("perCpuSecond", Math.Round(figures.PerCpuSecond));
    writer.WriteNumber("bytesPerInstance", Math.Round(figures.BytesPerInstance));
    writer.WriteNumber("gen0Collections", figures.Gen0Collections);
    writer.WriteNumber("gen2Collections", figures.Gen2Collections);
}

static string FindBenchDirectory()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "tools", "bench");
        if (File.Exists(Path.Combine(candidate, "benchmark.bpmn")))
        {
            return candidate;
        }
    }

    throw new InvalidOperationException("tools/bench/benchmark.bpmn not found above " + AppContext.BaseDirectory);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";

static string Configuration() =>
#if DEBUG
    "Debug (figures are not meaningful: use -c Release)";
#else
    "Release";
#endif
