using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Store;

public enum InstanceState
{
    Active,
    Suspended,
    Completed,
    Cancelled,

    /// <summary>Ended by a terminate end event at process level.</summary>
    Terminated,
}

/// <summary>
/// A process instance aggregate: everything a command may change on one instance. A store hands each command its
/// own copy (<see cref="Clone"/>) and on commit checks <see cref="Version"/> (optimistic concurrency).
/// Completed tasks, ended executions and fired timers leave the aggregate; history keeps them.
/// </summary>
public sealed class ProcessInstanceRecord
{
    public Guid Id { get; set; }

    public required string ProcessId { get; set; }

    public int ProcessVersion { get; set; }

    public string? BusinessKey { get; set; }

    public InstanceState State { get; set; }

    public Guid? ParentInstanceId { get; set; }

    /// <summary>The call-activity execution of the parent that waits for this instance.</summary>
    public int? ParentExecutionId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public string? StartedBy { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? EndReason { get; set; }

    /// <summary>Incremented by every commit that changes the instance; the store refuses a commit whose expected version is stale.</summary>
    public long Version { get; set; }

    /// <summary>Next execution id; execution ids are unique within the instance.</summary>
    public int NextExecutionId { get; set; } = 1;

    public List<ExecutionRecord> Executions { get; set; } = [];

    /// <summary>Open user tasks.</summary>
    public List<UserTaskRecord> Tasks { get; set; } = [];

    public List<SubscriptionRecord> Subscriptions { get; set; } = [];

    public List<TimerRecord> Timers { get; set; } = [];

    public List<JobRecord> Jobs { get; set; } = [];

    /// <summary>Open incidents.</summary>
    public List<IncidentRecord> Incidents { get; set; } = [];

    public bool IsEnded => State is InstanceState.Completed or InstanceState.Cancelled or InstanceState.Terminated;

    public ProcessInstanceRecord Clone()
    {
        var copy = (ProcessInstanceRecord)MemberwiseClone();
        copy.Executions = new List<ExecutionRecord>(Executions.Count);
        foreach (var e in Executions)
        {
            copy.Executions.Add(e.Clone());
        }

        copy.Tasks = new List<UserTaskRecord>(Tasks.Count);
        foreach (var t in Tasks)
        {
            copy.Tasks.Add(t.Clone());
        }

        copy.Subscriptions = new List<SubscriptionRecord>(Subscriptions);
        copy.Timers = new List<TimerRecord>(Timers.Count);
        foreach (var t in Timers)
        {
            copy.Timers.Add(t.Clone());
        }

        copy.Jobs = new List<JobRecord>(Jobs.Count);
        foreach (var j in Jobs)
        {
            copy.Jobs.Add(j.Clone());
        }

        copy.Incidents = new List<IncidentRecord>(Incidents.Count);
        foreach (var i in Incidents)
        {
            copy.Incidents.Add(i.Clone());
        }

        return copy;
    }
}

public enum ExecutionKind
{
    /// <summary>The process instance itself: the root scope holding process variables.</summary>
    Process,

    /// <summary>A token at a flow node; it becomes a scope (has children) while at a sub-process.</summary>
    Token,

    /// <summary>The multi-instance body of an activity: holds nrOfInstances and the counters, its children are the instances.</summary>
    MultiInstanceBody,

    /// <summary>One instance of a multi-instance activity: holds loopCounter and the element variable.</summary>
    MultiInstanceItem,

    /// <summary>A running event sub-process.</summary>
    EventSubProcess,
}

public enum WaitKind
{
    /// <summary>Not waiting: on the agenda or passing through.</summary>
    None,
    UserTask,
    ReceiveTask,
    CatchEvent,
    EventBasedGateway,

    /// <summary>Arrived at a parallel or inclusive join, waiting for the other tokens.</summary>
    Join,

    /// <summary>A scope waiting for its children (sub-process, multi-instance body).</summary>
    Scope,

    /// <summary>A call activity waiting for the called instance.</summary>
    CalledInstance,

    /// <summary>Waiting for an async job.</summary>
    AsyncJob,
}

public sealed class ExecutionRecord
{
    public int Id { get; set; }

    public int? ParentId { get; set; }

    public ExecutionKind Kind { get; set; }

    /// <summary>The flow node the execution is at (for the process execution: null).</summary>
    public string? NodeId { get; set; }

    public WaitKind Wait { get; set; }

    /// <summary>The sequence flow the token arrived by (joins count arrivals per incoming flow).</summary>
    public string? ArrivedByFlowId { get; set; }

    /// <summary>When the activity at <see cref="NodeId"/> started (history).</summary>
    public DateTimeOffset ActivityStartedAt { get; set; }

    /// <summary>Loop counter of a multi-instance item.</summary>
    public int LoopCounter { get; set; }

    /// <summary>The instance a call activity started.</summary>
    public Guid? CalledInstanceId { get; set; }

    /// <summary>Local variables of this scope (null while none).</summary>
    public Dictionary<string, object?>? Variables { get; set; }

    /// <summary>Set by the runtime when the execution leaves the instance, so queued work for it is skipped.</summary>
    internal bool Removed { get; set; }

    public ExecutionRecord Clone()
    {
        var copy = (ExecutionRecord)MemberwiseClone();
        if (Variables is not null)
        {
            copy.Variables = new Dictionary<string, object?>(Variables, StringComparer.Ordinal);
        }

        return copy;
    }
}

public enum UserTaskState
{
    Open,
    Completed,

    /// <summary>Withdrawn by a boundary event, an event sub-process, a terminate end event or cancelling the instance.</summary>
    Cancelled,
}

public sealed class UserTaskRecord
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public int ExecutionId { get; set; }

    public required string ProcessId { get; set; }

    public int ProcessVersion { get; set; }

    public string? BusinessKey { get; set; }

    /// <summary>The task definition id (the userTask element id).</summary>
    public required string ElementId { get; set; }

    /// <summary>Name rendered from its template when the task was created.</summary>
    public string? Name { get; set; }

    public string? Documentation { get; set; }

    public string? Assignee { get; set; }

    /// <summary>The user who delegated the task (and gets it back when the delegate completes it in Camunda; here kept for history).</summary>
    public string? Owner { get; set; }

    public string? DelegationNote { get; set; }

    public string[] CandidateUsers { get; set; } = [];

    public string[] CandidateRoles { get; set; } = [];

    public string? FormKey { get; set; }

    public DateTimeOffset? Due { get; set; }

    public DateTimeOffset? FollowUp { get; set; }

    public int Priority { get; set; } = 50;

    public UserTaskState State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public string? CompletedBy { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public UserTaskRecord Clone() => (UserTaskRecord)MemberwiseClone();
}

public enum EventKind
{
    Message,
    Signal,
}

/// <summary>What a subscription or timer does when it fires.</summary>
public enum TriggerPurpose
{
    /// <summary>An intermediate catch event (or receive task) the execution waits at.</summary>
    Catch,

    /// <summary>A boundary event of the activity the execution is at.</summary>
    Boundary,

    /// <summary>A start event of an event sub-process inside the scope execution.</summary>
    EventSubProcessStart,

    /// <summary>An event after an event-based gateway the execution waits at.</summary>
    EventGateway,

    /// <summary>A timer start event of a process definition (no instance yet).</summary>
    ProcessStart,
}

/// <summary>A waiting message or signal catch. Immutable: replaced, never changed.</summary>
public sealed record SubscriptionRecord(
    Guid Id,
    Guid InstanceId,
    int ExecutionId,
    string ElementId,
    EventKind Kind,
    string EventName,
    string? CorrelationKey,
    TriggerPurpose Purpose,
    DateTimeOffset CreatedAt);

public sealed class TimerRecord
{
    public Guid Id { get; set; }

    /// <summary>Null for a timer start event of a process definition.</summary>
    public Guid? InstanceId { get; set; }

    public int ExecutionId { get; set; }

    public required string ProcessId { get; set; }

    public int ProcessVersion { get; set; }

    /// <summary>The timer event (catch, boundary, event sub-process start or start event).</summary>
    public required string ElementId { get; set; }

    public TriggerPurpose Purpose { get; set; }

    public DateTimeOffset Due { get; set; }

    public TimerKind Kind { get; set; }

    /// <summary>The timer definition text as evaluated when the timer was created.</summary>
    public required string Definition { get; set; }

    /// <summary>For cycles: firings left, the pending one included (-1: unbounded); 0 for dates and durations.</summary>
    public int RepeatsLeft { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public TimerRecord Clone() => (TimerRecord)MemberwiseClone();
}

public enum JobKind
{
    /// <summary>Run the node (asyncBefore).</summary>
    AsyncBefore,

    /// <summary>Leave the node (asyncAfter).</summary>
    AsyncAfter,

    /// <summary>
    /// Fire a timer whose firing failed for good: the timer became this job, with an incident, so that retrying the
    /// incident fires the timer's event (the element) on its execution.
    /// </summary>
    FireTimer,
}

public sealed class JobRecord
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public int ExecutionId { get; set; }

    public required string ProcessId { get; set; }

    public required string ElementId { get; set; }

    public JobKind Kind { get; set; }

    public DateTimeOffset Due { get; set; }

    public int RetriesLeft { get; set; }

    public string? LastError { get; set; }

    public string? LockOwner { get; set; }

    public DateTimeOffset? LockExpiry { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public JobRecord Clone() => (JobRecord)MemberwiseClone();
}

public sealed class IncidentRecord
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public Guid? JobId { get; set; }

    public int ExecutionId { get; set; }

    public required string ElementId { get; set; }

    /// <summary>failedJob (retries ran out), bpmnError (an async step raised an uncaught BPMN error) or failedTimer (a timer's firing failed for good).</summary>
    public required string Type { get; set; }

    public required string Message { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }

    public IncidentRecord Clone() => (IncidentRecord)MemberwiseClone();
}
