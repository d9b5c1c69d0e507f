using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime.Behaviors;

/// <summary>
/// End events: none ends the token; message calls its handler if it names one, then ends; terminate ends the scope;
/// error throws; signal broadcasts then ends.
/// </summary>
internal sealed class EndEventBehavior : NodeBehavior
{
    public static readonly EndEventBehavior Instance = new();

    public override async ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        var end = (EndEvent)node;
        switch (end.Definition)
        {
            case TerminateEventDefinition:
                context.Terminate(instance, execution, node);
                break;
            case ErrorEventDefinition error:
                {
                    context.History(instance, HistoryEventType.ActivityCompleted, execution, node);
                    var scope = context.Parent(instance, execution);
                    context.RemoveExecution(instance, execution);
                    context.ThrowError(instance, scope, CommandContext.ThrownErrorCode(error), error.Error?.Name, node.Id);
                    break;
                }

            case SignalEventDefinition signal:
                context.EnqueueSignal(instance, execution, CommandContext.SignalName(signal, node));
                context.History(instance, HistoryEventType.ActivityCompleted, execution, node);
                context.EndExecution(instance, execution);
                break;
            case MessageEventDefinition message:
                if (await SendAsync(context, instance, execution, node, message))
                {
                    context.History(instance, HistoryEventType.ActivityCompleted, execution, node);
                    context.EndExecution(instance, execution);
                }

                break;
            case null:
                context.History(instance, HistoryEventType.ActivityCompleted, execution, node);
                context.EndExecution(instance, execution);
                break;
            default:
                throw Unsupported(node);
        }
    }

    /// <summary>
    /// A throwing message event runs like a send task (Camunda 7): its handler sends the message; without one the event
    /// passes. False when the handler raised a BPMN error, already thrown from the event.
    /// </summary>
    internal static ValueTask<bool> SendAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, MessageEventDefinition message) =>
        message.ImplementationKind == ImplementationKind.None
            ? ValueTask.FromResult(true)
            : ServiceTaskBehavior.CallHandlerAsync(context, instance, execution, node, message.Handler, message.Message?.Name, passesWithoutHandler: false);

    internal static WorkflowDefinitionException Unsupported(FlowNode node) =>
        new($"节点 {node.Id} 的事件类型不受支持", $"The event definition of '{node.Id}' is not supported.", node.Id);
}

/// <summary>Intermediate catch events (timer, message, signal): wait for the trigger, then continue.</summary>
internal sealed class CatchEventBehavior : NodeBehavior
{
    public static readonly CatchEventBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        if (triggered)
        {
            context.Leave(instance, execution, node);
            return ValueTask.CompletedTask;
        }

        var definition = ((EventNode)node).Definition;
        if (definition is not (TimerEventDefinition or MessageEventDefinition or SignalEventDefinition))
        {
            throw EndEventBehavior.Unsupported(node);
        }

        execution.Wait = WaitKind.CatchEvent;
        context.CreateTrigger(instance, execution, node, definition, TriggerPurpose.Catch);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Intermediate throw events: none passes; message calls its handler if it names one, then passes; signal broadcasts
/// (to this instance too) and passes.
/// </summary>
internal sealed class ThrowEventBehavior : NodeBehavior
{
    public static readonly ThrowEventBehavior Instance = new();

    public override async ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        switch (((EventNode)node).Definition)
        {
            case SignalEventDefinition signal:
                context.EnqueueSignal(instance, execution, CommandContext.SignalName(signal, node));
                break;
            case MessageEventDefinition message:
                if (!await EndEventBehavior.SendAsync(context, instance, execution, node, message))
                {
                    return;
                }

                break;
            case null:
                break;
            default:
                throw EndEventBehavior.Unsupported(node);
        }

        context.Leave(instance, execution, node);
    }
}
