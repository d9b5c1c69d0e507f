using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Bench;

/// <summary>The benchmark's service-task handler (<c>tw:handler="bench.noop"</c>): completes at once, as the node side's does.</summary>
internal sealed class NoopHandler : IServiceTaskHandler
{
    public string Name => "bench.noop";

    public string Description => "Benchmark: does nothing.";

    public ValueTask ExecuteAsync(ServiceTaskContext context) => ValueTask.CompletedTask;
}
