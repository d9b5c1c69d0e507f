using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// The engine's durable store on EF Core (SQLite or PostgreSQL). Each session is one connection and one
/// transaction; each read-only query below opens its own short connection.
/// </summary>
public sealed class EfWorkflowStore(WorkflowDatabase database, TimeProvider time) : IWorkflowStore
{
    public ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IWorkflowSession>(new EfWorkflowSession(database, time));

    public ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default) =>
        QueryAsync<UserTaskInfo?>(async db =>
        {
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
            if (task is null)
            {
                return null;
            }

            var candidates = await db.TaskCandidates.AsNoTracking().Where(c => c.TaskId == taskId).ToListAsync(cancellationToken);
            return EntityMapping.ToInfo(task, candidates);
        }, cancellationToken);

    public async ValueTask<IReadOnlyList<UserTaskInfo>> GetOpenTasksForUserAsync(string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default) =>
        await GetInboxAsync(userId, roles, 0, int.MaxValue, cancellationToken);

    /// <summary>
    /// One page of the inbox: open tasks assigned to the user, or unassigned with the user or one of the roles as
    /// candidate; earliest due first (no due date last), then by task id.
    /// </summary>
    public ValueTask<IReadOnlyList<UserTaskInfo>> GetInboxAsync(
        string userId, IReadOnlyCollection<string> roles, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        return QueryAsync<IReadOnlyList<UserTaskInfo>>(async db =>
        {
            var ids = await InboxQuery.PageAsync(db.Database.GetDbConnection(), database.Provider, userId, roles, skip, take, cancellationToken);
            return await LoadTasksAsync(db, ids, cancellationToken);
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<UserTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync<IReadOnlyList<UserTaskInfo>>(async db =>
        {
            var tasks = db.Tasks.AsNoTracking();
            if (query.OpenOnly)
            {
                tasks = tasks.Where(t => t.State == (int)UserTaskState.Open);
            }

            if (query.InstanceId is { } instanceId)
            {
                tasks = tasks.Where(t => t.InstanceId == instanceId);
            }

            if (query.BusinessKey is { } businessKey)
            {
                tasks = tasks.Where(t => t.BusinessKey == businessKey);
            }

            if (query.ProcessId is { } processId)
            {
                tasks = tasks.Where(t => t.ProcessId == processId);
            }

            if (query.ElementId is { } elementId)
            {
                tasks = tasks.Where(t => t.ElementId == elementId);
            }

            if (query.Assignee is { } assignee)
            {
                tasks = tasks.Where(t => t.Assignee == assignee);
            }

            var ids = await tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Select(t => t.Id).ToListAsync(cancellationToken);
            return await LoadTasksAsync(db, ids, cancellationToken);
        }, cancellationToken);
    }

    public ValueTask<ProcessInstanceInfo?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        QueryAsync<ProcessInstanceInfo?>(async db =>
        {
            var row = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
            return row is null ? null : EntityMapping.ToInfo(row);
        }, cancellationToken);

    public ValueTask<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync<IReadOnlyList<ProcessInstanceInfo>>(async db =>
        {
            var rows = db.Instances.AsNoTracking();
            if (query.InstanceId is { } id)
            {
                rows = rows.Where(i => i.Id == id);
            }

            if (query.BusinessKey is { } businessKey)
            {
                rows = rows.Where(i => i.BusinessKey == businessKey);
            }

            if (query.ProcessId is { } processId)
            {
                rows = rows.Where(i => i.ProcessId == processId);
            }

            if (query.State is { } state)
            {
                rows = rows.Where(i => i.State == (int)state);
            }

            if (query.ParentInstanceId is { } parent)
            {
                rows = rows.Where(i => i.ParentInstanceId == parent);
            }

            var list = await rows.OrderBy(i => i.StartedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken);
            return list.Select(EntityMapping.ToInfo).ToList();
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyDictionary<string, object?>?> GetVariablesAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        QueryAsync<IReadOnlyDictionary<string, object?>?>(async db =>
        {
            var row = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, cancellationToken);
            if (row is null)
            {
                return null;
            }

            var variables = await db.Variables.AsNoTracking().Where(v => v.InstanceId == instanceId).ToListAsync(cancellationToken);
            var record = EntityMapping.ToRecord(row, variables);
            var process = record.Executions.FirstOrDefault(e => e.Kind == ExecutionKind.Process);
            return process?.Variables is { } values ? new Dictionary<string, object?>(values) : new Dictionary<string, object?>();
        }, cancellationToken);

    public ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(Guid instanceId, CancellationToken cancellationToken = default) =>
        QueryAsync<IReadOnlyList<HistoryEvent>>(async db =>
        {
            var rows = await db.History.AsNoTracking().Where(h => h.InstanceId == instanceId).OrderBy(h => h.Sequence).ToListAsync(cancellationToken);
            return rows.Select(EntityMapping.ToEvent).ToList();
        }, cancellationToken);

    public ValueTask<IReadOnlyList<TimerInfo>> GetTimersAsync(Guid? instanceId, CancellationToken cancellationToken = default) =>
        QueryAsync<IReadOnlyList<TimerInfo>>(async db =>
        {
            var rows = db.Timers.AsNoTracking();
            if (instanceId is not null)
            {
                rows = rows.Where(t => t.InstanceId == instanceId);
            }

            var list = await rows.OrderBy(t => t.Due).ThenBy(t => t.Id).ToListAsync(cancellationToken);
            return list.Select(t => TimerInfo.From(EntityMapping.ToRecord(t))).ToList();
        }, cancellationToken);

    public ValueTask<IReadOnlyList<JobInfo>> GetJobsAsync(Guid? instanceId, CancellationToken cancellationToken = default) =>
        QueryAsync<IReadOnlyList<JobInfo>>(async db =>
        {
            var rows = db.Jobs.AsNoTracking();
            if (instanceId is not null)
            {
                rows = rows.Where(j => j.InstanceId == instanceId);
            }

            var list = await rows.OrderBy(j => j.Due).ThenBy(j => j.Id).ToListAsync(cancellationToken);
            return list.Select(EntityMapping.ToInfo).ToList();
        }, cancellationToken);

    public ValueTask<IReadOnlyList<EventSubscriptionInfo>> GetSubscriptionsAsync(Guid? instanceId, CancellationToken cancellationToken = default) =>
        QueryAsync<IReadOnlyList<EventSubscriptionInfo>>(async db =>
        {
            var rows = db.Subscriptions.AsNoTracking();
            if (instanceId is not null)
            {
                rows = rows.Where(s => s.InstanceId == instanceId);
            }

            var list = await rows.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
            return list.Select(s => EventSubscriptionInfo.From(EntityMapping.ToRecord(s))).ToList();
        }, cancellationToken);

    /// <summary>Open incidents (resolved ones stay in the table for the admin queries and history).</summary>
    public ValueTask<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(Guid? instanceId, CancellationToken cancellationToken = default) =>
        QueryAsync<IReadOnlyList<IncidentInfo>>(async db =>
        {
            var rows = db.Incidents.AsNoTracking().Where(i => i.ResolvedAt == null);
            if (instanceId is not null)
            {
                rows = rows.Where(i => i.InstanceId == instanceId);
            }

            var list = await rows.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).ToListAsync(cancellationToken);
            return list.Select(EntityMapping.ToInfo).ToList();
        }, cancellationToken);

    internal async ValueTask<T> QueryAsync<T>(Func<WorkflowDbContext, Task<T>> query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return await query(db);
    }

    private static async Task<IReadOnlyList<UserTaskInfo>> LoadTasksAsync(WorkflowDbContext db, List<Guid> ids, CancellationToken cancellationToken)
    {
        var result = new List<UserTaskInfo>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            var tasks = await db.Tasks.AsNoTracking().Where(t => chunk.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
            var candidates = (await db.TaskCandidates.AsNoTracking().Where(c => chunk.Contains(c.TaskId)).ToListAsync(cancellationToken))
                .ToLookup(c => c.TaskId);
            foreach (var id in chunk)
            {
                if (tasks.TryGetValue(id, out var task))
                {
                    result.Add(EntityMapping.ToInfo(task, candidates[id]));
                }
            }
        }

        return result;
    }
}

/// <summary>
/// The inbox query: one index range scan per principal (assignee, candidate user, each role) on the active rows of
/// wf_task_candidates, each cut to the page end, merged and de-duplicated. Cost grows with the page, not the table.
/// </summary>
internal static class InboxQuery
{
    public static async Task<List<Guid>> PageAsync(
        DbConnection connection, DatabaseProvider provider, string userId, IReadOnlyCollection<string> roles, int skip, int take, CancellationToken cancellationToken)
    {
        var active = provider == DatabaseProvider.Sqlite ? "\"active\" = 1" : "\"active\"";
        var limit = take == int.MaxValue ? long.MaxValue : (long)skip + take;
        await using var command = connection.CreateCommand();
        var parts = new List<string>();
        void Principal(CandidateKind kind, string value)
        {
            var name = "@p" + parts.Count;
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
            parts.Add($"""
                SELECT * FROM (SELECT "task_id", "due_key" FROM "wf_task_candidates"
                WHERE {active} AND "kind" = {(int)kind} AND "value" = {name}
                ORDER BY "due_key", "task_id" LIMIT @limit) AS p{parts.Count}
                """);
        }

        Principal(CandidateKind.Assignee, userId);
        Principal(CandidateKind.User, userId);
        foreach (var role in roles.Distinct(StringComparer.Ordinal))
        {
            Principal(CandidateKind.Role, role);
        }

        var limitParameter = command.CreateParameter();
        limitParameter.ParameterName = "@limit";
        limitParameter.Value = limit;
        command.Parameters.Add(limitParameter);
        var page = command.CreateParameter();
        page.ParameterName = "@take";
        page.Value = take == int.MaxValue ? long.MaxValue : take;
        command.Parameters.Add(page);
        var offset = command.CreateParameter();
        offset.ParameterName = "@skip";
        offset.Value = (long)skip;
        command.Parameters.Add(offset);
        command.CommandText = $"""
            SELECT "task_id" FROM ({string.Join(" UNION ALL ", parts)}) AS x
            GROUP BY "task_id" ORDER BY MIN("due_key"), "task_id" LIMIT @take OFFSET @skip
            """;

        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var value = reader.GetValue(0);
            ids.Add(value is Guid g ? g : Guid.Parse((string)value));
        }

        return ids;
    }
}
