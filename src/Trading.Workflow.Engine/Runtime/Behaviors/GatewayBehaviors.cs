using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime.Behaviors;

/// <summary>Exclusive gateway: the first flow (document order) whose condition holds, else the default; none is an error.</summary>
internal sealed class ExclusiveGatewayBehavior : NodeBehavior
{
    public static readonly ExclusiveGatewayBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        context.Leave(instance, execution, node);
        return ValueTask.CompletedTask;
    }

    public override void TakeOutgoing(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node)
    {
        var outgoing = node.Outgoing;
        if (outgoing.Count == 0)
        {
            context.EndExecution(instance, execution);
            return;
        }

        SequenceFlow? fallback = null;
        foreach (var flow in outgoing)
        {
            if (flow.IsDefault || flow.Id == node.DefaultFlowId)
            {
                fallback = flow;
                continue;
            }

            if (flow.Condition is null || context.EvaluateCondition(instance, execution, flow.Condition, flow.Id))
            {
                context.Enqueue(new Op(OpKind.Enter, instance, execution, flow.Target, flow));
                return;
            }
        }

        if (fallback is null)
        {
            throw new NoFlowSelectedException(node.Id);
        }

        context.Enqueue(new Op(OpKind.Enter, instance, execution, fallback.Target, fallback));
    }
}

/// <summary>Parallel gateway: joins one token per incoming flow, forks on every outgoing flow (conditions ignored).</summary>
internal sealed class ParallelGatewayBehavior : NodeBehavior
{
    public static readonly ParallelGatewayBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        if (node.Incoming.Count > 1)
        {
            context.ArriveAtParallelJoin(instance, execution, node);
        }
        else
        {
            context.Leave(instance, execution, node);
        }

        return ValueTask.CompletedTask;
    }

    public override void TakeOutgoing(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node) =>
        context.TakeFlows(instance, execution, node.Outgoing);
}

/// <summary>
/// Inclusive gateway: forks on every flow whose condition holds (else the default); as a join it waits until no
/// other token of its scope can still reach it (checked by the command when the agenda runs dry).
/// </summary>
internal sealed class InclusiveGatewayBehavior : NodeBehavior
{
    public static readonly InclusiveGatewayBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        if (node.Incoming.Count > 1)
        {
            execution.Wait = WaitKind.Join;
        }
        else
        {
            context.Leave(instance, execution, node);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Event-based gateway: waits for the events after it; the first that happens wins and the others are withdrawn.</summary>
internal sealed class EventBasedGatewayBehavior : NodeBehavior
{
    public static readonly EventBasedGatewayBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        execution.Wait = WaitKind.EventBasedGateway;
        foreach (var flow in node.Outgoing)
        {
            switch (flow.Target)
            {
                case IntermediateCatchEvent catchEvent:
                    context.CreateTrigger(instance, execution, catchEvent, catchEvent.Definition, TriggerPurpose.EventGateway);
                    break;
                case ReceiveTask receive:
                    context.CreateSubscription(instance, execution, receive, EventKind.Message, ReceiveTaskBehavior.MessageName(receive), receive.CorrelationKey, TriggerPurpose.EventGateway);
                    break;
                default:
                    throw new WorkflowDefinitionException(
                        $"事件网关 {node.Id} 之后只能是中间捕获事件或接收任务（{flow.Target.Id}）",
                        $"The event-based gateway '{node.Id}' may only lead to intermediate catch events or receive tasks ('{flow.Target.Id}').",
                        node.Id);
            }
        }

        return ValueTask.CompletedTask;
    }
}
