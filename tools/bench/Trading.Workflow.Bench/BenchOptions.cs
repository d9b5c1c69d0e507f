using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Bench;

internal sealed record BenchOptions(int Instances, int ParallelInstances, int Warmup, int NodeInstances, int NodeWarmup, bool RunNode, bool Profile, HistoryLevel HistoryLevel = HistoryLevel.Full)
{
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
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Use --instances N, --parallel-instances N, --warmup N, --node-instances N, --node-warmup N, --no-node, --profile, --history-level none|activity|full."),
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
