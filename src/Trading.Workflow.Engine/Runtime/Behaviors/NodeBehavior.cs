using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime.Behaviors;

/// <summary>
/// What one kind of BPMN element does when a token arrives (<see cref="ExecuteAsync"/>) and which flows it leaves by
/// (<see cref="TakeOutgoing"/>). Behaviours report the next step to the <see cref="CommandContext"/> (leave, wait,
/// end, throw); they hold no state and are shared by every instance.
/// </summary>
internal abstract class NodeBehavior
{
    /// <param name="triggered">The token arrives because its event already happened (event-based gateway, boundary or event start).</param>
    public abstract ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered);

    public virtual void TakeOutgoing(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node) =>
        context.TakeConditionalFlows(instance, execution, node);

    public static NodeBehavior For(FlowNode node) => node switch
    {
        StartEvent => PassThroughBehavior.Instance,
        BoundaryEvent => PassThroughBehavior.Instance,
        EndEvent => EndEventBehavior.Instance,
        IntermediateCatchEvent => CatchEventBehavior.Instance,
        IntermediateThrowEvent => ThrowEventBehavior.Instance,
        UserTask => UserTaskBehavior.Instance,
        ServiceTask => ServiceTaskBehavior.Instance,
        ReceiveTask => ReceiveTaskBehavior.Instance,
        ManualTask or PlainTask => PassThroughBehavior.Instance,
        SubProcess => SubProcessBehavior.Instance,
        CallActivity => CallActivityBehavior.Instance,
        ExclusiveGateway => ExclusiveGatewayBehavior.Instance,
        ParallelGateway => ParallelGatewayBehavior.Instance,
        InclusiveGateway => InclusiveGatewayBehavior.Instance,
        EventBasedGateway => EventBasedGatewayBehavior.Instance,
        _ => new UnsupportedBehavior(),
    };
}

/// <summary>Start and boundary events, manual and plain tasks: the token passes through.</summary>
internal sealed class PassThroughBehavior : NodeBehavior
{
    public static readonly PassThroughBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        context.Leave(instance, execution, node);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Script tasks, complex gateways and anything else the engine refuses to run.</summary>
internal sealed class UnsupportedBehavior : NodeBehavior
{
    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered) =>
        throw new WorkflowDefinitionException(
            $"引擎不执行 {node.ElementType} 类型的节点 {node.Id}",
            $"The engine does not execute {node.ElementType} elements ('{node.Id}').",
            node.Id);
}
