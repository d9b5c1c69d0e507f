using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Bench;

internal sealed record BenchOptions(int Instances, int ParallelInstances, int Warmup, int NodeInstances, int NodeWarmup, bool RunNode, bool Profile, HistoryLevel HistoryLevel = HistoryLevel.Full)
{
    public const string Usage = """
        Engine benchmark (issue 3): instances per second on one core and on all cores, bytes per instance, and the
        npm bpmn-engine on the same benchmark.bpmn in the same run.
          --instances N            instances measured on one core (default 50000)
          --parallel-instances N   instances measured on all cores (default 100000)
          --warmup N               instances run before measuring (default 5000)
          --node-instances N       bpmn-engine instances (default 1000), --node-warmup N (default 100)
          --no-node                skip bpmn-engine
          --history-level L        none, activity or full (default full, the engine's default)
          --profile                one thread, command by command: time, bytes, GC, allocated types
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(Instances: 50_000, ParallelInstances: 100_000, Warmup: 5_000, NodeInstances: 1_000, NodeWarmup: 100, RunNode: true, Profile: false);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--instances" => options with { Instances = Number(args, ++i) },
                "--parallel-instances" => options with { ParallelInstances = Number(args, ++i) },
                "--warmup" => options with { Warmup = Number(args, ++i) },
                "--node-instances" => options with { NodeInstances = Number(args, ++i) },
                "--node-warmup" => options with { NodeWarmup = Number(args, ++i) },
                "--no-node" => options with { RunNode = false },
                "--profile" => options with { Profile = true },
                "--history-level" => options with { HistoryLevel = Level(args, ++i) },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}"),
            };
        }

        return options;
    }

    private static HistoryLevel Level(string[] args, int i) =>
        i < args.Length && Enum.TryParse<HistoryLevel>(args[i], ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new ArgumentException($"'{args[i - 1]}' needs none, activity or full.");

    private static int Number(string[] args, int i) =>
        i < args.Length && int.TryParse(args[i], out var n) && n > 0
            ? n
            : throw new ArgumentException($"'{args[i - 1]}' needs a positive number.");
}
