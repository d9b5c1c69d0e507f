namespace Trading.Workflow.Engine.History;

public enum HistoryEventType
{
    InstanceStarted,
    InstanceCompleted,
    InstanceCancelled,
    InstanceTerminated,
    InstanceSuspended,
    InstanceResumed,
    ActivityStarted,
    ActivityCompleted,
    ActivityCancelled,
    SequenceFlowTaken,
    TaskCreated,
    TaskClaimed,
    TaskUnclaimed,
    TaskAssigned,
    TaskDelegated,
    TaskCompleted,
    TaskCancelled,
    VariableCreated,
    VariableUpdated,
    VariableDeleted,
    MessageCorrelated,
    SignalReceived,
    TimerFired,
    ErrorThrown,
    ErrorCaught,
    JobFailed,
    IncidentOpened,
    IncidentResolved,
    AdminAction,

    /// <summary>An open task's due date was moved (old and new value; the reason in the details).</summary>
    TaskDueChanged,
}

/// <summary>
/// One append-only history entry. Who (<see cref="UserId"/>), when (<see cref="Timestamp"/>), what element, and for
/// variables the old and new value; <see cref="Details"/> carries the reason, note or error text.
/// </summary>
public sealed record HistoryEvent(Guid InstanceId, HistoryEventType Type, DateTimeOffset Timestamp)
{
    /// <summary>Store-assigned sequence number, increasing in commit order.</summary>
    public long Sequence { get; set; }

    public string? ProcessId { get; init; }

    public string? BusinessKey { get; init; }

    public string? ElementId { get; init; }

    public string? ElementType { get; init; }

    public string? ElementName { get; init; }

    public int? ExecutionId { get; init; }

    public Guid? TaskId { get; init; }

    public string? UserId { get; init; }

    public string? VariableName { get; init; }

    public object? OldValue { get; init; }

    public object? NewValue { get; init; }

    public string? Details { get; init; }
}
