using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Queries;
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
/// The inbox, paged in the database by the persistence project's <see cref="WorkflowQueries"/> (the engine's inbox
/// index, one range scan per principal in due order, each cut at the page end), so a page costs about the same with
/// a thousand or a million tasks; counts stop at <see cref="CountCap"/>. This class says who the principals are and
/// which projects scope them, and names the rows.
/// </summary>
public sealed class InboxQueries(
    WorkflowQueries queries, TaskDueStateEvaluator dueStates, TimeProvider time, Access.WorkflowAccess? access = null, ProcedureNames? names = null)
{
    public const int CountCap = 10_000;

    // Element names per deployed version, read once (a published version never changes).
    private readonly ProcedureNames _names = names ?? new ProcedureNames(queries);

    // Without project rules (tests of the bare engine) every key is its own code.
    private ProjectKeysSql? ProjectKeys => access is null ? null : access.Projects.ProjectKeysSql;

    public async Task<InboxPage> GetPageAsync(WorkflowUser user, InboxFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(filter.Skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(filter.Take, 1);
        var code = string.IsNullOrWhiteSpace(filter.ProjectCode) ? null : filter.ProjectCode.Trim();
        var trade = filter.TradeType is { } tradeType ? tradeType + "." : null;
        var tradeCodes = TradeCodePattern(filter.TradeType);
        if (filter.Tab == InboxTab.Completed)
        {
            var done = await queries.CompletedTasksAsync(user.UserId, code, trade, filter.Skip, filter.Take, CountCap, cancellationToken, ProjectKeys, tradeCodes);
            // Completed tasks carry no due flag, so no near-due window is needed.
            var at = time.GetUtcNow();
            var completed = await NameUnnamedAsync(done.Rows.Select(t => ToRow(t, at, at)).ToList(), cancellationToken);
            return new InboxPage(completed, Math.Min(done.Count, CountCap), done.Count > CountCap);
        }

        var principals = filter.Tab == InboxTab.Mine
            ? [new InboxPrincipal(CandidateKind.Assignee, user.UserId)]
            : new List<InboxPrincipal> { new(CandidateKind.User, user.UserId) }.Concat(user.Roles.Select(r => new InboxPrincipal(CandidateKind.Role, r))).ToList();

        // Offered tasks of a project reach only its parties: per principal, the projects in which the user is that
        // candidate (a role of the procedure is that role of the project). Tasks of no project keep the earlier rule.
        IReadOnlyList<IReadOnlyCollection<string>>? scopes = null;
        if (filter.Tab == InboxTab.Group && access is not null)
        {
            var codes = await access.CodesAsync(user, cancellationToken);
            scopes = principals.Select(p => p.Kind == CandidateKind.User
                ? codes.Receiving
                : codes.ByRole.GetValueOrDefault(p.Value) ?? []).ToList();
        }

        var now = time.GetUtcNow();
        var page = await queries.OpenTasksAsync(new OpenTaskPageQuery
        {
            Principals = principals,
            Scopes = scopes,
            ProjectCode = scopes is null ? null : access!.Projects.ProjectCodeSql,
            BusinessKeyPrefix = code,
            // A project's code also finds its tasks keyed otherwise (a notice review's key is the notice).
            ProjectKeys = ProjectKeys,
            ProcessIdPrefix = trade,
            ProjectCodeLike = tradeCodes,
            DueAfter = filter.Due == DueFilter.NearDue ? now : null,
            DueAtOrBefore = filter.Due switch
            {
                DueFilter.Overdue => now,
                DueFilter.NearDue => dueStates.NearDueUntil(now),
                _ => null,
            },
            ByPriority = filter.Sort == InboxSort.Priority,
            Skip = filter.Skip,
            Take = filter.Take,
            CountCap = CountCap,
        }, cancellationToken);

        // One near-due window for the page, not a working-day computation per row.
        var nearDueUntil = dueStates.NearDueUntil(now);
        var rows = await NameUnnamedAsync(page.Rows.Select(t => ToRow(t, now, nearDueUntil)).ToList(), cancellationToken);
        return new InboxPage(rows, Math.Min(page.Count, CountCap), page.Count > CountCap);
    }

    /// <summary>
    /// The codes of a trade's projects, whose tasks keyed otherwise (a notice review, a procedure of no trade) belong to
    /// the trade too.
    /// </summary>
    internal static string? TradeCodePattern(string? tradeType) =>
        TradeTypes.IsRegistrable(tradeType) ? Domain.Projects.ProjectCode.LikePattern(tradeType!) : null;

    /// <summary>The name of an element in a deployed version of a procedure, for the current UI culture; null when it has none.</summary>
    public async Task<string?> ElementNameAsync(string processId, int version, string elementId, CancellationToken cancellationToken = default) =>
        (await _names.OfAsync(processId, version, cancellationToken)).ElementName(elementId);

    // Each row's name for the reader's language (the element's English name in English). A task without a name (its
    // element has none, or an older engine stored none) shows its element's name from the deployed definition rather
    // than a bare element id. A name the engine could not render when it created the task (a variable not set yet)
    // shows without the part it could not fill, never with the raw ${...}.
    private async Task<IReadOnlyList<InboxRow>> NameUnnamedAsync(List<InboxRow> rows, CancellationToken cancellationToken)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var names = await _names.OfAsync(rows[i].ProcessId, rows[i].ProcessVersion, cancellationToken);
            var name = names.Localized(rows[i].ElementId, rows[i].Name);
            rows[i] = rows[i] with
            {
                Name = DisplayNames.Render(name, null) is { Length: > 0 } rendered ? rendered : names.ElementName(rows[i].ElementId),
            };
        }

        return rows;
    }

    private static InboxRow ToRow(TaskEntity t, DateTimeOffset now, DateTimeOffset nearDueUntil) => new(
        t.Id, t.InstanceId, t.ProcessId, t.ProcessVersion, t.BusinessKey, t.ElementId, t.Name, t.Assignee, t.Due, t.Priority, t.CreatedAt, t.CompletedAt,
        t.State == (int)UserTaskState.Open ? TaskDueStates.Of(t.Due, now, nearDueUntil) : TaskDueState.None);
}
