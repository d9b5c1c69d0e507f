using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

// Scopes and their events: triggers, boundary events, event sub-processes, BPMN errors; signals.
internal sealed partial class CommandContext
{
    // ---------------------------------------------------------------- scopes and events

    public void EnterSubProcessScope(LoadedInstance instance, ExecutionRecord execution, SubProcess subProcess)
    {
        execution.Wait = WaitKind.Scope;
        CreateEventSubProcessTriggers(instance, execution, subProcess);
        var info = instance.Compiled.Scope(subProcess);
        if (info.StartNodes.Count == 0)
        {
            EnqueueLeave(instance, execution, subProcess);
            return;
        }

        foreach (var start in info.StartNodes)
        {
            var token = NewExecution(instance, execution, ExecutionKind.Token, start.Id);
            Enqueue(new Op(OpKind.Enter, instance, token, start));
        }
    }

    public void CreateEventSubProcessTriggers(LoadedInstance instance, ExecutionRecord scopeExecution, IFlowScope scope)
    {
        var info = instance.Compiled.Scope(scope);
        foreach (var (_, start) in info.EventSubProcessStarts)
        {
            CreateTrigger(instance, scopeExecution, start, start.Definition, TriggerPurpose.EventSubProcessStart);
        }
    }

    public void CreateBoundaryTriggers(LoadedInstance instance, ExecutionRecord execution, Activity activity)
    {
        foreach (var boundary in activity.BoundaryEvents)
        {
            CreateTrigger(instance, execution, boundary, boundary.Definition, TriggerPurpose.Boundary);
        }
    }

    /// <summary>A timer or a message/signal subscription for the event; errors need none (they are matched when thrown).</summary>
    public void CreateTrigger(LoadedInstance instance, ExecutionRecord execution, FlowNode eventNode, EventDefinition? definition, TriggerPurpose purpose)
    {
        switch (definition)
        {
            case TimerEventDefinition timer:
                CreateTimer(instance, execution, eventNode, timer, purpose);
                break;
            case MessageEventDefinition message:
                CreateSubscription(instance, execution, eventNode, EventKind.Message, MessageName(message, eventNode), message.CorrelationKey, purpose);
                break;
            case SignalEventDefinition signal:
                CreateSubscription(instance, execution, eventNode, EventKind.Signal, SignalName(signal, eventNode), null, purpose);
                break;
        }
    }

    public static string MessageName(MessageEventDefinition definition, FlowNode node) =>
        definition.Message?.Name ?? definition.MessageRef
        ?? throw new WorkflowDefinitionException($"节点 {node.Id} 的消息事件没有引用消息", $"The message event '{node.Id}' names no message.", node.Id);

    public static string SignalName(SignalEventDefinition definition, FlowNode node) =>
        definition.Signal?.Name ?? definition.SignalRef
        ?? throw new WorkflowDefinitionException($"节点 {node.Id} 的信号事件没有引用信号", $"The signal event '{node.Id}' names no signal.", node.Id);

    public void CreateSubscription(LoadedInstance instance, ExecutionRecord execution, FlowNode node, EventKind kind, string name, string? correlationKeyExpression, TriggerPurpose purpose)
    {
        string? key = null;
        if (kind == EventKind.Message)
        {
            key = correlationKeyExpression is null
                ? instance.Record.BusinessKey
                : VariableValues.Format(EvaluateValue(instance, execution, correlationKeyExpression, node.Id));
        }

        instance.Record.Subscriptions.Add(new SubscriptionRecord(SequentialIds.Next(Now), instance.Record.Id, execution.Id, node.Id, kind, name, key, purpose, Now));
    }

    public void CreateTimer(LoadedInstance instance, ExecutionRecord execution, FlowNode node, TimerEventDefinition definition, TriggerPurpose purpose)
    {
        var text = definition.Value;
        object? value = text;
        if (IsExpression(text))
        {
            value = EvaluateValue(instance, execution, text, node.Id);
        }

        var schedule = _services.TimerMath.First(definition.Kind, value, Now, node.Id);
        instance.Record.Timers.Add(new TimerRecord
        {
            Id = SequentialIds.Next(Now),
            InstanceId = instance.Record.Id,
            ExecutionId = execution.Id,
            ProcessId = instance.Record.ProcessId,
            ProcessVersion = instance.Record.ProcessVersion,
            ElementId = node.Id,
            Purpose = purpose,
            Due = schedule.Due,
            Kind = definition.Kind,
            Definition = schedule.Definition,
            RepeatsLeft = schedule.RepeatsLeft,
            CreatedAt = Now,
        });
    }

    /// <summary>Removes the execution's timers and subscriptions (of one purpose, or all when null).</summary>
    public void RemoveTriggers(LoadedInstance instance, ExecutionRecord execution, TriggerPurpose? purpose)
    {
        var subscriptions = instance.Record.Subscriptions;
        for (var i = subscriptions.Count - 1; i >= 0; i--)
        {
            var s = subscriptions[i];
            if (s.ExecutionId == execution.Id && (purpose is null || s.Purpose == purpose))
            {
                subscriptions.RemoveAt(i);
            }
        }

        var timers = instance.Record.Timers;
        for (var i = timers.Count - 1; i >= 0; i--)
        {
            var t = timers[i];
            if (t.ExecutionId == execution.Id && (purpose is null || t.Purpose == purpose))
            {
                timers.RemoveAt(i);
            }
        }

        // A timer that failed for good waits as a job (with its incident) until retried: it goes with its wait.
        var jobs = instance.Record.Jobs;
        for (var i = jobs.Count - 1; i >= 0; i--)
        {
            var j = jobs[i];
            if (j.Kind == JobKind.FireTimer && j.ExecutionId == execution.Id
                && (purpose is null || IsTimerFor(instance.Definition.Model.FindNode(j.ElementId), purpose.Value)))
            {
                jobs.RemoveAt(i);
            }
        }
    }

    private static bool IsTimerFor(FlowNode? node, TriggerPurpose purpose) => node switch
    {
        BoundaryEvent => purpose == TriggerPurpose.Boundary,
        StartEvent => purpose == TriggerPurpose.EventSubProcessStart,
        _ => purpose is TriggerPurpose.Catch or TriggerPurpose.EventGateway,
    };

    /// <summary>What a timer at <paramref name="node"/> waited for, for a timer kept as a <see cref="JobKind.FireTimer"/> job.</summary>
    public static TriggerPurpose TimerPurpose(FlowNode node, ExecutionRecord execution) => node switch
    {
        BoundaryEvent => TriggerPurpose.Boundary,
        StartEvent => TriggerPurpose.EventSubProcessStart,
        _ => execution.Wait == WaitKind.EventBasedGateway ? TriggerPurpose.EventGateway : TriggerPurpose.Catch,
    };

    public void RemoveJobs(LoadedInstance instance, ExecutionRecord execution)
    {
        var jobs = instance.Record.Jobs;
        for (var i = jobs.Count - 1; i >= 0; i--)
        {
            if (jobs[i].ExecutionId == execution.Id)
            {
                jobs.RemoveAt(i);
            }
        }
    }

    /// <summary>A timer fired or a message/signal arrived for the execution's trigger at <paramref name="elementId"/>.</summary>
    public void FireTrigger(LoadedInstance instance, int executionId, string elementId, TriggerPurpose purpose, IReadOnlyDictionary<string, object?>? payload)
    {
        var execution = instance.Find(executionId)
            ?? throw new WorkflowConflictException("事件等待的执行已不存在", $"The execution {executionId} waiting for '{elementId}' no longer exists.");
        var node = instance.Definition.Model.FindNode(elementId)
            ?? throw new WorkflowDefinitionException($"找不到事件节点 {elementId}", $"The event '{elementId}' does not exist.", elementId);
        switch (purpose)
        {
            case TriggerPurpose.Catch:
                RemoveTriggers(instance, execution, TriggerPurpose.Catch);
                if (payload is not null)
                {
                    SetVariables(instance, execution, payload);
                }

                EnqueueLeave(instance, execution, node);
                break;
            case TriggerPurpose.Boundary:
                FireBoundary(instance, execution, (BoundaryEvent)node, payload);
                break;
            case TriggerPurpose.EventSubProcessStart:
                var start = (StartEvent)node;
                TriggerEventSubProcess(instance, execution, (SubProcess)start.Scope, start, start.IsInterrupting, payload);
                break;
            case TriggerPurpose.EventGateway:
                {
                    RemoveTriggers(instance, execution, TriggerPurpose.EventGateway);
                    var gateway = NodeOf(instance, execution);
                    History(instance, HistoryEventType.ActivityCompleted, execution, gateway);
                    SequenceFlow? flow = null;
                    foreach (var candidate in gateway.Outgoing)
                    {
                        if (candidate.Target == node)
                        {
                            flow = candidate;
                            break;
                        }
                    }

                    if (payload is not null)
                    {
                        SetVariables(instance, execution, payload);
                    }

                    execution.Wait = WaitKind.None;
                    Enqueue(new Op(OpKind.EnterTriggered, instance, execution, node, flow));
                    break;
                }
        }
    }

    public void FireBoundary(LoadedInstance instance, ExecutionRecord activityExecution, BoundaryEvent boundary, IReadOnlyDictionary<string, object?>? payload)
    {
        var parent = Parent(instance, activityExecution);
        var token = NewExecution(instance, parent, ExecutionKind.Token, boundary.Id);
        if (boundary.CancelActivity)
        {
            CancelExecution(instance, activityExecution);
        }

        if (payload is not null)
        {
            SetVariables(instance, token, payload);
        }

        Enqueue(new Op(OpKind.EnterTriggered, instance, token, boundary));
    }

    public void TriggerEventSubProcess(LoadedInstance instance, ExecutionRecord scopeExecution, SubProcess eventSubProcess, StartEvent start, bool interrupting, IReadOnlyDictionary<string, object?>? payload)
    {
        if (interrupting)
        {
            foreach (var child in instance.Children(scopeExecution))
            {
                CancelExecution(instance, child);
            }

            RemoveTriggers(instance, scopeExecution, TriggerPurpose.EventSubProcessStart);
        }

        var scope = NewExecution(instance, scopeExecution, ExecutionKind.EventSubProcess, eventSubProcess.Id);
        scope.Wait = WaitKind.Scope;
        History(instance, HistoryEventType.ActivityStarted, scope, eventSubProcess);
        CreateEventSubProcessTriggers(instance, scope, eventSubProcess);
        var token = NewExecution(instance, scope, ExecutionKind.Token, start.Id);
        if (payload is not null)
        {
            SetVariables(instance, token, payload);
        }

        Enqueue(new Op(OpKind.EnterTriggered, instance, token, start));
    }

    /// <summary>Terminate end event: ends every token of its scope; at process level the instance is terminated.</summary>
    public void Terminate(LoadedInstance instance, ExecutionRecord execution, FlowNode endEvent)
    {
        History(instance, HistoryEventType.ActivityCompleted, execution, endEvent);
        var scope = Parent(instance, execution);
        RemoveExecution(instance, execution);
        if (scope.Kind == ExecutionKind.Process)
        {
            CompleteInstance(instance, InstanceState.Terminated, $"terminate end event {endEvent.Id}");
            return;
        }

        foreach (var child in instance.Children(scope))
        {
            CancelExecution(instance, child);
        }

        CompleteScopeIfDone(instance, scope);
    }

    /// <summary>
    /// Throws a BPMN error from <paramref name="from"/>: the nearest enclosing error event sub-process or error boundary
    /// event whose code matches (or that catches all) takes it, across call activities; none means the command fails.
    /// </summary>
    public void ThrowError(LoadedInstance instance, ExecutionRecord from, string errorCode, string? message, string elementId)
    {
        var current = from;
        var currentInstance = instance;
        var cameFromEventSubProcess = false;
        History(instance, HistoryEventType.ErrorThrown, from, null, elementId: elementId, details: errorCode);
        while (true)
        {
            if (!cameFromEventSubProcess && FlowScopeOf(currentInstance, current) is { } flowScope)
            {
                (SubProcess EventSubProcess, StartEvent Start)? chosen = null;
                foreach (var (eventSubProcess, start) in currentInstance.Compiled.Scope(flowScope).EventSubProcessStarts)
                {
                    if (start.Definition is ErrorEventDefinition catching && ErrorMatches(catching, errorCode)
                        && (chosen is null || IsSpecific(catching)))
                    {
                        chosen = (eventSubProcess, start);
                        if (IsSpecific(catching))
                        {
                            break;
                        }
                    }
                }

                if (chosen is { } caught)
                {
                    History(currentInstance, HistoryEventType.ErrorCaught, current, caught.Start, details: errorCode);
                    TriggerEventSubProcess(currentInstance, current, caught.EventSubProcess, caught.Start, interrupting: true, null);
                    return;
                }
            }

            if (current.Kind is ExecutionKind.Token or ExecutionKind.MultiInstanceBody && current.NodeId is not null
                && currentInstance.Definition.Model.FindNode(current.NodeId) is Activity activity)
            {
                BoundaryEvent? chosen = null;
                foreach (var boundary in activity.BoundaryEvents)
                {
                    if (boundary.Definition is ErrorEventDefinition catching && ErrorMatches(catching, errorCode)
                        && (chosen is null || IsSpecific(catching)))
                    {
                        chosen = boundary;
                        if (IsSpecific(catching))
                        {
                            break;
                        }
                    }
                }

                if (chosen is not null)
                {
                    History(currentInstance, HistoryEventType.ErrorCaught, current, chosen, details: errorCode);
                    FireBoundary(currentInstance, current, chosen, null);
                    return;
                }
            }

            cameFromEventSubProcess = current.Kind == ExecutionKind.EventSubProcess;
            if (current.Kind == ExecutionKind.Process)
            {
                if (currentInstance.Record.ParentInstanceId is { } parentId && Loaded(parentId) is { } caller
                    && currentInstance.Record.ParentExecutionId is { } callerExecutionId && caller.Find(callerExecutionId) is { } callExecution)
                {
                    currentInstance = caller;
                    current = callExecution;
                    cameFromEventSubProcess = false;
                    continue;
                }

                throw new BpmnErrorException(errorCode, message, elementId);
            }

            current = Parent(currentInstance, current);
        }
    }

    private static bool ErrorMatches(ErrorEventDefinition catching, string errorCode) =>
        catching.Error?.ErrorCode is not { } code || code == errorCode;

    // A handler naming the error code wins over a catch-all on the same activity or scope, whatever the XML order
    // (as Flowable's ErrorPropagation): the designer, not the modeller, decides the document order.
    private static bool IsSpecific(ErrorEventDefinition catching) => catching.Error?.ErrorCode is not null;

    public static string ThrownErrorCode(ErrorEventDefinition definition) =>
        definition.Error?.ErrorCode ?? definition.Error?.Name ?? definition.Error?.Id ?? definition.ErrorRef ?? "";

    /// <summary>The BPMN scope an execution stands for, if it is one: the process, a running sub-process or event sub-process.</summary>
    private static IFlowScope? FlowScopeOf(LoadedInstance instance, ExecutionRecord execution)
    {
        switch (execution.Kind)
        {
            case ExecutionKind.Process:
                return instance.Definition.Model;
            case ExecutionKind.EventSubProcess:
                return instance.Definition.Model.FindNode(execution.NodeId!) as SubProcess;
            case ExecutionKind.Token or ExecutionKind.MultiInstanceItem when execution.Wait == WaitKind.Scope:
                return instance.Definition.Model.FindNode(execution.NodeId!) as SubProcess;
            default:
                return null;
        }
    }

    // ---------------------------------------------------------------- signals

    public void EnqueueSignal(LoadedInstance instance, ExecutionRecord execution, string signalName) =>
        Enqueue(new Op(OpKind.DeliverSignal, instance, execution, null, SignalName: signalName));

    /// <summary>Delivers a signal to every subscription that waits for it now, in every instance, and starts processes with a matching signal start event.</summary>
    public async ValueTask<int> DeliverSignalAsync(string signalName, IReadOnlyDictionary<string, object?>? payload)
    {
        foreach (var stored in await Session.FindSubscriptionsAsync(EventKind.Signal, signalName, null, null, CancellationToken))
        {
            await LoadAsync(stored.InstanceId);
        }

        var targets = new List<(LoadedInstance Instance, SubscriptionRecord Subscription)>();
        foreach (var instance in _order)
        {
            if (instance.Record.State != InstanceState.Active)
            {
                continue;
            }

            foreach (var subscription in instance.Record.Subscriptions)
            {
                if (subscription.Kind == EventKind.Signal && subscription.EventName == signalName)
                {
                    targets.Add((instance, subscription));
                }
            }
        }

        var delivered = 0;
        foreach (var (instance, subscription) in targets)
        {
            if (!instance.Record.Subscriptions.Contains(subscription) || instance.Record.State != InstanceState.Active)
            {
                continue;
            }

            History(instance, HistoryEventType.SignalReceived, null, null, elementId: subscription.ElementId, details: signalName);
            FireTrigger(instance, subscription.ExecutionId, subscription.ElementId, subscription.Purpose, payload);
            delivered++;
        }

        foreach (var definition in await _services.Definitions.GetAllLatestAsync(CancellationToken))
        {
            foreach (var node in definition.Model.Nodes)
            {
                if (node is StartEvent { Definition: SignalEventDefinition signal } start && SignalName(signal, start) == signalName && definition.Model.IsExecutable)
                {
                    var started = CreateInstance(definition, null, payload);
                    StartInstance(started, start, triggered: true);
                    delivered++;
                }
            }
        }

        return delivered;
    }
}
