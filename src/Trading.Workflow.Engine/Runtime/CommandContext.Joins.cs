using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

// Parallel and inclusive joins.
internal sealed partial class CommandContext
{
    // ---------------------------------------------------------------- joins

    /// <summary>Parallel join: fires when a token waits on every incoming flow (one per flow is consumed).</summary>
    public void ArriveAtParallelJoin(LoadedInstance instance, ExecutionRecord execution, FlowNode gateway)
    {
        execution.Wait = WaitKind.Join;
        var incoming = gateway.Incoming;
        var waiting = new ExecutionRecord?[incoming.Count];
        var parentId = execution.ParentId;
        foreach (var candidate in instance.Record.Executions)
        {
            if (candidate.ParentId != parentId || candidate.Wait != WaitKind.Join || candidate.NodeId != gateway.Id)
            {
                continue;
            }

            for (var i = 0; i < incoming.Count; i++)
            {
                if (waiting[i] is null && incoming[i].Id == candidate.ArrivedByFlowId)
                {
                    waiting[i] = candidate;
                    break;
                }
            }
        }

        // The arriving token may be on a flow that already had a waiting one: it then counts for that flow.
        for (var i = 0; i < waiting.Length; i++)
        {
            if (waiting[i] is null)
            {
                return;
            }
        }

        var continuing = execution;
        var hasArrival = false;
        foreach (var joined in waiting)
        {
            hasArrival |= joined == execution;
        }

        if (!hasArrival)
        {
            continuing = waiting[0]!;
        }

        foreach (var joined in waiting)
        {
            if (joined != continuing)
            {
                History(instance, HistoryEventType.ActivityCompleted, joined, gateway);
                RemoveExecution(instance, joined!);
            }
        }

        continuing.Wait = WaitKind.None;
        History(instance, HistoryEventType.ActivityCompleted, continuing, gateway);
        gateway.Behavior.TakeOutgoing(this, instance, continuing, gateway);
    }

    /// <summary>
    /// Inclusive joins fire once no other token of their scope can still reach them. Checked whenever the agenda
    /// runs dry, when every token is at rest and positions are final.
    /// </summary>
    private bool FireReadyInclusiveJoins()
    {
        var fired = false;
        foreach (var instance in _order)
        {
            if (instance.Record.IsEnded)
            {
                continue;
            }

            var executions = instance.Record.Executions;
            for (var i = 0; i < executions.Count; i++)
            {
                var waiting = executions[i];
                if (waiting.Wait != WaitKind.Join || waiting.Removed)
                {
                    continue;
                }

                var gateway = instance.Definition.Model.FindNode(waiting.NodeId!);
                if (gateway is not InclusiveGateway || gateway.ReachableFrom is not { } reachable)
                {
                    continue;
                }

                var blocked = false;
                foreach (var other in executions)
                {
                    if (other.ParentId == waiting.ParentId && other.NodeId is { } at && !(other.Wait == WaitKind.Join && at == gateway.Id) && reachable.Contains(at))
                    {
                        blocked = true;
                        break;
                    }
                }

                if (blocked)
                {
                    continue;
                }

                foreach (var joined in instance.Children(Parent(instance, waiting)))
                {
                    if (joined != waiting && joined.Wait == WaitKind.Join && joined.NodeId == gateway.Id)
                    {
                        History(instance, HistoryEventType.ActivityCompleted, joined, gateway);
                        RemoveExecution(instance, joined);
                    }
                }

                waiting.Wait = WaitKind.None;
                History(instance, HistoryEventType.ActivityCompleted, waiting, gateway);
                gateway.Behavior.TakeOutgoing(this, instance, waiting, gateway);
                fired = true;
                break;
            }
        }

        return fired;
    }
}
