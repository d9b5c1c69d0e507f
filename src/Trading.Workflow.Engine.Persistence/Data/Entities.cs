namespace Trading.Workflow.Engine.Persistence.Data;

// Row shapes of the engine tables. Provider-neutral CLR types only: the per-provider column types live in the
// schema scripts and in WorkflowDbContext's conventions (e.g. SQLite keeps times as UTC ticks).

public enum DefinitionState
{
    Draft = 0,
    Published = 1,
    Retired = 2,
}

public sealed class DefinitionEntity
{
    public Guid Id { get; set; }

    public required string ProcessId { get; set; }

    /// <summary>Null while a draft.</summary>
    public int? Version { get; set; }

    public DefinitionState State { get; set; }

    public string? Name { get; set; }

    public required string BpmnXml { get; set; }

    /// <summary>Validation problems as a JSON array (code, severity, element, zh/en messages).</summary>
    public string? ValidationProblems { get; set; }

    public bool HasErrors { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public string? PublishedBy { get; set; }

    public string? ChangeNote { get; set; }

    public DateTimeOffset? RetiredAt { get; set; }

    public string? RetiredBy { get; set; }
}

public sealed class InstanceEntity
{
    public Guid Id { get; set; }

    public required string ProcessId { get; set; }

    public int ProcessVersion { get; set; }

    public string? BusinessKey { get; set; }

    public int State { get; set; }

    public Guid? ParentInstanceId { get; set; }

    public int? ParentExecutionId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public string? StartedBy { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? EndReason { get; set; }

    /// <summary>Optimistic concurrency: every commit writes Version + 1 where the row still holds the expected value.</summary>
    public long Version { get; set; }

    public int NextExecutionId { get; set; }

    /// <summary>The aggregate (executions, open tasks, subscriptions, timers, jobs, open incidents) as JSON; variables live in their own rows.</summary>
    public required string Document { get; set; }

    /// <summary>How many chained history rows the instance has: deleting its last rows shows as a shorter chain.</summary>
    public long HistoryLength { get; set; }

    /// <summary>Hash of the instance's last chained history row (null before the first).</summary>
    public string? HistoryHead { get; set; }
}

public sealed class VariableEntity
{
    public Guid InstanceId { get; set; }

    public int ExecutionId { get; set; }

    public required string Name { get; set; }

    public required string TypeName { get; set; }

    /// <summary>The value in VariableJson form.</summary>
    public required string ValueJson { get; set; }
}

public sealed class TaskEntity
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public int ExecutionId { get; set; }

    public required string ProcessId { get; set; }

    public int ProcessVersion { get; set; }

    public string? BusinessKey { get; set; }

    public required string ElementId { get; set; }

    public string? Name { get; set; }

    public string? Documentation { get; set; }

    public string? Assignee { get; set; }

    public string? Owner { get; set; }

    public string? DelegationNote { get; set; }

    public string? FormKey { get; set; }

    public DateTimeOffset? Due { get; set; }

    public DateTimeOffset? FollowUp { get; set; }

    public int Priority { get; set; }

    public int State { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public string? CompletedBy { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

public enum CandidateKind
{
    Assignee = 0,
    User = 1,
    Role = 2,
}

/// <summary>
/// Who may see a task: its assignee, candidate users and candidate roles, one row each. <see cref="Active"/> marks
/// the rows that grant access now (open task; candidates only while unassigned), which the inbox index covers.
/// </summary>
public sealed class TaskCandidateEntity
{
    public Guid TaskId { get; set; }

    public CandidateKind Kind { get; set; }

    public required string Value { get; set; }

    public bool Active { get; set; }

    /// <summary>Due as UTC ticks, long.MaxValue without a due date: one sortable key on every provider.</summary>
    public long DueKey { get; set; }
}

public sealed class SubscriptionEntity
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public int ExecutionId { get; set; }

    public required string ElementId { get; set; }

    public int Kind { get; set; }

    public required string EventName { get; set; }

    public string? CorrelationKey { get; set; }

    public string? BusinessKey { get; set; }

    public int Purpose { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class TimerEntity
{
    public Guid Id { get; set; }

    public Guid? InstanceId { get; set; }

    public int ExecutionId { get; set; }

    public required string ProcessId { get; set; }

    public int ProcessVersion { get; set; }

    public required string ElementId { get; set; }

    public int Purpose { get; set; }

    public DateTimeOffset Due { get; set; }

    public int Kind { get; set; }

    public required string Definition { get; set; }

    public int RepeatsLeft { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class JobEntity
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public int ExecutionId { get; set; }

    public required string ProcessId { get; set; }

    public required string ElementId { get; set; }

    public int Kind { get; set; }

    public DateTimeOffset Due { get; set; }

    public int RetriesLeft { get; set; }

    public string? LastError { get; set; }

    public string? LockOwner { get; set; }

    public DateTimeOffset? LockExpiry { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class IncidentEntity
{
    public Guid Id { get; set; }

    public Guid InstanceId { get; set; }

    public required string ProcessId { get; set; }

    public string? BusinessKey { get; set; }

    public Guid? JobId { get; set; }

    public int ExecutionId { get; set; }

    public required string ElementId { get; set; }

    public required string Type { get; set; }

    public required string Message { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }
}

/// <summary>Append-only: the store inserts history rows and never updates or deletes them.</summary>
public sealed class HistoryEntity
{
    public long Sequence { get; set; }

    public Guid InstanceId { get; set; }

    public int Type { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public string? ProcessId { get; set; }

    public string? BusinessKey { get; set; }

    public string? ElementId { get; set; }

    public string? ElementType { get; set; }

    public string? ElementName { get; set; }

    public int? ExecutionId { get; set; }

    public Guid? TaskId { get; set; }

    public string? UserId { get; set; }

    public string? VariableName { get; set; }

    /// <summary>VariableJson of the old value.</summary>
    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    public string? Details { get; set; }

    /// <summary>Position in the instance's history chain (1, 2, ...); null on rows written before the chain existed.</summary>
    public long? ChainPosition { get; set; }

    /// <summary>Hex SHA-256 of the instance's previous chained row (64 zeros for the first).</summary>
    public string? PreviousHash { get; set; }

    /// <summary>Hex SHA-256 over <see cref="PreviousHash"/> and every field of this row (see <c>HistoryChain</c>).</summary>
    public string? Hash { get; set; }

    /// <summary>
    /// Events this row stands for (1 for a row of one event). A row of several (one row per command and
    /// instance) keeps them in <see cref="Entries"/>; see <c>HistoryRows</c>.
    /// </summary>
    public int EntryCount { get; set; } = 1;

    /// <summary>The events of a row of several, as JSON (<c>HistoryRows</c>); null for a row of one event.</summary>
    public string? Entries { get; set; }
}

public sealed class HolidayCalendarEntity
{
    public int Id { get; set; }

    public required string DataJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
