using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>Engine records to rows and back.</summary>
internal static class EntityMapping
{
    public static InstanceEntity ToEntity(ProcessInstanceRecord r) => new()
    {
        Id = r.Id,
        ProcessId = r.ProcessId,
        ProcessVersion = r.ProcessVersion,
        BusinessKey = r.BusinessKey,
        State = (int)r.State,
        ParentInstanceId = r.ParentInstanceId,
        ParentExecutionId = r.ParentExecutionId,
        StartedAt = r.StartedAt,
        StartedBy = r.StartedBy,
        EndedAt = r.EndedAt,
        EndReason = r.EndReason,
        Version = r.Version,
        NextExecutionId = r.NextExecutionId,
        Document = InstanceDocument.Write(r),
    };

    public static ProcessInstanceRecord ToRecord(InstanceEntity e, IEnumerable<VariableEntity> variables)
    {
        var document = InstanceDocument.Read(e.Document);
        var record = new ProcessInstanceRecord
        {
            Id = e.Id,
            ProcessId = e.ProcessId,
            ProcessVersion = e.ProcessVersion,
            BusinessKey = e.BusinessKey,
            State = (InstanceState)e.State,
            ParentInstanceId = e.ParentInstanceId,
            ParentExecutionId = e.ParentExecutionId,
            StartedAt = e.StartedAt,
            StartedBy = e.StartedBy,
            EndedAt = e.EndedAt,
            EndReason = e.EndReason,
            Version = e.Version,
            NextExecutionId = e.NextExecutionId,
            Executions = document.Executions,
            Tasks = document.Tasks,
            Subscriptions = document.Subscriptions,
            Timers = document.Timers,
            Jobs = document.Jobs,
            Incidents = document.Incidents,
        };

        return WithVariables(record, variables);
    }

    /// <summary>Sets the executions' variables from their rows (a record without any, as its document holds it).</summary>
    public static ProcessInstanceRecord WithVariables(ProcessInstanceRecord record, IEnumerable<VariableEntity> variables)
    {
        Dictionary<int, ExecutionRecord>? byId = null;
        foreach (var v in variables)
        {
            byId ??= record.Executions.ToDictionary(x => x.Id);
            if (byId.TryGetValue(v.ExecutionId, out var execution))
            {
                (execution.Variables ??= new Dictionary<string, object?>(StringComparer.Ordinal))[v.Name] = VariableJson.Deserialize(v.ValueJson);
            }
        }

        return record;
    }

    /// <summary>The record as its document holds it: no execution carries variables (they have rows of their own).</summary>
    public static ProcessInstanceRecord WithoutVariables(ProcessInstanceRecord record)
    {
        foreach (var execution in record.Executions)
        {
            execution.Variables = null;
        }

        return record;
    }

    public static ProcessInstanceInfo ToInfo(InstanceEntity e) => ProcessInstanceInfo.From(ToRecord(e, []));

    public static TaskEntity ToEntity(UserTaskRecord t) => new()
    {
        Id = t.Id,
        InstanceId = t.InstanceId,
        ExecutionId = t.ExecutionId,
        ProcessId = t.ProcessId,
        ProcessVersion = t.ProcessVersion,
        BusinessKey = t.BusinessKey,
        ElementId = t.ElementId,
        Name = t.Name,
        Documentation = t.Documentation,
        Assignee = t.Assignee,
        Owner = t.Owner,
        DelegationNote = t.DelegationNote,
        FormKey = t.FormKey,
        Due = t.Due,
        FollowUp = t.FollowUp,
        Priority = t.Priority,
        State = (int)t.State,
        CreatedAt = t.CreatedAt,
        ClaimedBy = t.ClaimedBy,
        ClaimedAt = t.ClaimedAt,
        CompletedBy = t.CompletedBy,
        CompletedAt = t.CompletedAt,
    };

    /// <summary>The access rows of a task: assignee, candidate users, candidate roles.</summary>
    public static IEnumerable<TaskCandidateEntity> Candidates(UserTaskRecord t)
    {
        var open = t.State == UserTaskState.Open;
        var dueKey = DueKey(t.Due);
        if (t.Assignee is { } assignee)
        {
            yield return new TaskCandidateEntity { TaskId = t.Id, Kind = CandidateKind.Assignee, Value = assignee, Active = open, DueKey = dueKey };
        }

        foreach (var user in t.CandidateUsers.Distinct(StringComparer.Ordinal))
        {
            yield return new TaskCandidateEntity { TaskId = t.Id, Kind = CandidateKind.User, Value = user, Active = open && t.Assignee is null, DueKey = dueKey };
        }

        foreach (var role in t.CandidateRoles.Distinct(StringComparer.Ordinal))
        {
            yield return new TaskCandidateEntity { TaskId = t.Id, Kind = CandidateKind.Role, Value = role, Active = open && t.Assignee is null, DueKey = dueKey };
        }
    }

    public static long DueKey(DateTimeOffset? due) => due?.UtcTicks ?? long.MaxValue;

    public static UserTaskInfo ToInfo(TaskEntity t, IEnumerable<TaskCandidateEntity> candidates)
    {
        var users = new List<string>();
        var roles = new List<string>();
        foreach (var c in candidates)
        {
            if (c.Kind == CandidateKind.User)
            {
                users.Add(c.Value);
            }
            else if (c.Kind == CandidateKind.Role)
            {
                roles.Add(c.Value);
            }
        }

        return new UserTaskInfo(
            t.Id, t.InstanceId, t.ProcessId, t.ProcessVersion, t.BusinessKey, t.ElementId, t.Name, t.Documentation, t.Assignee, t.Owner,
            users, roles, t.FormKey, t.Due, t.FollowUp, t.Priority, (UserTaskState)t.State, t.CreatedAt, t.ClaimedBy, t.ClaimedAt,
            t.CompletedBy, t.CompletedAt, t.DelegationNote);
    }

    public static SubscriptionEntity ToEntity(SubscriptionRecord s, string? businessKey) => new()
    {
        Id = s.Id,
        InstanceId = s.InstanceId,
        ExecutionId = s.ExecutionId,
        ElementId = s.ElementId,
        Kind = (int)s.Kind,
        EventName = s.EventName,
        CorrelationKey = s.CorrelationKey,
        BusinessKey = businessKey,
        Purpose = (int)s.Purpose,
        CreatedAt = s.CreatedAt,
    };

    public static SubscriptionRecord ToRecord(SubscriptionEntity s) =>
        new(s.Id, s.InstanceId, s.ExecutionId, s.ElementId, (EventKind)s.Kind, s.EventName, s.CorrelationKey, (TriggerPurpose)s.Purpose, s.CreatedAt);

    public static TimerEntity ToEntity(TimerRecord t) => new()
    {
        Id = t.Id,
        InstanceId = t.InstanceId,
        ExecutionId = t.ExecutionId,
        ProcessId = t.ProcessId,
        ProcessVersion = t.ProcessVersion,
        ElementId = t.ElementId,
        Purpose = (int)t.Purpose,
        Due = t.Due,
        Kind = (int)t.Kind,
        Definition = t.Definition,
        RepeatsLeft = t.RepeatsLeft,
        CreatedAt = t.CreatedAt,
    };

    public static TimerRecord ToRecord(TimerEntity t) => new()
    {
        Id = t.Id,
        InstanceId = t.InstanceId,
        ExecutionId = t.ExecutionId,
        ProcessId = t.ProcessId,
        ProcessVersion = t.ProcessVersion,
        ElementId = t.ElementId,
        Purpose = (TriggerPurpose)t.Purpose,
        Due = t.Due,
        Kind = (Trading.Workflow.Engine.Model.TimerKind)t.Kind,
        Definition = t.Definition,
        RepeatsLeft = t.RepeatsLeft,
        CreatedAt = t.CreatedAt,
    };

    public static JobEntity ToEntity(JobRecord j) => new()
    {
        Id = j.Id,
        InstanceId = j.InstanceId,
        ExecutionId = j.ExecutionId,
        ProcessId = j.ProcessId,
        ElementId = j.ElementId,
        Kind = (int)j.Kind,
        Due = j.Due,
        RetriesLeft = j.RetriesLeft,
        LastError = j.LastError,
        LockOwner = j.LockOwner,
        LockExpiry = j.LockExpiry,
        CreatedAt = j.CreatedAt,
    };

    public static JobInfo ToInfo(JobEntity j) =>
        new(j.Id, j.InstanceId, j.ProcessId, j.ElementId, (JobKind)j.Kind, j.Due, j.RetriesLeft, j.LastError, j.LockOwner, j.LockExpiry);

    public static IncidentEntity ToEntity(IncidentRecord i, ProcessInstanceRecord instance) => new()
    {
        Id = i.Id,
        InstanceId = i.InstanceId,
        ProcessId = instance.ProcessId,
        BusinessKey = instance.BusinessKey,
        JobId = i.JobId,
        ExecutionId = i.ExecutionId,
        ElementId = i.ElementId,
        Type = i.Type,
        Message = i.Message,
        CreatedAt = i.CreatedAt,
        ResolvedAt = i.ResolvedAt,
        ResolvedBy = i.ResolvedBy,
    };

    public static IncidentInfo ToInfo(IncidentEntity i) =>
        new(i.Id, i.InstanceId, i.JobId, i.ElementId, i.Type, i.Message, i.CreatedAt, i.ResolvedAt, i.ResolvedBy);

    public static HistoryEntity ToEntity(HistoryEvent e, ProcessInstanceRecord? instance) => new()
    {
        InstanceId = e.InstanceId,
        Type = (int)e.Type,
        Timestamp = e.Timestamp,
        ProcessId = e.ProcessId ?? instance?.ProcessId,
        BusinessKey = e.BusinessKey ?? instance?.BusinessKey,
        ElementId = e.ElementId,
        ElementType = e.ElementType,
        ElementName = e.ElementName,
        ExecutionId = e.ExecutionId,
        TaskId = e.TaskId,
        UserId = e.UserId,
        VariableName = e.VariableName,
        OldValue = e.OldValue is null ? null : VariableJson.Serialize(e.OldValue),
        NewValue = e.NewValue is null ? null : VariableJson.Serialize(e.NewValue),
        Details = e.Details,
    };

    public static HistoryEvent ToEvent(HistoryEntity h) => new(h.InstanceId, (HistoryEventType)h.Type, h.Timestamp)
    {
        Sequence = h.Sequence,
        ProcessId = h.ProcessId,
        BusinessKey = h.BusinessKey,
        ElementId = h.ElementId,
        ElementType = h.ElementType,
        ElementName = h.ElementName,
        ExecutionId = h.ExecutionId,
        TaskId = h.TaskId,
        UserId = h.UserId,
        VariableName = h.VariableName,
        OldValue = h.OldValue is null ? null : VariableJson.Deserialize(h.OldValue),
        NewValue = h.NewValue is null ? null : VariableJson.Deserialize(h.NewValue),
        Details = h.Details,
    };
}
