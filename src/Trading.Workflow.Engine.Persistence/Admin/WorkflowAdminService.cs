using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Admin;

/// <summary>An incident with the instance's process and business key, for the administrator's list.</summary>
public sealed record IncidentAdminInfo(
    Guid Id,
    Guid InstanceId,
    string ProcessId,
    string? BusinessKey,
    Guid? JobId,
    string ElementId,
    string Type,
    string Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Skip, int Take);

/// <summary>
/// Administration across instances: open incidents (paged), history and audit by business key, and the incident
/// actions. Retrying goes through the engine (<see cref="IWorkflowEngine.RetryJobAsync"/>); every action is
/// recorded in the instance's history with who, when and why.
/// </summary>
public sealed class WorkflowAdminService(EfWorkflowStore store, IWorkflowEngine engine, TimeProvider time)
{
    /// <summary>Open incidents of every instance, oldest first.</summary>
    public Task<Page<IncidentAdminInfo>> GetOpenIncidentsAsync(int skip = 0, int take = 50, CancellationToken cancellationToken = default) =>
        QueryIncidentsAsync(openOnly: true, skip, take, cancellationToken);

    /// <summary>Every incident, open and resolved, newest first.</summary>
    public Task<Page<IncidentAdminInfo>> GetAllIncidentsAsync(int skip = 0, int take = 50, CancellationToken cancellationToken = default) =>
        QueryIncidentsAsync(openOnly: false, skip, take, cancellationToken);

    /// <summary>The audit trail of every instance with the business key (a project's whole procedure), in commit order.</summary>
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryByBusinessKeyAsync(string businessKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(businessKey);
        return await store.QueryAsync<IReadOnlyList<HistoryEvent>>(async db =>
        {
            var rows = await HistoryByBusinessKey(db, businessKey).ToListAsync(cancellationToken);
            return HistoryRows.Expand(rows).Select(EntityMapping.ToEvent).ToList();
        }, cancellationToken);
    }

    /// <summary>
    /// The history rows of the instances with the business key, in commit order: the instances through their business
    /// key's index, then each one's rows through the history's instance index. (The history has no index of its own
    /// by business key: it would cost a b-tree write per history row, nine per command, for this one query.)
    /// </summary>
    internal static IQueryable<HistoryEntity> HistoryByBusinessKey(WorkflowDbContext db, string businessKey) =>
        from i in db.Instances.AsNoTracking()
        where i.BusinessKey == businessKey
        join h in db.History.AsNoTracking() on i.Id equals h.InstanceId
        orderby h.Sequence
        select h;

    /// <summary>
    /// Retries the failed job of an incident, first setting <paramref name="variables"/> on the instance when given,
    /// in one engine command: a refused retry (job no longer failed, instance suspended, concurrent change) changes
    /// no variable. The administrative action is recorded with the user and <paramref name="reason"/>.
    /// </summary>
    public async Task RetryIncidentAsync(
        Guid incidentId, string userId, IReadOnlyDictionary<string, object?>? variables = null, int retries = 1, string? reason = null,
        CancellationToken cancellationToken = default)
    {
        var incident = await FindOpenAsync(incidentId, cancellationToken);
        if (incident.JobId is not { } jobId)
        {
            throw new WorkflowStateException($"事件 {incidentId} 没有可重试的作业", $"The incident '{incidentId}' has no job to retry.");
        }

        await engine.RetryJobAsync(jobId, retries, userId, variables, reason, cancellationToken);
    }

    /// <summary>Marks an incident resolved without retrying (the administrator handled it by other means).</summary>
    public async Task ResolveIncidentAsync(Guid incidentId, string userId, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var incident = await FindOpenAsync(incidentId, cancellationToken);
        await using var session = await store.OpenSessionAsync(cancellationToken);
        var instance = await session.LoadInstanceAsync(incident.InstanceId, cancellationToken)
            ?? throw new WorkflowNotFoundException("instance", incident.InstanceId.ToString());
        var record = instance.Incidents.Find(i => i.Id == incidentId)
            ?? throw new WorkflowConflictException($"事件 {incidentId} 已被处理", $"The incident '{incidentId}' was already resolved.");
        var now = time.GetUtcNow();
        instance.Incidents.Remove(record);
        record.ResolvedAt = now;
        record.ResolvedBy = userId;
        var expected = instance.Version;
        instance.Version = expected + 1;
        var changes = new WorkflowChangeSet();
        changes.Instances.Add(new InstanceChange(instance, expected, false));
        changes.History.Add(new HistoryEvent(instance.Id, HistoryEventType.IncidentResolved, now)
        {
            ElementId = record.ElementId,
            UserId = userId,
            Details = reason,
        });
        changes.History.Add(new HistoryEvent(instance.Id, HistoryEventType.AdminAction, now)
        {
            ElementId = record.ElementId,
            UserId = userId,
            Details = "resolve incident" + (reason is null ? string.Empty : $": {reason}"),
        });
        await session.CommitAsync(changes, cancellationToken);
    }

    private async Task<IncidentEntity> FindOpenAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        var row = await store.QueryAsync(db => db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken), cancellationToken)
            ?? throw new WorkflowNotFoundException("incident", incidentId.ToString());
        return row.ResolvedAt is null
            ? row
            : throw new WorkflowConflictException($"事件 {incidentId} 已被处理", $"The incident '{incidentId}' was already resolved.");
    }

    private async Task<Page<IncidentAdminInfo>> QueryIncidentsAsync(bool openOnly, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        return await store.QueryAsync(async db =>
        {
            var rows = db.Incidents.AsNoTracking();
            if (openOnly)
            {
                rows = rows.Where(i => i.ResolvedAt == null);
            }

            var total = await rows.CountAsync(cancellationToken);
            var ordered = openOnly
                ? rows.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id)
                : rows.OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id);
            var page = await ordered.Skip(skip).Take(take).ToListAsync(cancellationToken);
            return new Page<IncidentAdminInfo>(
                page.Select(i => new IncidentAdminInfo(i.Id, i.InstanceId, i.ProcessId, i.BusinessKey, i.JobId, i.ElementId, i.Type, i.Message, i.CreatedAt, i.ResolvedAt, i.ResolvedBy)).ToList(),
                total, skip, take);
        }, cancellationToken);
    }
}
