using Trading.Workflow.Engine.Runtime.Behaviors;

namespace Trading.Workflow.Engine.Model;

public abstract partial class FlowNode
{
    /// <summary>The behaviour the runtime runs for this node, set once when the process is compiled.</summary>
    internal NodeBehavior Behavior { get; set; } = null!;

    /// <summary>For inclusive joins: the nodes of the same scope from which a token can still reach this node.</summary>
    internal HashSet<string>? ReachableFrom { get; set; }
}

public sealed partial class ProcessModel
{
    internal Runtime.CompiledProcess? Compiled { get; set; }
}
