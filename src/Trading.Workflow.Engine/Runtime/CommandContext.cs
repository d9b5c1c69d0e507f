using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

internal enum OpKind
{
    /// <summary>A token arrives at a node.</summary>
    Enter,

    /// <summary>A token arrives at a catch event or boundary event whose trigger already happened.</summary>
    EnterTriggered,

    /// <summary>The node is done: continue on the outgoing flows.</summary>
    Leave,

    /// <summary>A called instance ended: its call activity continues.</summary>
    ResumeCaller,

    /// <summary>A signal thrown inside the command is delivered.</summary>
    DeliverSignal,
}

internal readonly record struct Op(OpKind Kind, LoadedInstance Instance, ExecutionRecord Execution, FlowNode? Node, SequenceFlow? Flow = null, bool FromJob = false, string? SignalName = null);

/// <summary>
/// One command's run: the instances it loaded, the agenda of work, and the history it wrote. Behaviours report what
/// happens next through its methods; <see cref="RunAsync"/> works the agenda until every token waits (a loop, so a
/// long chain needs no recursion), and <see cref="CommitAsync"/> stores everything at once.
/// </summary>
internal sealed partial class CommandContext : IAsyncDisposable
{
    private readonly EngineServices _services;
    // A command usually loads one instance or a short call chain: a list searched in order until a broadcast loads many.
    private const int IndexLoadedAbove = 8;
    private readonly List<LoadedInstance> _order = [];
    private readonly Queue<Op> _agenda = new();
    private Dictionary<Guid, LoadedInstance>? _byId;
    private AsyncServiceScope? _scope;
    private IServiceProvider? _handlerServices;
    private int _steps;

    public CommandContext(EngineServices services, IWorkflowSession session, string? userId, CancellationToken cancellationToken)
    {
        _services = services;
        Session = session;
        UserId = userId;
        CancellationToken = cancellationToken;
        Now = services.Time.GetUtcNow();
    }

    public IWorkflowSession Session { get; }

    public string? UserId { get; }

    public CancellationToken CancellationToken { get; }

    public DateTimeOffset Now { get; }

    /// <summary>A fresh copy of the host's roles for user tasks whose model names nobody.</summary>
    public string[] DefaultCandidateRoles => [.. _services.DefaultCandidateRoles];

    public WorkflowChangeSet Changes { get; } = new();

    public EngineServices Services => _services;

    public IEnumerable<LoadedInstance> Instances => _order;

    public async ValueTask DisposeAsync()
    {
        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
        }

        await Session.DisposeAsync();
    }

    // ---------------------------------------------------------------- loading

    /// <summary>Loads the instance with its whole call hierarchy (caller and called instances), so that ending, errors and cancellation can cross instances synchronously.</summary>
    public async ValueTask<LoadedInstance?> LoadAsync(Guid instanceId)
    {
        if (Loaded(instanceId) is { } loaded)
        {
            return loaded;
        }

        var record = await Session.LoadInstanceAsync(instanceId, CancellationToken);
        if (record is null)
        {
            return null;
        }

        var definition = await _services.Definitions.GetAsync(record.ProcessId, record.ProcessVersion, CancellationToken)
            ?? throw new WorkflowNotFoundException("process", $"{record.ProcessId}:{record.ProcessVersion}");
        loaded = new LoadedInstance(record, definition, isNew: false);
        Track(loaded);

        if (record.ParentInstanceId is { } parentId)
        {
            await LoadAsync(parentId);
        }

        foreach (var execution in record.Executions)
        {
            if (execution.CalledInstanceId is { } childId)
            {
                await LoadAsync(childId);
            }
        }

        return loaded;
    }

    public async ValueTask<LoadedInstance> LoadRequiredAsync(Guid instanceId) =>
        await LoadAsync(instanceId) ?? throw new WorkflowNotFoundException("instance", instanceId.ToString());

    public LoadedInstance? Loaded(Guid instanceId)
    {
        if (_byId is not null)
        {
            return _byId.GetValueOrDefault(instanceId);
        }

        foreach (var instance in _order)
        {
            if (instance.Record.Id == instanceId)
            {
                return instance;
            }
        }

        return null;
    }

    private void Track(LoadedInstance instance)
    {
        _order.Add(instance);
        if (_byId is not null)
        {
            _byId.Add(instance.Record.Id, instance);
        }
        else if (_order.Count > IndexLoadedAbove)
        {
            _byId = _order.ToDictionary(i => i.Record.Id);
        }
    }

    /// <summary>Refuses commands on suspended and ended instances.</summary>
    public static void EnsureActive(LoadedInstance instance)
    {
        switch (instance.Record.State)
        {
            case InstanceState.Active:
                return;
            case InstanceState.Suspended:
                throw new InstanceSuspendedException(instance.Record.Id);
            default:
                throw WorkflowConflictException.NotActive(instance.Record.Id, instance.Record.State.ToString());
        }
    }

    // ---------------------------------------------------------------- instances

    public LoadedInstance CreateInstance(DeployedProcess definition, string? businessKey, IReadOnlyDictionary<string, object?>? variables, LoadedInstance? caller = null, ExecutionRecord? callerExecution = null)
    {
        if (!definition.Model.IsExecutable)
        {
            throw new WorkflowDefinitionException(
                $"流程 {definition.ProcessId} 不是可执行流程（isExecutable=false），不能启动",
                $"The process '{definition.ProcessId}' is not executable (isExecutable=false) and cannot be started.");
        }

        var record = new ProcessInstanceRecord
        {
            Id = SequentialIds.Next(Now),
            ProcessId = definition.ProcessId,
            ProcessVersion = definition.Version,
            BusinessKey = businessKey,
            State = InstanceState.Active,
            StartedAt = Now,
            StartedBy = UserId,
            ParentInstanceId = caller?.Record.Id,
            ParentExecutionId = callerExecution?.Id,
        };
        var instance = new LoadedInstance(record, definition, isNew: true);
        Track(instance);
        var root = NewExecution(instance, null, ExecutionKind.Process, null);
        root.Wait = WaitKind.Scope;
        root.ActivityStartedAt = Now;
        History(instance, HistoryEventType.InstanceStarted, null, null);
        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                SetVariable(instance, root, name, value, local: true);
            }
        }

        return instance;
    }

    /// <summary>Puts the first token on the start node and subscribes the process's event sub-processes.</summary>
    public void StartInstance(LoadedInstance instance, FlowNode startNode, IReadOnlyDictionary<string, object?>? eventPayload = null, bool triggered = false)
    {
        var root = instance.Root;
        CreateEventSubProcessTriggers(instance, root, instance.Definition.Model);
        var token = NewExecution(instance, root, ExecutionKind.Token, startNode.Id);
        if (eventPayload is not null)
        {
            SetVariables(instance, token, eventPayload);
        }

        Enqueue(new Op(triggered ? OpKind.EnterTriggered : OpKind.Enter, instance, token, startNode));
    }

    public void CompleteInstance(LoadedInstance instance, InstanceState state, string? reason = null)
    {
        var record = instance.Record;
        var root = instance.Root;
        foreach (var child in instance.Children(root))
        {
            CancelExecution(instance, child);
        }

        RemoveTriggers(instance, root, null);
        RemoveJobs(instance, root);
        root.Wait = WaitKind.None;
        record.State = state;
        record.EndedAt = Now;
        record.EndReason = reason;
        var type = state switch
        {
            InstanceState.Completed => HistoryEventType.InstanceCompleted,
            InstanceState.Terminated => HistoryEventType.InstanceTerminated,
            _ => HistoryEventType.InstanceCancelled,
        };
        History(instance, type, null, null, details: reason);
        if (state != InstanceState.Cancelled && record.ParentInstanceId is not null)
        {
            Enqueue(new Op(OpKind.ResumeCaller, instance, root, null));
        }

        _services.Log.InstanceEnded(record.Id, record.ProcessId, state);
    }

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

    // ---------------------------------------------------------------- multi-instance

    private void StartMultiInstance(LoadedInstance instance, ExecutionRecord body, Activity activity, MultiInstanceLoop loop)
    {
        body.Kind = ExecutionKind.MultiInstanceBody;
        body.Wait = WaitKind.Scope;
        body.ActivityStartedAt = Now;
        History(instance, HistoryEventType.ActivityStarted, body, activity, elementType: "multiInstanceBody");
        var (count, collection) = ResolveLoop(instance, body, activity, loop);
        if (activity.BoundaryEvents.Count > 0)
        {
            CreateBoundaryTriggers(instance, body, activity);
        }

        body.Variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["nrOfInstances"] = (decimal)count,
            ["nrOfCompletedInstances"] = 0m,
            ["nrOfActiveInstances"] = (decimal)(loop.IsSequential ? Math.Min(1, count) : count),
        };
        if (count == 0)
        {
            EnqueueLeave(instance, body, activity);
            return;
        }

        if (loop.IsSequential)
        {
            StartItem(instance, body, activity, loop, 0, collection);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            StartItem(instance, body, activity, loop, i, collection);
        }
    }

    private (int Count, IReadOnlyList<object?>? Collection) ResolveLoop(LoadedInstance instance, ExecutionRecord body, Activity activity, MultiInstanceLoop loop)
    {
        if (loop.Collection is { } collectionText)
        {
            object? value;
            if (IsExpression(collectionText))
            {
                value = EvaluateValue(instance, body, collectionText, activity.Id);
            }
            else if (!Variables.TryGet(instance, body, collectionText, out value))
            {
                throw new UnknownVariableException(collectionText, activity.Id);
            }

            if (value is not IReadOnlyList<object?> list)
            {
                throw new WorkflowStateException(
                    $"节点 {activity.Id} 的多实例集合 {collectionText} 不是列表",
                    $"The multi-instance collection '{collectionText}' of '{activity.Id}' is not a list.");
            }

            return (list.Count, list);
        }

        if (loop.LoopCardinality is { } cardinality)
        {
            var value = IsExpression(cardinality) ? EvaluateValue(instance, body, cardinality, activity.Id) : VariableValues.Normalize(decimal.Parse(cardinality, System.Globalization.CultureInfo.InvariantCulture));
            if (value is decimal d && d >= 0 && d == decimal.Truncate(d))
            {
                return ((int)d, null);
            }

            throw new WorkflowStateException(
                $"节点 {activity.Id} 的多实例数量 {cardinality} 不是非负整数",
                $"The loop cardinality '{cardinality}' of '{activity.Id}' is not a non-negative integer.");
        }

        throw new WorkflowDefinitionException(
            $"节点 {activity.Id} 的多实例既没有集合也没有数量",
            $"The multi-instance activity '{activity.Id}' has neither a collection nor a loop cardinality.",
            activity.Id);
    }

    private void StartItem(LoadedInstance instance, ExecutionRecord body, Activity activity, MultiInstanceLoop loop, int index, IReadOnlyList<object?>? collection)
    {
        var item = NewExecution(instance, body, ExecutionKind.MultiInstanceItem, activity.Id);
        item.LoopCounter = index;
        item.Variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["loopCounter"] = (decimal)index };
        if (collection is not null && loop.ElementVariable is { } elementVariable)
        {
            item.Variables[elementVariable] = collection[index];
        }

        Enqueue(new Op(OpKind.Enter, instance, item, activity));
    }

    private void MultiInstanceItemCompleted(LoadedInstance instance, ExecutionRecord item, Activity activity)
    {
        var loop = activity.MultiInstance!;
        if (activity.OutputMappings.Count > 0)
        {
            ApplyOutputMappings(instance, item, activity);
        }

        History(instance, HistoryEventType.ActivityCompleted, item, activity);
        var body = Parent(instance, item);
        var vars = body.Variables!;
        var total = (int)(decimal)vars["nrOfInstances"]!;
        var completed = (int)(decimal)vars["nrOfCompletedInstances"]! + 1;
        var active = (int)(decimal)vars["nrOfActiveInstances"]! - 1;
        vars["nrOfCompletedInstances"] = (decimal)completed;
        vars["nrOfActiveInstances"] = (decimal)active;
        var done = loop.CompletionCondition is { } condition && EvaluateCondition(instance, item, condition, activity.Id);
        RemoveExecution(instance, item);
        if (done)
        {
            foreach (var other in instance.Children(body))
            {
                CancelExecution(instance, other);
            }

            EnqueueLeave(instance, body, activity);
            return;
        }

        if (!loop.IsSequential)
        {
            if (active <= 0)
            {
                EnqueueLeave(instance, body, activity);
            }

            return;
        }

        if (completed < total)
        {
            vars["nrOfActiveInstances"] = 1m;
            var collection = loop.Collection is null ? null : ResolveLoop(instance, body, activity, loop).Collection;
            StartItem(instance, body, activity, loop, completed, collection);
            return;
        }

        EnqueueLeave(instance, body, activity);
    }

    // ---------------------------------------------------------------- call activities

    public void ResumeCaller(LoadedInstance child)
    {
        if (child.Record.ParentInstanceId is not { } parentId || Loaded(parentId) is not { } caller || caller.Record.IsEnded)
        {
            return;
        }

        if (child.Record.ParentExecutionId is not { } executionId || caller.Find(executionId) is not { } callExecution)
        {
            return;
        }

        var callActivity = (CallActivity)NodeOf(caller, callExecution);
        var childRoot = child.Root;
        foreach (var mapping in callActivity.Out)
        {
            if (mapping.AllVariables)
            {
                foreach (var (name, childValue) in Variables.All(child, childRoot))
                {
                    SetVariable(caller, callExecution, name, childValue, mapping.Local);
                }

                continue;
            }

            var value = MappedValue(child, childRoot, mapping, callActivity.Id);
            if (mapping.Target is { } target)
            {
                SetVariable(caller, Parent(caller, callExecution), target, value, mapping.Local);
            }
        }

        callExecution.CalledInstanceId = null;
        EnqueueLeave(caller, callExecution, callActivity);
    }

    public object? MappedValue(LoadedInstance instance, ExecutionRecord execution, VariableMapping mapping, string elementId)
    {
        if (mapping.SourceExpression is { } expression)
        {
            return EvaluateValue(instance, execution, expression, elementId);
        }

        if (mapping.Source is { } source)
        {
            return Variables.TryGet(instance, execution, source, out var value) ? value : throw new UnknownVariableException(source, elementId);
        }

        return null;
    }

    private void ApplyInputMappings(LoadedInstance instance, ExecutionRecord execution, Activity activity)
    {
        foreach (var mapping in activity.InputMappings)
        {
            if (mapping.Target is { } target)
            {
                SetVariable(instance, execution, target, MappedValue(instance, execution, mapping, activity.Id), local: true);
            }
        }
    }

    private void ApplyOutputMappings(LoadedInstance instance, ExecutionRecord execution, Activity activity)
    {
        var parent = Parent(instance, execution);
        foreach (var mapping in activity.OutputMappings)
        {
            if (mapping.Target is { } target)
            {
                SetVariable(instance, parent, target, MappedValue(instance, execution, mapping, activity.Id), mapping.Local);
            }
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

    // ---------------------------------------------------------------- variables

    public void SetVariables(LoadedInstance instance, ExecutionRecord execution, IReadOnlyDictionary<string, object?> variables)
    {
        foreach (var (name, value) in variables)
        {
            SetVariable(instance, execution, name, value, local: false);
        }
    }

    /// <summary>Sets a variable: locally, or where it already exists, else on the process (Camunda's setVariable). Recorded in history.</summary>
    public void SetVariable(LoadedInstance instance, ExecutionRecord execution, string name, object? value, bool local)
    {
        object? normalized;
        try
        {
            normalized = VariableValues.NormalizeOwned(value);
        }
        catch (VariableValueException e)
        {
            throw new InvalidVariableException(name, e.MessageZh, e.MessageEn, e);
        }

        var target = local ? execution : Variables.Owner(instance, execution, name) ?? instance.Root;
        var vars = target.Variables ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        if (vars.TryGetValue(name, out var old))
        {
            if (VariableValues.DeepEquals(old, normalized))
            {
                return;
            }

            vars[name] = normalized;
            History(instance, HistoryEventType.VariableUpdated, target, null, variableName: name, oldValue: old, newValue: normalized);
            return;
        }

        vars[name] = normalized;
        History(instance, HistoryEventType.VariableCreated, target, null, variableName: name, newValue: normalized);
    }

    // ---------------------------------------------------------------- expressions

    /// <summary>Attribute text holding an expression (JUEL <c>${...}</c>/<c>#{...}</c> or FEEL after a leading '='), not a literal.</summary>
    public static bool IsExpression(string text) =>
        text.Contains("${", StringComparison.Ordinal) || text.Contains("#{", StringComparison.Ordinal) || text.TrimStart().StartsWith('=');

    public object? EvaluateValue(LoadedInstance instance, ExecutionRecord execution, string expression, string? elementId)
    {
        try
        {
            return VariableValues.Normalize(_services.Expressions.Evaluate(expression, new ExecutionVariableScope(instance, execution)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw MapExpressionError(e, expression, elementId);
        }
    }

    public bool EvaluateCondition(LoadedInstance instance, ExecutionRecord execution, string expression, string? elementId) =>
        EvaluateValue(instance, execution, expression, elementId) switch
        {
            bool b => b,
            var other => throw new WorkflowExpressionException(expression, elementId, new InvalidOperationException($"The condition gave {VariableValues.TypeName(other)}, not a boolean.")),
        };

    /// <summary>A literal, or the value of an expression when the text holds one.</summary>
    public object? LiteralOrExpression(LoadedInstance instance, ExecutionRecord execution, string text, string elementId) =>
        IsExpression(text) ? EvaluateValue(instance, execution, text, elementId) : text;

    /// <summary>
    /// Renders the <c>${...}</c> parts of a task's name or documentation. Text shown to people never stops a
    /// procedure: when it cannot be rendered (a variable not set yet, a wrong property) the raw text is kept,
    /// as the task must still be created, and the reason is logged.
    /// </summary>
    public string RenderDisplayText(LoadedInstance instance, ExecutionRecord execution, string template, string elementId)
    {
        if (!IsExpression(template))
        {
            return template;
        }

        try
        {
            return _services.Expressions.Render(template, new ExecutionVariableScope(instance, execution));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _services.Log.DisplayTextNotRendered(instance.Record.Id, elementId, template, e);
            return template;
        }
    }

    private static WorkflowException MapExpressionError(Exception error, string expression, string? elementId) => error switch
    {
        WorkflowException workflow => workflow,
        ExpressionException { Code: ExpressionErrorCode.UnknownVariable } unknown => new UnknownVariableException(unknown.VariableName ?? "?", elementId),
        _ => new WorkflowExpressionException(expression, elementId, error),
    };

    // ---------------------------------------------------------------- handlers

    /// <summary>
    /// The command's DI scope for handlers, opened on first use: most commands run no handler, and handlers added as
    /// instances need none, so a scope per command would be pure cost.
    /// </summary>
    public IServiceProvider HandlerServices => _handlerServices ??= new LazyScopeProvider(this);

    public IServiceTaskHandler? ResolveHandler(string name) => _services.Handlers.Resolve(name, HandlerServices);

    private IServiceProvider Scope => (_scope ??= _services.ScopeFactory.CreateAsyncScope()).ServiceProvider;

    private sealed class LazyScopeProvider(CommandContext context) : IServiceProvider, IKeyedServiceProvider, ISupportRequiredService
    {
        public object? GetService(Type serviceType) => context.Scope.GetService(serviceType);

        public object GetRequiredService(Type serviceType) => context.Scope.GetRequiredService(serviceType);

        public object? GetKeyedService(Type serviceType, object? serviceKey) => context.Scope.GetKeyedService(serviceType, serviceKey);

        public object GetRequiredKeyedService(Type serviceType, object? serviceKey) => context.Scope.GetRequiredKeyedService(serviceType, serviceKey);
    }

    // ---------------------------------------------------------------- history

    public void History(
        LoadedInstance instance,
        HistoryEventType type,
        ExecutionRecord? execution,
        FlowNode? node,
        Guid? taskId = null,
        string? elementId = null,
        string? elementType = null,
        string? variableName = null,
        object? oldValue = null,
        object? newValue = null,
        string? details = null,
        string? userId = null,
        string? elementName = null)
    {
        if (!Records(_services.Options.HistoryLevel, type))
        {
            return;
        }

        Changes.History.Add(new HistoryEvent(instance.Record.Id, type, Now)
        {
            ProcessId = instance.Record.ProcessId,
            BusinessKey = instance.Record.BusinessKey,
            ElementId = elementId ?? node?.Id,
            ElementType = elementType ?? node?.ElementType,
            ElementName = elementName ?? node?.Name,
            ExecutionId = execution?.Id,
            TaskId = taskId,
            UserId = userId ?? UserId,
            VariableName = variableName,
            OldValue = oldValue,
            NewValue = newValue,
            Details = details,
        });
    }

    private static bool Records(HistoryLevel level, HistoryEventType type) => level switch
    {
        HistoryLevel.Full => true,
        HistoryLevel.None => false,
        _ => type is not (HistoryEventType.VariableCreated or HistoryEventType.VariableUpdated or HistoryEventType.VariableDeleted),
    };

    // ---------------------------------------------------------------- commit

    public async ValueTask CommitAsync()
    {
        foreach (var instance in _order)
        {
            instance.Record.Version = instance.ExpectedVersion + 1;
            Changes.Instances.Add(new InstanceChange(instance.Record, instance.ExpectedVersion, instance.IsNew));
        }

        await Session.CommitAsync(Changes, CancellationToken);
        await NotifySchedulersAsync();
    }

    private async ValueTask NotifySchedulersAsync()
    {
        if (_services.SchedulersAreManual)
        {
            return;
        }

        List<TimerInfo>? scheduledTimers = null;
        List<Guid>? removedTimers = null;
        List<JobInfo>? scheduledJobs = null;
        List<Guid>? removedJobs = null;
        foreach (var instance in _order)
        {
            var resend = instance.Resumed;
            var timers = instance.Record.Timers;
            var suspended = instance.Record.State == InstanceState.Suspended;
            foreach (var timer in timers)
            {
                if (!suspended && (resend || !Array.Exists(instance.OriginalTimers, o => o.Id == timer.Id && o.Due == timer.Due)))
                {
                    (scheduledTimers ??= []).Add(TimerInfo.From(timer));
                }
            }

            foreach (var (id, _) in instance.OriginalTimers)
            {
                if (!timers.Exists(t => t.Id == id))
                {
                    (removedTimers ??= []).Add(id);
                }
            }

            var jobs = instance.Record.Jobs;
            foreach (var job in jobs)
            {
                if (!suspended && job.RetriesLeft > 0 && (resend || !Array.Exists(instance.OriginalJobs, o => o.Id == job.Id && o.Due == job.Due)))
                {
                    (scheduledJobs ??= []).Add(JobInfo.From(job));
                }
            }

            foreach (var (id, _) in instance.OriginalJobs)
            {
                if (!jobs.Exists(j => j.Id == id))
                {
                    (removedJobs ??= []).Add(id);
                }
            }
        }

        foreach (var timer in Changes.SavedStartTimers)
        {
            (scheduledTimers ??= []).Add(TimerInfo.From(timer));
        }

        foreach (var id in Changes.RemovedStartTimerIds)
        {
            (removedTimers ??= []).Add(id);
        }

        if (scheduledTimers is not null || removedTimers is not null)
        {
            await _services.TimerScheduler.TimersChangedAsync(scheduledTimers ?? [], removedTimers ?? [], CancellationToken.None);
        }

        if (scheduledJobs is not null || removedJobs is not null)
        {
            await _services.JobScheduler.JobsChangedAsync(scheduledJobs ?? [], removedJobs ?? [], CancellationToken.None);
        }
    }
}
