using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Quartz;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Quartz.Reminders;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Web.Workflow;

public enum InboxTab
{
    /// <summary>Open tasks assigned to the user.</summary>
    Mine,

    /// <summary>Open, unclaimed tasks offered to the user or one of the user's roles.</summary>
    Group,

    /// <summary>Tasks the user completed, newest first.</summary>
    Completed,
}

public enum DueFilter
{
    Any,
    NearDue,
    Overdue,
}

public enum InboxSort
{
    DueDate,
    Priority,
}

public sealed record InboxFilter(InboxTab Tab)
{
    /// <summary>One of <see cref="TradeTypes"/>; null for all.</summary>
    public string? TradeType { get; init; }

    /// <summary>Project code (business key) prefix.</summary>
    public string? ProjectCode { get; init; }

    public DueFilter Due { get; init; }

    public InboxSort Sort { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 20;
}

public sealed record InboxRow(
    Guid TaskId,
    Guid InstanceId,
    string ProcessId,
    int ProcessVersion,
    string? BusinessKey,
    string ElementId,
    string? Name,
    string? Assignee,
    DateTimeOffset? Due,
    int Priority,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    TaskDueState DueState)
{
    public string TradeType => TradeTypes.Of(ProcessId);
}

/// <summary>One page of the inbox. <see cref="Total"/> stops counting at <see cref="InboxQueries.CountCap"/> (then <see cref="TotalIsCapped"/>).</summary>
public sealed record InboxPage(IReadOnlyList<InboxRow> Rows, int Total, bool TotalIsCapped);

/// <summary>
/// The inbox, paged in the database. Open tabs walk the engine's inbox index (wf_task_candidates: one range scan
/// per principal, in due order, each cut at the page end) and join the task only for the filters, so a page costs
/// about the same with a thousand or a million tasks; counts stop at <see cref="CountCap"/>.
/// </summary>
public sealed class InboxQueries(WorkflowDatabase database, TaskDueStateEvaluator dueStates, TimeProvider time, Access.WorkflowAccess? access = null)
{
    public const int CountCap = 10_000;

    // Element names per deployed version; a published version never changes, so they are read once.
    private readonly ConcurrentDictionary<(string ProcessId, int Version), IReadOnlyDictionary<string, string>> _elementNames = new();

    public async Task<InboxPage> GetPageAsync(WorkflowUser user, InboxFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(filter.Skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(filter.Take, 1);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        if (filter.Tab == InboxTab.Completed)
        {
            return await CompletedAsync(db, user, filter, cancellationToken);
        }

        var principals = filter.Tab == InboxTab.Mine
            ? [(CandidateKind.Assignee, user.UserId)]
            : new List<(CandidateKind, string)> { (CandidateKind.User, user.UserId) }.Concat(user.Roles.Select(r => (CandidateKind.Role, r))).ToList();

        // Offered tasks of a project reach only its parties: per principal, the projects in which the user is that
        // candidate (a role of the procedure is that role of the project). Tasks of no project keep the earlier rule.
        IReadOnlyList<IReadOnlyCollection<string>>? scopes = null;
        if (filter.Tab == InboxTab.Group && access is not null)
        {
            var codes = await access.CodesAsync(user, cancellationToken);
            scopes = principals.Select(p => p.Item1 == CandidateKind.User
                ? codes.Receiving
                : codes.ByRole.GetValueOrDefault(p.Item2) ?? []).ToList();
        }

        var ids = await PageIdsAsync(connection, principals, scopes, filter, filter.Skip + filter.Take, filter.Skip, filter.Take, cancellationToken);
        var count = await CountAsync(connection, principals, scopes, filter, cancellationToken);
        var rows = await LoadAsync(db, ids, cancellationToken);
        return new InboxPage(rows, Math.Min(count, CountCap), count > CountCap);
    }

    private async Task<InboxPage> CompletedAsync(WorkflowDbContext db, WorkflowUser user, InboxFilter filter, CancellationToken cancellationToken)
    {
        var tasks = db.Tasks.AsNoTracking().Where(t => t.State == (int)UserTaskState.Completed && t.CompletedBy == user.UserId);
        if (!string.IsNullOrWhiteSpace(filter.ProjectCode))
        {
            var code = filter.ProjectCode.Trim();
            tasks = tasks.Where(t => t.BusinessKey != null && t.BusinessKey.StartsWith(code));
        }

        if (filter.TradeType is { } tradeType)
        {
            var prefix = tradeType + ".";
            tasks = tasks.Where(t => t.ProcessId.StartsWith(prefix));
        }

        var count = await tasks.Take(CountCap + 1).CountAsync(cancellationToken);
        var page = await tasks.OrderByDescending(t => t.CompletedAt).ThenBy(t => t.Id).Skip(filter.Skip).Take(filter.Take).ToListAsync(cancellationToken);
        // Completed tasks carry no due flag, so no near-due window is needed.
        var now = time.GetUtcNow();
        var rows = await NameUnnamedAsync(db, page.Select(t => ToRow(t, now, now)).ToList(), cancellationToken);
        return new InboxPage(rows, Math.Min(count, CountCap), count > CountCap);
    }

    private async Task<List<Guid>> PageIdsAsync(
        DbConnection connection, IReadOnlyList<(CandidateKind Kind, string Value)> principals, IReadOnlyList<IReadOnlyCollection<string>>? scopes,
        InboxFilter filter, long limit, int skip, int take, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var union = BuildUnion(command, principals, scopes, filter, limit);
        var order = filter.Sort == InboxSort.Priority ? "MAX(\"priority\") DESC, MIN(\"due_key\"), \"task_id\"" : "MIN(\"due_key\"), \"task_id\"";
        Add(command, "@take", (long)take);
        Add(command, "@skip", (long)skip);
        command.CommandText = $"""
            SELECT "task_id" FROM ({union}) AS x GROUP BY "task_id" ORDER BY {order} LIMIT @take OFFSET @skip
            """;
        var ids = new List<Guid>(take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var value = reader.GetValue(0);
            ids.Add(value is Guid g ? g : Guid.Parse((string)value));
        }

        return ids;
    }

    private async Task<int> CountAsync(
        DbConnection connection, IReadOnlyList<(CandidateKind Kind, string Value)> principals, IReadOnlyList<IReadOnlyCollection<string>>? scopes,
        InboxFilter filter, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var union = BuildUnion(command, principals, scopes, filter, CountCap + 1);
        command.CommandText = $"""SELECT COUNT(*) FROM (SELECT "task_id" FROM ({union}) AS x GROUP BY "task_id") AS y""";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private string BuildUnion(
        DbCommand command, IReadOnlyList<(CandidateKind Kind, string Value)> principals, IReadOnlyList<IReadOnlyCollection<string>>? scopes, InboxFilter filter, long limit)
    {
        var active = database.Provider == DatabaseProvider.Sqlite ? "c.\"active\" = 1" : "c.\"active\"";
        var conditions = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter.ProjectCode))
        {
            var code = filter.ProjectCode.Trim();
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                // A range, not LIKE (case-insensitive in SQLite, so it cannot use the index): a selective code reads
                // the business-key index instead of walking the whole inbox in due order.
                Add(command, "@codeLow", code);
                Add(command, "@codeHigh", code + char.MaxValue);
                conditions.Add("t.\"business_key\" >= @codeLow AND t.\"business_key\" < @codeHigh");
            }
            else
            {
                // PostgreSQL uses the text_pattern_ops index of the workflow-web scripts for the prefix.
                Add(command, "@code", Escape(code) + "%");
                conditions.Add("t.\"business_key\" LIKE @code ESCAPE '\\'");
            }
        }

        if (filter.TradeType is { } tradeType)
        {
            Add(command, "@trade", TradeTypes.ProcessIdPattern(tradeType));
            conditions.Add("t.\"process_id\" LIKE @trade");
        }

        var now = time.GetUtcNow();
        if (filter.Due == DueFilter.Overdue)
        {
            Add(command, "@now", now.UtcTicks);
            conditions.Add("c.\"due_key\" <= @now");
        }
        else if (filter.Due == DueFilter.NearDue)
        {
            Add(command, "@now", now.UtcTicks);
            Add(command, "@soon", dueStates.NearDueUntil(now).UtcTicks);
            conditions.Add("c.\"due_key\" > @now AND c.\"due_key\" <= @soon");
        }

        Add(command, "@limit", limit);
        var join = conditions.Count > 0 || filter.Sort == InboxSort.Priority || scopes is not null ? "JOIN \"wf_tasks\" t ON t.\"id\" = c.\"task_id\"" : string.Empty;
        var where = conditions.Count > 0 ? " AND " + string.Join(" AND ", conditions) : string.Empty;
        var priority = join.Length > 0 ? "t.\"priority\"" : "0";
        var order = filter.Sort == InboxSort.Priority ? "t.\"priority\" DESC, c.\"due_key\", c.\"task_id\"" : "c.\"due_key\", c.\"task_id\"";
        var parts = new List<string>();
        for (var i = 0; i < principals.Count; i++)
        {
            Add(command, $"@k{i}", (int)principals[i].Kind);
            Add(command, $"@v{i}", principals[i].Value);
            var scope = scopes is null ? string.Empty : " AND " + ScopeCondition(command, i, scopes[i]);
            parts.Add($"""
                SELECT * FROM (SELECT c."task_id", c."due_key", {priority} AS "priority" FROM "wf_task_candidates" c {join}
                WHERE {active} AND c."kind" = @k{i} AND c."value" = @v{i}{where}{scope}
                ORDER BY {order} LIMIT @limit) AS p{i}
                """);
        }

        return string.Join(" UNION ALL ", parts);
    }

    // The task belongs to no project, or to one of the given project codes (a JSON array on SQLite, an array on
    // PostgreSQL). The project of a business key is whatever the registered parts map it to (a project code, a notice id...).
    private string ScopeCondition(DbCommand command, int index, IReadOnlyCollection<string> codes)
    {
        var project = access!.Projects.ProjectCodeSql(database.Provider, "t.\"business_key\"");
        var noProject = $"(t.\"business_key\" IS NULL OR {project} IS NULL)";
        if (codes.Count == 0)
        {
            return noProject;
        }

        if (database.Provider == DatabaseProvider.Sqlite)
        {
            Add(command, $"@s{index}", System.Text.Json.JsonSerializer.Serialize(codes));
            return $"({noProject} OR {project} IN (SELECT value FROM json_each(@s{index})))";
        }

        Add(command, $"@s{index}", codes.ToArray());
        return $"({noProject} OR {project} = ANY(@s{index}))";
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

    private async Task<IReadOnlyList<InboxRow>> LoadAsync(WorkflowDbContext db, List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var tasks = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, cancellationToken);

        // One near-due window for the page, not a working-day computation per row.
        var now = time.GetUtcNow();
        var nearDueUntil = dueStates.NearDueUntil(now);
        return await NameUnnamedAsync(db, ids.Where(tasks.ContainsKey).Select(id => ToRow(tasks[id], now, nearDueUntil)).ToList(), cancellationToken);
    }

    /// <summary>The name of an element in a deployed version of a procedure; null when it has none.</summary>
    public async Task<string?> ElementNameAsync(string processId, int version, string elementId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        return (await ElementNamesAsync(db, processId, version, cancellationToken)).GetValueOrDefault(elementId);
    }

    // A task without a name (its element has none, or an older engine stored none) shows its element's name from the
    // deployed definition rather than a bare element id.
    private async Task<IReadOnlyList<InboxRow>> NameUnnamedAsync(WorkflowDbContext db, List<InboxRow> rows, CancellationToken cancellationToken)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Name is null)
            {
                var names = await ElementNamesAsync(db, rows[i].ProcessId, rows[i].ProcessVersion, cancellationToken);
                rows[i] = rows[i] with { Name = names.GetValueOrDefault(rows[i].ElementId) };
            }
        }

        return rows;
    }

    private async Task<IReadOnlyDictionary<string, string>> ElementNamesAsync(WorkflowDbContext db, string processId, int version, CancellationToken cancellationToken)
    {
        if (_elementNames.TryGetValue((processId, version), out var cached))
        {
            return cached;
        }

        var xml = await db.Definitions.AsNoTracking()
            .Where(d => d.ProcessId == processId && d.Version == version)
            .Select(d => d.BpmnXml)
            .FirstOrDefaultAsync(cancellationToken);
        var names = ElementNames.Of(xml);
        if (xml is not null)
        {
            _elementNames[(processId, version)] = names;
        }

        return names;
    }

    private static InboxRow ToRow(TaskEntity t, DateTimeOffset now, DateTimeOffset nearDueUntil) => new(
        t.Id, t.InstanceId, t.ProcessId, t.ProcessVersion, t.BusinessKey, t.ElementId, t.Name, t.Assignee, t.Due, t.Priority, t.CreatedAt, t.CompletedAt,
        t.State == (int)UserTaskState.Open ? TaskDueStates.Of(t.Due, now, nearDueUntil) : TaskDueState.None);
}
