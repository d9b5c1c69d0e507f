using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

// Tokens moving: entering and leaving nodes, taking flows, ending and cancelling executions; async jobs.
internal sealed partial class CommandContext
{
    // ---------------------------------------------------------------- executions

    public ExecutionRecord NewExecution(LoadedInstance instance, ExecutionRecord? parent, ExecutionKind kind, string? nodeId)
    {
        var record = instance.Record;
        var execution = new ExecutionRecord
        {
            Id = record.NextExecutionId++,
            ParentId = parent?.Id,
            Kind = kind,
            NodeId = nodeId,
            ActivityStartedAt = Now,
        };
        record.Executions.Add(execution);
        return execution;
    }

    public void RemoveExecution(LoadedInstance instance, ExecutionRecord execution)
    {
        execution.Removed = true;
        instance.Record.Executions.Remove(execution);
    }

    public ExecutionRecord Parent(LoadedInstance instance, ExecutionRecord execution) =>
        instance.Find(execution.ParentId ?? throw new InvalidOperationException("The process execution has no parent."))
        ?? throw new InvalidOperationException($"Execution {execution.Id} lost its parent.");

    public FlowNode NodeOf(LoadedInstance instance, ExecutionRecord execution) =>
        instance.Definition.Model.FindNode(execution.NodeId ?? "")
        ?? throw new WorkflowDefinitionException(
            $"流程 {instance.Record.ProcessId} 中找不到节点 {execution.NodeId}",
            $"The process '{instance.Record.ProcessId}' has no node '{execution.NodeId}'.",
            execution.NodeId);

    public void Enqueue(in Op op) => _agenda.Enqueue(op);

    public void EnqueueLeave(LoadedInstance instance, ExecutionRecord execution, FlowNode node) =>
        _agenda.Enqueue(new Op(OpKind.Leave, instance, execution, node));

    /// <summary>Works the agenda until every token waits.</summary>
    public async ValueTask RunAsync()
    {
        while (true)
        {
            while (_agenda.TryDequeue(out var op))
            {
                if (++_steps > _services.Options.MaxStepsPerCommand)
                {
                    throw new WorkflowDefinitionException(
                        $"命令执行超过 {_services.Options.MaxStepsPerCommand} 步，流程可能存在无等待节点的循环",
                        $"The command ran more than {_services.Options.MaxStepsPerCommand} steps; the process may loop without a wait state.",
                        op.Node?.Id);
                }

                CancellationToken.ThrowIfCancellationRequested();
                if (op.Execution.Removed && op.Kind != OpKind.ResumeCaller && op.Kind != OpKind.DeliverSignal)
                {
                    continue;
                }

                switch (op.Kind)
                {
                    case OpKind.Enter:
                    case OpKind.EnterTriggered:
                        await EnterAsync(op);
                        break;
                    case OpKind.Leave:
                        Leave(op.Instance, op.Execution, op.Node!, op.FromJob);
                        break;
                    case OpKind.ResumeCaller:
                        ResumeCaller(op.Instance);
                        break;
                    case OpKind.DeliverSignal:
                        await DeliverSignalAsync(op.SignalName!, null);
                        break;
                }
            }

            if (!FireReadyInclusiveJoins())
            {
                return;
            }
        }
    }

    private async ValueTask EnterAsync(Op op)
    {
        var instance = op.Instance;
        var execution = op.Execution;
        var node = op.Node!;
        execution.NodeId = node.Id;
        if (!op.FromJob)
        {
            execution.ArrivedByFlowId = op.Flow?.Id;
        }

        execution.Wait = WaitKind.None;

        if (!op.FromJob && node.AsyncBefore && execution.Kind != ExecutionKind.MultiInstanceItem)
        {
            CreateJob(instance, execution, node, JobKind.AsyncBefore);
            return;
        }

        if (node is Activity { MultiInstance: { } loop } multi && execution.Kind != ExecutionKind.MultiInstanceItem)
        {
            StartMultiInstance(instance, execution, multi, loop);
            return;
        }

        execution.ActivityStartedAt = Now;
        History(instance, HistoryEventType.ActivityStarted, execution, node);
        if (node is Activity activity)
        {
            if (activity.InputMappings.Count > 0)
            {
                ApplyInputMappings(instance, execution, activity);
            }

            if (activity.BoundaryEvents.Count > 0 && execution.Kind != ExecutionKind.MultiInstanceItem)
            {
                CreateBoundaryTriggers(instance, execution, activity);
            }
        }

        await node.Behavior.ExecuteAsync(this, instance, execution, node, op.Kind == OpKind.EnterTriggered);
    }

    /// <summary>The node finished: output mappings, boundary triggers removed, then the outgoing flows (or an asyncAfter job).</summary>
    public void Leave(LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool fromJob = false)
    {
        if (!fromJob)
        {
            if (execution.Kind == ExecutionKind.MultiInstanceItem)
            {
                MultiInstanceItemCompleted(instance, execution, (Activity)node);
                return;
            }

            if (node is Activity activity)
            {
                if (execution.Kind != ExecutionKind.MultiInstanceBody && activity.OutputMappings.Count > 0)
                {
                    ApplyOutputMappings(instance, execution, activity);
                }

                if (activity.BoundaryEvents.Count > 0)
                {
                    RemoveTriggers(instance, execution, TriggerPurpose.Boundary);
                }

                execution.Variables = null;
            }

            execution.Kind = ExecutionKind.Token;
            execution.Wait = WaitKind.None;
            History(instance, HistoryEventType.ActivityCompleted, execution, node);

            if (node.AsyncAfter)
            {
                CreateJob(instance, execution, node, JobKind.AsyncAfter);
                return;
            }
        }

        node.Behavior.TakeOutgoing(this, instance, execution, node);
    }

    /// <summary>Default leaving rule of activities and events: every flow without condition or with a true one; else the default flow.</summary>
    public void TakeConditionalFlows(LoadedInstance instance, ExecutionRecord execution, FlowNode node)
    {
        var outgoing = node.Outgoing;
        if (outgoing.Count == 0)
        {
            EndExecution(instance, execution);
            return;
        }

        if (outgoing.Count == 1 && outgoing[0].Condition is null)
        {
            Enqueue(new Op(OpKind.Enter, instance, execution, outgoing[0].Target, outgoing[0]));
            return;
        }

        List<SequenceFlow>? selected = null;
        SequenceFlow? fallback = null;
        foreach (var flow in outgoing)
        {
            if (flow.IsDefault || flow.Id == node.DefaultFlowId)
            {
                fallback = flow;
            }
            else if (flow.Condition is null || EvaluateCondition(instance, execution, flow.Condition, flow.Id))
            {
                (selected ??= []).Add(flow);
            }
        }

        if (selected is null)
        {
            if (fallback is null)
            {
                throw new NoFlowSelectedException(node.Id);
            }

            selected = [fallback];
        }

        TakeFlows(instance, execution, selected);
    }

    /// <summary>The token follows the first flow; each further flow gets a new sibling token.</summary>
    public void TakeFlows(LoadedInstance instance, ExecutionRecord execution, IReadOnlyList<SequenceFlow> flows)
    {
        if (flows.Count == 0)
        {
            EndExecution(instance, execution);
            return;
        }

        // Document order: the first flow's target is entered first.
        Enqueue(new Op(OpKind.Enter, instance, execution, flows[0].Target, flows[0]));
        ExecutionRecord? parent = null;
        for (var i = 1; i < flows.Count; i++)
        {
            parent ??= Parent(instance, execution);
            var sibling = NewExecution(instance, parent, ExecutionKind.Token, execution.NodeId);
            Enqueue(new Op(OpKind.Enter, instance, sibling, flows[i].Target, flows[i]));
        }
    }

    /// <summary>The token ends (end event or a node without outgoing flows); its scope completes when it was the last.</summary>
    public void EndExecution(LoadedInstance instance, ExecutionRecord execution)
    {
        var parent = Parent(instance, execution);
        RemoveExecution(instance, execution);
        CompleteScopeIfDone(instance, parent);
    }

    public void CompleteScopeIfDone(LoadedInstance instance, ExecutionRecord scope)
    {
        if (instance.HasChildren(scope) || instance.Record.IsEnded)
        {
            return;
        }

        switch (scope.Kind)
        {
            case ExecutionKind.Process:
                CompleteInstance(instance, InstanceState.Completed);
                break;
            case ExecutionKind.EventSubProcess:
                {
                    RemoveTriggers(instance, scope, TriggerPurpose.EventSubProcessStart);
                    var node = NodeOf(instance, scope);
                    History(instance, HistoryEventType.ActivityCompleted, scope, node);
                    var parent = Parent(instance, scope);
                    RemoveExecution(instance, scope);
                    CompleteScopeIfDone(instance, parent);
                    break;
                }

            case ExecutionKind.MultiInstanceBody:
                EnqueueLeave(instance, scope, NodeOf(instance, scope));
                break;
            default:
                RemoveTriggers(instance, scope, TriggerPurpose.EventSubProcessStart);
                EnqueueLeave(instance, scope, NodeOf(instance, scope));
                break;
        }
    }

    /// <summary>Cancels an execution and everything below it: tasks, timers, subscriptions, jobs, called instances.</summary>
    public void CancelExecution(LoadedInstance instance, ExecutionRecord execution)
    {
        foreach (var child in instance.Children(execution))
        {
            CancelExecution(instance, child);
        }

        var tasks = instance.Record.Tasks;
        for (var i = tasks.Count - 1; i >= 0; i--)
        {
            if (tasks[i].ExecutionId == execution.Id)
            {
                var task = tasks[i];
                tasks.RemoveAt(i);
                task.State = UserTaskState.Cancelled;
                Changes.EndedTasks.Add(task);
                History(instance, HistoryEventType.TaskCancelled, execution, null, taskId: task.Id, elementId: task.ElementId, elementName: task.Name);
            }
        }

        RemoveTriggers(instance, execution, null);
        RemoveJobs(instance, execution);
        if (execution.CalledInstanceId is { } calledId && Loaded(calledId) is { Record.IsEnded: false } called)
        {
            CompleteInstance(called, InstanceState.Cancelled, "call activity cancelled");
        }

        if (execution.Kind != ExecutionKind.Process)
        {
            if (execution.NodeId is not null)
            {
                History(instance, HistoryEventType.ActivityCancelled, execution, instance.Definition.Model.FindNode(execution.NodeId));
            }

            RemoveExecution(instance, execution);
        }
    }

    // ---------------------------------------------------------------- jobs

    public void CreateJob(LoadedInstance instance, ExecutionRecord execution, FlowNode node, JobKind kind)
    {
        execution.Wait = WaitKind.AsyncJob;
        instance.Record.Jobs.Add(new JobRecord
        {
            Id = SequentialIds.Next(Now),
            InstanceId = instance.Record.Id,
            ExecutionId = execution.Id,
            ProcessId = instance.Record.ProcessId,
            ElementId = node.Id,
            Kind = kind,
            Due = Now,
            RetriesLeft = _services.Options.DefaultJobRetries,
            CreatedAt = Now,
        });
    }
}
