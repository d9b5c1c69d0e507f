using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime;

public sealed record ProcessDefinitionInfo(string ProcessId, int Version, string? Name, DateTimeOffset DeployedAt, string? DeployedBy)
{
    /// <summary>"processId:version".</summary>
    public string DefinitionId => $"{ProcessId}:{Version}";
}

public sealed record ProcessInstanceInfo(
    Guid Id,
    string ProcessId,
    int ProcessVersion,
    string? BusinessKey,
    InstanceState State,
    Guid? ParentInstanceId,
    DateTimeOffset StartedAt,
    string? StartedBy,
    DateTimeOffset? EndedAt,
    string? EndReason,
    long Version,
    IReadOnlyList<string> ActiveElementIds)
{
    public static ProcessInstanceInfo From(ProcessInstanceRecord r)
    {
        var active = new List<string>();
        foreach (var e in r.Executions)
        {
            if (e.NodeId is not null && e.Kind is ExecutionKind.Token or ExecutionKind.MultiInstanceBody && !active.Contains(e.NodeId))
            {
                active.Add(e.NodeId);
            }
        }

        return new(r.Id, r.ProcessId, r.ProcessVersion, r.BusinessKey, r.State, r.ParentInstanceId, r.StartedAt, r.StartedBy, r.EndedAt, r.EndReason, r.Version, active);
    }
}

public sealed record UserTaskInfo(
    Guid Id,
    Guid InstanceId,
    string ProcessId,
    int ProcessVersion,
    string? BusinessKey,
    string ElementId,
    string? Name,
    string? Documentation,
    string? Assignee,
    string? Owner,
    IReadOnlyList<string> CandidateUsers,
    IReadOnlyList<string> CandidateRoles,
    string? FormKey,
    DateTimeOffset? Due,
    DateTimeOffset? FollowUp,
    int Priority,
    UserTaskState State,
    DateTimeOffset CreatedAt,
    string? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    string? CompletedBy,
    DateTimeOffset? CompletedAt,
    string? DelegationNote)
{
    public static UserTaskInfo From(UserTaskRecord t) => new(
        t.Id, t.InstanceId, t.ProcessId, t.ProcessVersion, t.BusinessKey, t.ElementId, t.Name, t.Documentation, t.Assignee, t.Owner,
        t.CandidateUsers, t.CandidateRoles, t.FormKey, t.Due, t.FollowUp, t.Priority, t.State, t.CreatedAt, t.ClaimedBy, t.ClaimedAt,
        t.CompletedBy, t.CompletedAt, t.DelegationNote);
}

public sealed record TimerInfo(Guid Id, Guid? InstanceId, string ProcessId, int ProcessVersion, string ElementId, TriggerPurpose Purpose, DateTimeOffset Due, TimerKind Kind, string Definition, int RepeatsLeft)
{
    public static TimerInfo From(TimerRecord t) => new(t.Id, t.InstanceId, t.ProcessId, t.ProcessVersion, t.ElementId, t.Purpose, t.Due, t.Kind, t.Definition, t.RepeatsLeft);
}

public sealed record JobInfo(Guid Id, Guid InstanceId, string ProcessId, string ElementId, JobKind Kind, DateTimeOffset Due, int RetriesLeft, string? LastError, string? LockOwner, DateTimeOffset? LockExpiry)
{
    public static JobInfo From(JobRecord j) => new(j.Id, j.InstanceId, j.ProcessId, j.ElementId, j.Kind, j.Due, j.RetriesLeft, j.LastError, j.LockOwner, j.LockExpiry);
}

public sealed record EventSubscriptionInfo(Guid Id, Guid InstanceId, string ElementId, EventKind Kind, string EventName, string? CorrelationKey, TriggerPurpose Purpose, DateTimeOffset CreatedAt)
{
    public static EventSubscriptionInfo From(SubscriptionRecord s) => new(s.Id, s.InstanceId, s.ElementId, s.Kind, s.EventName, s.CorrelationKey, s.Purpose, s.CreatedAt);
}

public sealed record IncidentInfo(Guid Id, Guid InstanceId, Guid? JobId, string ElementId, string Type, string Message, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt, string? ResolvedBy)
{
    public static IncidentInfo From(IncidentRecord i) => new(i.Id, i.InstanceId, i.JobId, i.ElementId, i.Type, i.Message, i.CreatedAt, i.ResolvedAt, i.ResolvedBy);
}

public sealed record TaskQuery
{
    public Guid? InstanceId { get; init; }

    public string? BusinessKey { get; init; }

    public string? ProcessId { get; init; }

    public string? ElementId { get; init; }

    public string? Assignee { get; init; }

    /// <summary>Only tasks with a due date at or before this instant (tasks without one are left out): reminders.</summary>
    public DateTimeOffset? DueBefore { get; init; }

    /// <summary>Open only (default) or every task the store still knows, completed and cancelled included.</summary>
    public bool OpenOnly { get; init; } = true;
}

public sealed record InstanceQuery
{
    public Guid? InstanceId { get; init; }

    /// <summary>Only these instances: read many known instances at once instead of one query each.</summary>
    public IReadOnlyCollection<Guid>? InstanceIds { get; init; }

    public string? BusinessKey { get; init; }

    public string? ProcessId { get; init; }

    public InstanceState? State { get; init; }

    public Guid? ParentInstanceId { get; init; }
}
