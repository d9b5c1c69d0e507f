using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

// Loading instances with their call hierarchy, and creating, starting and ending instances.
internal sealed partial class CommandContext
{
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
}
