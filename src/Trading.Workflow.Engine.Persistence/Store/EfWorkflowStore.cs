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
public sealed class EfWorkflowStore(WorkflowDatabase database, TimeProvider time) : IWorkflowStore, IAsyncDisposable, IDisposable
{
    private readonly Lazy<RowMaps> _maps = new(() => new RowMaps(database));
    // SQLite only: on PostgreSQL commands commit side by side on their own connections (see CommitGroup).
    private readonly CommitGroup? _group =
        database.Options.GroupCommits && database.Provider == DatabaseProvider.Sqlite ? new CommitGroup(database) : null;

    private readonly CommitCounts _counts = new();

    // What this store committed, so the next command on an instance needs no read (see InstanceCache).
    private readonly InstanceCache _cache = new();

    public ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IWorkflowSession>(new EfWorkflowSession(database, _maps.Value, time, _group, _counts, _cache));

    /// <summary>The instances held as last committed.</summary>
    internal InstanceCache Cache => _cache;

    /// <summary>Commits of commands whose handlers had begun the transaction: they commit in it, never grouped (tests).</summary>
    internal long HandlerTransactionCommits => _counts.InHandlerTransaction;

    internal CommitGroup? CommitGroup => _group;

    /// <summary>Closes the connection the grouped commits keep open.</summary>
    public ValueTask DisposeAsync() => _group?.DisposeAsync() ?? ValueTask.CompletedTask;

    public void Dispose() => _group?.Dispose();

    /// <summary>
    /// Grouped commits so far: database transactions and the command commits they carried (both 0 when grouping is
    /// off, and always on PostgreSQL, where the server groups concurrent commits' WAL flushes itself).
    /// </summary>
    public (long Flushes, long Commits) GroupedCommits => _group is null ? (0, 0) : (_group.Flushes, _group.Commits);

    /// <summary>Time grouped flushes spent on statements and on committing so far (both zero when grouping is off).</summary>
    public (TimeSpan Statements, TimeSpan Commits) GroupFlushTimes => _group?.FlushTimes ?? default;

    public async ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default) =>
        (await ReadTasksAsync(Where([(nameof(TaskEntity.Id), "=", taskId)]), cancellationToken)).FirstOrDefault();

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
        return InboxAsync();

        async ValueTask<IReadOnlyList<UserTaskInfo>> InboxAsync()
        {
            await using var lease = await database.LeaseConnectionAsync(cancellationToken);
            return await InboxQuery.PageAsync(lease.Connection, database.Provider, userId, roles, skip, take, cancellationToken);
        }
    }

    public async ValueTask<IReadOnlyList<UserTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) =>
        await ReadTasksAsync(TaskQueryWhere(query), cancellationToken);

    /// <summary>The condition of a task query on wf_tasks (templates as in <see cref="StatementBatch"/>) and its values.</summary>
    internal (string Where, object?[] Values) TaskQueryWhere(TaskQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = new List<(string Property, string Operator, object? Value)>();

        void Filter(string property, object? value, string op = "=")
        {
            if (value is not null)
            {
                filters.Add((property, op, value));
            }
        }

        Filter(nameof(TaskEntity.InstanceId), query.InstanceId);
        Filter(nameof(TaskEntity.BusinessKey), query.BusinessKey);
        Filter(nameof(TaskEntity.ProcessId), query.ProcessId);
        Filter(nameof(TaskEntity.ElementId), query.ElementId);
        Filter(nameof(TaskEntity.Assignee), query.Assignee);
        Filter(nameof(TaskEntity.Due), query.DueBefore, "<=");

        // An open task's assignee has an active row in the inbox index (wf_task_candidates), so the assignee's open
        // tasks are found there, not through an index of wf_tasks that every task insert and completion would write.
        return Where(filters, query.OpenOnly, query.OpenOnly ? query.Assignee : null);
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
            var list = await Instances(db, query).ToListAsync(cancellationToken);
            return list.Select(EntityMapping.ToInfo).ToList();
        }, cancellationToken);
    }

    /// <summary>The rows of an instance query, in start order.</summary>
    internal static IQueryable<InstanceEntity> Instances(WorkflowDbContext db, InstanceQuery query)
    {
        var rows = db.Instances.AsNoTracking();
        if (query.InstanceId is { } id)
        {
            rows = rows.Where(i => i.Id == id);
        }

        if (query.InstanceIds is { } ids)
        {
            rows = rows.Where(i => ids.Contains(i.Id));
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

        return rows.OrderBy(i => i.StartedAt).ThenBy(i => i.Id);
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
            return HistoryRows.Expand(rows).Select(EntityMapping.ToEvent).ToList();
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
        await using var lease = await database.LeaseConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(lease.Connection);
        return await query(db);
    }

    /// <summary>
    /// Every filter (column operator value), the open state when asked and, for an open-task query by assignee, the
    /// inbox lookup, ANDed. The conditions of partial indexes are written as the indexes spell them, never bound:
    /// SQLite proves such a condition from a bound value by reading it, and then compiles the statement again whenever
    /// it is bound anew (every run).
    /// </summary>
    private (string Where, object?[] Values) Where(
        List<(string Property, string Operator, object? Value)> filters, bool openOnly = false, string? openAssignee = null)
    {
        var maps = _maps.Value;
        var tasks = maps.For<TaskEntity>();
        var candidates = maps.For<TaskCandidateEntity>();
        var values = new List<object?>(filters.Count + 1);
        var conditions = new List<string>(filters.Count + 2);
        if (openOnly)
        {
            // As IX_wf_tasks_open_due spells it.
            conditions.Add($"{tasks.Column(nameof(TaskEntity.State)).Name} = {(int)UserTaskState.Open}");
        }

        foreach (var (property, op, value) in filters)
        {
            var column = tasks.Column(property);
            conditions.Add($"{column.Name} {op} {{{values.Count}}}");
            values.Add(column.ToProvider(value));
        }

        if (openAssignee is not null)
        {
            // The assignee's active access rows: one range of the inbox index (IX_wf_task_candidates_inbox).
            var active = database.Provider == DatabaseProvider.Sqlite ? "\"active\" = 1" : "\"active\"";
            conditions.Add(
                $"{tasks.Column(nameof(TaskEntity.Id)).Name} IN (SELECT {candidates.Column(nameof(TaskCandidateEntity.TaskId)).Name} FROM {candidates.Table} "
                + $"WHERE {active} AND {candidates.Column(nameof(TaskCandidateEntity.Kind)).Name} = {(int)CandidateKind.Assignee} "
                + $"AND {candidates.Column(nameof(TaskCandidateEntity.Value)).Name} = {{{values.Count}}})");
            values.Add(openAssignee);
        }

        return (conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions), [.. values]);
    }

    /// <summary>The two statements of a task read: the matching tasks, oldest first, then their candidates.</summary>
    internal StatementBatch TaskRows((string Where, object?[] Values) condition)
    {
        var maps = _maps.Value;
        var tasks = maps.For<TaskEntity>();
        var candidates = maps.For<TaskCandidateEntity>();
        var id = tasks.Column(nameof(TaskEntity.Id)).Name;
        var (where, values) = condition;
        var batch = new StatementBatch(database.Provider);
        batch.Add($"SELECT {tasks.SelectList} FROM {tasks.Table}{where} ORDER BY {tasks.Column(nameof(TaskEntity.CreatedAt)).Name}, {id}", values);
        batch.Add(
            $"SELECT {candidates.SelectList} FROM {candidates.Table} WHERE {candidates.Column(nameof(TaskCandidateEntity.TaskId)).Name} IN (SELECT {id} FROM {tasks.Table}{where})",
            values);
        return batch;
    }

    /// <summary>
    /// The tasks matching the condition, oldest first, with their candidates: one round trip of two statements on plain
    /// ADO.NET (a command's task lookups run on this path).
    /// </summary>
    private async Task<IReadOnlyList<UserTaskInfo>> ReadTasksAsync((string Where, object?[] Values) condition, CancellationToken cancellationToken)
    {
        var maps = _maps.Value;
        var tasks = maps.For<TaskEntity>();
        var candidates = maps.For<TaskCandidateEntity>();
        var batch = TaskRows(condition);
        var rows = new List<TaskEntity>();
        var access = new List<TaskCandidateEntity>();
        await using var lease = await database.LeaseConnectionAsync(cancellationToken);
        await batch.ExecuteAsync(lease.Connection, null, async (reader, token) =>
        {
            while (await reader.ReadAsync(token))
            {
                rows.Add(tasks.Read<TaskEntity>(reader));
            }

            await reader.NextResultAsync(token);
            while (await reader.ReadAsync(token))
            {
                access.Add(candidates.Read<TaskCandidateEntity>(reader));
            }
        }, cancellationToken);
        var byTask = access.ToLookup(c => c.TaskId);
        return rows.Select(t => EntityMapping.ToInfo(t, byTask[t.Id])).ToList();
    }
}

/// <summary>
/// The inbox query, one round trip: one index range scan per principal (assignee, candidate user, each role) on
/// the active rows of wf_task_candidates, each cut to the page end, merged and de-duplicated; the page's tasks
/// and their candidates joined on. Cost grows with the page, not the table.
/// </summary>
internal static class InboxQuery
{
    private const string TaskColumns = """
        t."id", t."instance_id", t."process_id", t."process_version", t."business_key", t."element_id", t."name", t."documentation",
        t."assignee", t."owner", t."form_key", t."due", t."follow_up", t."priority", t."state", t."created_at", t."claimed_by",
        t."claimed_at", t."completed_by", t."completed_at", t."delegation_note"
        """;

    public static async Task<List<UserTaskInfo>> PageAsync(
        DbConnection connection, DatabaseProvider provider, string userId, IReadOnlyCollection<string> roles, int skip, int take, CancellationToken cancellationToken)
    {
        var sqlite = provider == DatabaseProvider.Sqlite;
        var active = sqlite ? "\"active\" = 1" : "\"active\"";
        await using var command = connection.CreateCommand();
        var parts = new List<string>();
        void Add(string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        void Principal(CandidateKind kind, string value)
        {
            var name = "@p" + parts.Count;
            Add(name, value);
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

        Add("@limit", take == int.MaxValue ? long.MaxValue : (long)skip + take);
        Add("@take", take == int.MaxValue ? long.MaxValue : take);
        Add("@skip", (long)skip);
        command.CommandText = $"""
            SELECT {TaskColumns}, c."kind", c."value", page."due_key"
            FROM (SELECT "task_id", MIN("due_key") AS "due_key" FROM ({string.Join(" UNION ALL ", parts)}) AS x
                  GROUP BY "task_id" ORDER BY MIN("due_key"), "task_id" LIMIT @take OFFSET @skip) AS page
            JOIN "wf_tasks" t ON t."id" = page."task_id"
            LEFT JOIN "wf_task_candidates" c ON c."task_id" = t."id" AND c."kind" <> 0
            ORDER BY page."due_key", page."task_id"
            """;

        var result = new List<UserTaskInfo>();
        Guid? current = null;
        UserTaskInfo? task = null;
        List<string> users = [];
        List<string> candidateRoles = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = ReadGuid(reader, 0);
            if (id != current)
            {
                current = id;
                users = [];
                candidateRoles = [];
                task = new UserTaskInfo(
                    id, ReadGuid(reader, 1), reader.GetString(2), reader.GetInt32(3), Text(reader, 4), reader.GetString(5), Text(reader, 6), Text(reader, 7),
                    Text(reader, 8), Text(reader, 9), users, candidateRoles, Text(reader, 10), Time(reader, 11, sqlite), Time(reader, 12, sqlite),
                    reader.GetInt32(13), (UserTaskState)reader.GetInt32(14), Time(reader, 15, sqlite)!.Value, Text(reader, 16), Time(reader, 17, sqlite),
                    Text(reader, 18), Time(reader, 19, sqlite), Text(reader, 20));
                result.Add(task);
            }

            if (!reader.IsDBNull(21))
            {
                (reader.GetInt32(21) == (int)CandidateKind.User ? users : candidateRoles).Add(reader.GetString(22));
            }
        }

        return result;
    }

    private static Guid ReadGuid(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) is Guid g ? g : Guid.Parse(reader.GetString(ordinal));

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Time(DbDataReader reader, int ordinal, bool sqlite) =>
        reader.IsDBNull(ordinal) ? null
        : sqlite ? new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero)
        : reader.GetFieldValue<DateTimeOffset>(ordinal);
}

/// <summary>How the store's commands committed (tests).</summary>
internal sealed class CommitCounts
{
    private long _inHandlerTransaction;

    public long InHandlerTransaction => Interlocked.Read(ref _inHandlerTransaction);

    public void CountInHandlerTransaction() => Interlocked.Increment(ref _inHandlerTransaction);
}
