using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Queries;

/// <summary>
/// SQL that turns a business-key column expression into the project code it belongs to (NULL for a key of no
/// project). Given by the caller's project rules; the query services here put it into their own SQL.
/// </summary>
public delegate string ProjectCodeSql(DatabaseProvider provider, string keyExpression);

/// <summary>
/// The reverse of <see cref="ProjectCodeSql"/>, for filters by project code: a query (one text column) of the business
/// keys that are not the code itself but belong to a project whose code column meets the condition
/// <paramref name="codeCondition"/> builds (a notice review's notice id, say); null when every key is its project's code.
/// The query services here put it into an <c>IN</c>, so both sides of the filter read an index.
/// </summary>
public delegate string? ProjectKeysSql(DatabaseProvider provider, Func<string, string> codeCondition);

/// <summary>One principal a task is offered to (the assignee, a candidate user, a candidate role).</summary>
public readonly record struct InboxPrincipal(CandidateKind Kind, string Value);

/// <summary>A page of open tasks read from the inbox index.</summary>
public sealed record OpenTaskPageQuery
{
    public required IReadOnlyList<InboxPrincipal> Principals { get; init; }

    /// <summary>
    /// Per principal (same order), the project codes in which the user is that candidate: a task of a project is
    /// offered only within them, a task of no project always. Null: no project scoping. Needs <see cref="ProjectCode"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyCollection<string>>? Scopes { get; init; }

    public ProjectCodeSql? ProjectCode { get; init; }

    /// <summary>Business-key (project code) prefix.</summary>
    public string? BusinessKeyPrefix { get; init; }

    /// <summary>The keys that belong to a project without being its code: <see cref="BusinessKeyPrefix"/> finds them by their project's code.</summary>
    public ProjectKeysSql? ProjectKeys { get; init; }

    /// <summary>Process-id prefix (a trade type and its dot).</summary>
    public string? ProcessIdPrefix { get; init; }

    /// <summary>With <see cref="ProcessIdPrefix"/> and <see cref="ProjectKeys"/>: a <c>LIKE</c> pattern of the trade's project codes, whose other keys (a notice review's notice) belong to the trade too.</summary>
    public string? ProjectCodeLike { get; init; }

    /// <summary>Only tasks due after this instant.</summary>
    public DateTimeOffset? DueAfter { get; init; }

    /// <summary>Only tasks due at or before this instant.</summary>
    public DateTimeOffset? DueAtOrBefore { get; init; }

    public bool ByPriority { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 20;

    /// <summary>The count stops at this number plus one.</summary>
    public int CountCap { get; init; } = 10_000;
}

/// <summary>A page of rows in order, and their count (at most the query's cap plus one).</summary>
public sealed record QueryPage<T>(IReadOnlyList<T> Rows, int Count);

/// <summary>One row of the instance list.</summary>
public sealed record InstanceListRow(
    Guid Id, string ProcessId, int ProcessVersion, string? BusinessKey, InstanceState State, DateTimeOffset StartedAt, string? StartedBy, DateTimeOffset? EndedAt);

/// <summary>One stored version of a procedure without its BPMN.</summary>
public sealed record DefinitionHead(string ProcessId, string? Name, int? Version, DefinitionState State);

public sealed record InstancePageQuery
{
    /// <summary>
    /// The project codes the reader may read: an instance of a project is listed only within them, an instance of
    /// no project always. Null: every instance. Needs <see cref="ProjectCode"/>.
    /// </summary>
    public IReadOnlyCollection<string>? ReadableProjects { get; init; }

    public ProjectCodeSql? ProjectCode { get; init; }

    public string? BusinessKeyPrefix { get; init; }

    /// <summary>The keys that belong to a project without being its code: <see cref="BusinessKeyPrefix"/> finds them by their project's code.</summary>
    public ProjectKeysSql? ProjectKeys { get; init; }

    public string? ProcessIdPrefix { get; init; }

    /// <summary>With <see cref="ProcessIdPrefix"/> and <see cref="ProjectKeys"/>: a <c>LIKE</c> pattern of the trade's project codes, whose other keys (a notice review's notice) belong to the trade too.</summary>
    public string? ProjectCodeLike { get; init; }

    public InstanceState? State { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 20;

    public int CountCap { get; init; } = 10_000;
}

/// <summary>
/// The read side of the engine's tables for the applications on top of it (inbox pages, instance lists, procedure
/// counts, health): every SQL on <c>wf_*</c> engine tables lives in this project, so a schema change is made and
/// tested in one place. Each call opens its own short connection.
/// </summary>
public sealed class WorkflowQueries(WorkflowDatabase database)
{
    public DatabaseProvider Provider => database.Provider;

    // ------------------------------------------------------------------ inbox

    /// <summary>
    /// Open tasks offered to any of the principals, paged in the database: the inbox index (wf_task_candidates) is
    /// walked with one range scan per principal in due order, each cut at the page end, and the task joined only
    /// for the filters, so a page costs about the same with a thousand or a million tasks.
    /// </summary>
    public async Task<QueryPage<TaskEntity>> OpenTasksAsync(OpenTaskPageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Take, 1);
        if (query.Scopes is not null && (query.ProjectCode is null || query.Scopes.Count != query.Principals.Count))
        {
            throw new ArgumentException("Scopes need a ProjectCode and one entry per principal.", nameof(query));
        }

        if (query.Principals.Count == 0)
        {
            return new QueryPage<TaskEntity>([], 0);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var ids = await PageIdsAsync(connection, query, cancellationToken);
        // A page short of full saw every match: no principal's scan reached its limit of Skip + Take rows (each would have
        // given that many distinct tasks). A user with few tasks among a province's then costs one scan.
        if (TotalOfShortPage(query.Skip, query.Take, ids.Count, query.CountCap) is not { } count)
        {
            await using var command = connection.CreateCommand();
            var union = BuildUnion(command, query, query.CountCap + 1L);
            command.CommandText = $"""SELECT COUNT(*) FROM (SELECT "task_id" FROM ({union}) AS x GROUP BY "task_id") AS y""";
            count = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (ids.Count == 0)
        {
            return new QueryPage<TaskEntity>([], count);
        }

        await using var db = database.CreateContext(connection);
        var tasks = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);
        return new QueryPage<TaskEntity>(ids.Where(tasks.ContainsKey).Select(id => tasks[id]).ToList(), count);
    }

    /// <summary>Tasks the user completed, newest first.</summary>
    public async Task<QueryPage<TaskEntity>> CompletedTasksAsync(
        string userId, string? businessKeyPrefix, string? processIdPrefix, int skip, int take, int countCap = 10_000, CancellationToken cancellationToken = default,
        ProjectKeysSql? projectKeys = null, string? projectCodeLike = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var tasks = db.Tasks.AsNoTracking();
        var values = new List<object>();
        string Value(object v)
        {
            values.Add(v);
            return $"{{{values.Count - 1}}}";
        }

        var conditions = new List<string>();
        if (!string.IsNullOrEmpty(businessKeyPrefix))
        {
            conditions.Add(KeyPrefixCondition("t.\"business_key\"", businessKeyPrefix, projectKeys, Value, forFromSql: true));
        }

        var trade = string.IsNullOrEmpty(processIdPrefix) ? null : TradeCondition("t.\"process_id\"", "t.\"business_key\"", processIdPrefix, projectCodeLike, projectKeys, Value, forFromSql: true);
        if (trade is not null)
        {
            conditions.Add(trade);
        }

        if (conditions.Count > 0)
        {
            // The conditions are this method's own SQL and the caller's key mapping; every value is a parameter.
            var sql = "SELECT * FROM \"wf_tasks\" t WHERE " + string.Join(" AND ", conditions);
            tasks = db.Tasks.FromSqlRaw(sql, [.. values]).AsNoTracking();
        }

        tasks = tasks.Where(t => t.State == (int)UserTaskState.Completed && t.CompletedBy == userId);
        if (!string.IsNullOrEmpty(processIdPrefix) && trade is null)
        {
            tasks = tasks.Where(t => t.ProcessId.StartsWith(processIdPrefix));
        }

        var count = await tasks.Take(countCap + 1).CountAsync(cancellationToken);
        var page = await tasks.OrderByDescending(t => t.CompletedAt).ThenBy(t => t.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new QueryPage<TaskEntity>(page, count);
    }

    /// <summary>
    /// A business key starting with the prefix, or (with <paramref name="projectKeys"/>) one of the keys of projects whose
    /// code starts with it. <paramref name="parameter"/> adds a value and returns its placeholder.
    /// </summary>
    private string KeyPrefixCondition(string keyColumn, string prefix, ProjectKeysSql? projectKeys, Func<object, string> parameter, bool forFromSql = false) =>
        CallerSql(parameter, forFromSql, p =>
        {
            var starts = StartsWith(prefix, p);
            return projectKeys?.Invoke(database.Provider, starts) is { } keys
                ? $"({starts(keyColumn)} OR {keyColumn} IN ({keys}))"
                : starts(keyColumn);
        });

    /// <summary>
    /// A trade's rows: its procedures by process-id prefix, or a key of one of its projects (by the code pattern) that is
    /// not the code itself: the notice review, a procedure of no trade, belongs to its notice's project's trade. Null
    /// without a pattern or a key mapping: the process-id prefix alone is the trade.
    /// </summary>
    private string? TradeCondition(
        string processColumn, string keyColumn, string processIdPrefix, string? projectCodeLike, ProjectKeysSql? projectKeys, Func<object, string> parameter, bool forFromSql = false)
    {
        if (string.IsNullOrEmpty(projectCodeLike) || projectKeys?.Invoke(database.Provider, _ => "1 = 1") is null)
        {
            return null;
        }

        return CallerSql(parameter, forFromSql, p =>
        {
            var starts = StartsWith(processIdPrefix, p);
            var pattern = p(projectCodeLike);
            return $"({starts(processColumn)} OR {keyColumn} IN ({projectKeys(database.Provider, column => $"{column} LIKE {pattern}")}))";
        });
    }

    // A range on SQLite, not LIKE (case-insensitive there, so it cannot use an index); LIKE on PostgreSQL, which reads
    // the text_pattern_ops indexes.
    private Func<string, string> StartsWith(string prefix, Func<object, string> parameter)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var (low, high) = (parameter(prefix), parameter(prefix + char.MaxValue));
            return column => $"{column} >= {low} AND {column} < {high}";
        }

        var like = parameter(Escape(prefix) + "%");
        return column => $"{column} LIKE {like} ESCAPE '\\'";
    }

    /// <summary>
    /// SQL holding the caller's mapping, built by <paramref name="build"/> with <paramref name="parameter"/>'s placeholders.
    /// For FromSqlRaw, which formats the text (braces are its placeholders) while the caller's SQL may hold braces of its
    /// own: the placeholders go in as tokens, the braces are doubled, then the tokens become placeholders.
    /// </summary>
    private static string CallerSql(Func<object, string> parameter, bool forFromSql, Func<Func<object, string>, string> build)
    {
        if (!forFromSql)
        {
            return build(parameter);
        }

        var placeholders = new List<string>();
        var sql = build(value =>
        {
            placeholders.Add(parameter(value));
            return $"\u0001{placeholders.Count - 1}\u0001";
        });
        sql = sql.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        for (var i = 0; i < placeholders.Count; i++)
        {
            sql = sql.Replace($"\u0001{i}\u0001", placeholders[i], StringComparison.Ordinal);
        }

        return sql;
    }

    /// <summary>The BPMN of a deployed version; null when there is none.</summary>
    public async Task<string?> DefinitionXmlAsync(string processId, int version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return await db.Definitions.AsNoTracking()
            .Where(d => d.ProcessId == processId && d.Version == version)
            .Select(d => d.BpmnXml)
            .FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<List<Guid>> PageIdsAsync(DbConnection connection, OpenTaskPageQuery query, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var union = BuildUnion(command, query, (long)query.Skip + query.Take);
        var order = query.ByPriority ? "MAX(\"priority\") DESC, MIN(\"due_key\"), \"task_id\"" : "MIN(\"due_key\"), \"task_id\"";
        Add(command, "@take", (long)query.Take);
        Add(command, "@skip", (long)query.Skip);
        command.CommandText = $"""
            SELECT "task_id" FROM ({union}) AS x GROUP BY "task_id" ORDER BY {order} LIMIT @take OFFSET @skip
            """;
        var ids = new List<Guid>(query.Take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var value = reader.GetValue(0);
            ids.Add(value is Guid g ? g : Guid.Parse((string)value));
        }

        return ids;
    }

    private string BuildUnion(DbCommand command, OpenTaskPageQuery query, long limit)
    {
        var sqlite = database.Provider == DatabaseProvider.Sqlite;
        var active = sqlite ? "c.\"active\" = 1" : "c.\"active\"";
        var conditions = new List<string>();
        if (!string.IsNullOrEmpty(query.BusinessKeyPrefix))
        {
            // A selective code reads the business-key index (and the project's other keys through theirs) instead of
            // walking the whole inbox in due order.
            var n = 0;
            conditions.Add(KeyPrefixCondition("t.\"business_key\"", query.BusinessKeyPrefix, query.ProjectKeys, value =>
            {
                var name = $"@code{n++}";
                Add(command, name, value);
                return name;
            }));
        }

        if (!string.IsNullOrEmpty(query.ProcessIdPrefix))
        {
            var n = 0;
            conditions.Add(TradeCondition("t.\"process_id\"", "t.\"business_key\"", query.ProcessIdPrefix, query.ProjectCodeLike, query.ProjectKeys, value =>
            {
                var name = $"@trade{n++}";
                Add(command, name, value);
                return name;
            }) ?? AddTradePrefix(command, query.ProcessIdPrefix));
        }

        if (query.DueAfter is { } after)
        {
            Add(command, "@after", after.UtcTicks);
            conditions.Add("c.\"due_key\" > @after");
        }

        if (query.DueAtOrBefore is { } until)
        {
            Add(command, "@until", until.UtcTicks);
            conditions.Add("c.\"due_key\" <= @until");
        }

        Add(command, "@limit", limit);
        var join = conditions.Count > 0 || query.ByPriority || query.Scopes is not null ? "JOIN \"wf_tasks\" t ON t.\"id\" = c.\"task_id\"" : string.Empty;
        var where = conditions.Count > 0 ? " AND " + string.Join(" AND ", conditions) : string.Empty;
        var priority = join.Length > 0 ? "t.\"priority\"" : "0";
        var order = query.ByPriority ? "t.\"priority\" DESC, c.\"due_key\", c.\"task_id\"" : "c.\"due_key\", c.\"task_id\"";
        var parts = new List<string>();
        for (var i = 0; i < query.Principals.Count; i++)
        {
            Add(command, $"@k{i}", (int)query.Principals[i].Kind);
            Add(command, $"@v{i}", query.Principals[i].Value);
            var scope = query.Scopes is null ? string.Empty : " AND " + ScopeCondition(command, "t.\"business_key\"", $"@s{i}", query.ProjectCode!, query.Scopes[i]);
            parts.Add($"""
                SELECT * FROM (SELECT c."task_id", c."due_key", {priority} AS "priority" FROM "wf_task_candidates" c {join}
                WHERE {active} AND c."kind" = @k{i} AND c."value" = @v{i}{where}{scope}
                ORDER BY {order} LIMIT @limit) AS p{i}
                """);
        }

        return string.Join(" UNION ALL ", parts);
    }

    // The row belongs to no project, or to one of the given project codes (a JSON array on SQLite, an array on PostgreSQL).
    private string ScopeCondition(DbCommand command, string keyColumn, string parameter, ProjectCodeSql projectCode, IReadOnlyCollection<string> codes)
    {
        var project = projectCode(database.Provider, keyColumn);
        var noProject = $"({keyColumn} IS NULL OR {project} IS NULL)";
        if (codes.Count == 0)
        {
            return noProject;
        }

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            Add(command, parameter, System.Text.Json.JsonSerializer.Serialize(codes));
            return $"({noProject} OR {project} IN (SELECT value FROM json_each({parameter})))";
        }

        Add(command, parameter, codes.ToArray());
        return $"({noProject} OR {project} = ANY({parameter}))";
    }

    // ------------------------------------------------------------------ instances

    /// <summary>
    /// Instances newest first, with the reader's project scope and the filters applied in the database: the page walks
    /// the instances by start time (<c>IX_wf_instances_started</c>) and stops once it has its rows.
    /// </summary>
    public async Task<QueryPage<InstanceListRow>> InstancesAsync(InstancePageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var rows = InstanceRows(db, query);
        var page = await InstancePage(rows, query)
            .Select(i => new { i.Id, i.ProcessId, i.ProcessVersion, i.BusinessKey, i.State, i.StartedAt, i.StartedBy, i.EndedAt })
            .ToListAsync(cancellationToken);

        var total = TotalOfShortPage(query.Skip, query.Take, page.Count, query.CountCap)
            ?? await rows.Take(query.CountCap + 1).CountAsync(cancellationToken);
        return new QueryPage<InstanceListRow>(
            page.Select(i => new InstanceListRow(i.Id, i.ProcessId, i.ProcessVersion, i.BusinessKey, (InstanceState)i.State, i.StartedAt, i.StartedBy, i.EndedAt)).ToList(),
            total);
    }

    /// <summary>
    /// The total of a page short of full, which holds every row from <paramref name="skip"/> on (capped as a count is);
    /// null for a full page, or an empty one past the end (which says nothing of the rows before it).
    /// </summary>
    private static int? TotalOfShortPage(int skip, int take, int rows, int countCap) =>
        rows < take && (rows > 0 || skip == 0) ? (int)Math.Min(skip + (long)rows, countCap + 1L) : null;

    internal static IQueryable<InstanceEntity> InstancePage(IQueryable<InstanceEntity> rows, InstancePageQuery query) =>
        rows.OrderByDescending(i => i.StartedAt).ThenBy(i => i.Id).Skip(query.Skip).Take(query.Take);

    /// <summary>The instances the query selects, unordered.</summary>
    internal IQueryable<InstanceEntity> InstanceRows(WorkflowDbContext db, InstancePageQuery query)
    {
        var rows = db.Instances.AsNoTracking();
        var sqlite = database.Provider == DatabaseProvider.Sqlite;
        var project = query.ProjectCode?.Invoke(database.Provider, "i.\"business_key\"").Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
        var conditions = new List<string>();
        var values = new List<object>();
        if (query.ReadableProjects is { } readable)
        {
            if (project is null)
            {
                throw new ArgumentException("ReadableProjects needs a ProjectCode.", nameof(query));
            }

            conditions.Add($"(i.\"business_key\" IS NULL OR {project} IS NULL OR "
                           + (sqlite ? $"{project} IN (SELECT value FROM json_each({{{values.Count}}})))" : $"{project} = ANY({{{values.Count}}}))"));
            values.Add(sqlite ? System.Text.Json.JsonSerializer.Serialize(readable) : readable.ToArray());
        }

        if (!string.IsNullOrEmpty(query.BusinessKeyPrefix))
        {
            // The key itself, or a key of a project with that code (a notice review's key is its notice): a project's
            // code finds every procedure of the project.
            conditions.Add(KeyPrefixCondition("i.\"business_key\"", query.BusinessKeyPrefix, query.ProjectKeys, value =>
            {
                values.Add(value);
                return $"{{{values.Count - 1}}}";
            }, forFromSql: true));
        }

        var trade = string.IsNullOrEmpty(query.ProcessIdPrefix) ? null : TradeCondition("i.\"process_id\"", "i.\"business_key\"", query.ProcessIdPrefix, query.ProjectCodeLike, query.ProjectKeys, value =>
        {
            values.Add(value);
            return $"{{{values.Count - 1}}}";
        }, forFromSql: true);
        if (trade is not null)
        {
            conditions.Add(trade);
        }

        if (conditions.Count > 0)
        {
            // The conditions are this method's own SQL and the caller's project mapping; every value is a parameter.
            var sql = "SELECT * FROM \"wf_instances\" i WHERE " + string.Join(" AND ", conditions);
            rows = db.Instances.FromSqlRaw(sql, [.. values]).AsNoTracking();
        }

        if (!string.IsNullOrEmpty(query.ProcessIdPrefix) && trade is null)
        {
            var prefix = query.ProcessIdPrefix;
            rows = rows.Where(i => i.ProcessId.StartsWith(prefix));
        }

        if (query.State is { } state)
        {
            rows = rows.Where(i => i.State == (int)state);
        }

        return rows;
    }

    /// <summary>Process ids of running instances (active or suspended, not called ones) with this business key.</summary>
    public async Task<IReadOnlyList<string>> RunningRootProcessIdsAsync(string businessKey, CancellationToken cancellationToken = default)
    {
        var active = new[] { (int)InstanceState.Active, (int)InstanceState.Suspended };
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return await db.Instances.AsNoTracking()
            .Where(i => i.BusinessKey == businessKey && i.ParentInstanceId == null && active.Contains(i.State))
            .Select(i => i.ProcessId)
            .ToListAsync(cancellationToken);
    }

    // ------------------------------------------------------------------ procedures and health

    /// <summary>Every process id with at least one stored version (draft, published or retired).</summary>
    public async Task<IReadOnlyList<string>> ProcessIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return await db.Definitions.AsNoTracking().Select(d => d.ProcessId).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>Running (active or suspended) instances per process id and version.</summary>
    public async Task<IReadOnlyList<(string ProcessId, int Version, int Count)>> RunningCountsAsync(CancellationToken cancellationToken = default)
    {
        var active = new[] { (int)InstanceState.Active, (int)InstanceState.Suspended };
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return (await db.Instances.AsNoTracking().Where(i => active.Contains(i.State))
                .GroupBy(i => new { i.ProcessId, i.ProcessVersion })
                .Select(g => new { g.Key.ProcessId, g.Key.ProcessVersion, Count = g.Count() })
                .ToListAsync(cancellationToken))
            .Select(r => (r.ProcessId, r.ProcessVersion, r.Count)).ToList();
    }

    /// <summary>Every stored version (drafts too) without its BPMN: process id, name, version number, state.</summary>
    public async Task<IReadOnlyList<DefinitionHead>> DefinitionHeadsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return (await db.Definitions.AsNoTracking()
                .Select(d => new { d.ProcessId, d.Name, d.Version, d.State })
                .ToListAsync(cancellationToken))
            .Select(d => new DefinitionHead(d.ProcessId, d.Name, d.Version, d.State)).ToList();
    }

    /// <summary>The BPMN of every numbered version of the process up to <paramref name="maxVersion"/>.</summary>
    public async Task<IReadOnlyList<(int Version, string Xml)>> VersionXmlUpToAsync(string processId, int maxVersion, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return (await db.Definitions.AsNoTracking()
                .Where(d => d.ProcessId == processId && d.Version != null && d.Version <= maxVersion)
                .Select(d => new { Version = d.Version!.Value, d.BpmnXml })
                .ToListAsync(cancellationToken))
            .Select(d => (d.Version, d.BpmnXml)).ToList();
    }

    /// <summary>How many published versions the store holds; throws when the store or its schema is not there.</summary>
    public async Task<long> PublishedVersionCountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"wf_definitions\" WHERE \"state\" = 1";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string AddTradePrefix(DbCommand command, string processIdPrefix)
    {
        Add(command, "@trade", Escape(processIdPrefix) + "%");
        return "t.\"process_id\" LIKE @trade ESCAPE '\\'";
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
