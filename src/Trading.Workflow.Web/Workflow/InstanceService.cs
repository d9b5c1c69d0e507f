using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Admin;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Web.Workflow;

public sealed record InstanceListFilter
{
    public string? TradeType { get; init; }

    public string? ProjectCode { get; init; }

    public InstanceState? State { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 20;
}

public sealed record InstanceRow(Guid Id, string ProcessId, int ProcessVersion, string? BusinessKey, InstanceState State, DateTimeOffset StartedAt, string? StartedBy, DateTimeOffset? EndedAt);

/// <summary>Everything the instance viewer shows.</summary>
public sealed record InstanceDetail(
    ProcessInstanceInfo Instance,
    string? ProcessName,
    string? BpmnXml,
    IReadOnlyList<string> ActiveElementIds,
    IReadOnlyList<string> CompletedElementIds,
    IReadOnlyDictionary<string, int> IncidentCounts,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<TimerInfo> Timers,
    IReadOnlyList<IncidentInfo> Incidents,
    IReadOnlyList<UserTaskInfo> Tasks,
    IReadOnlyDictionary<string, object?> Variables,
    IReadOnlyList<DocumentInfo> Documents,
    IReadOnlyList<int> NewerVersions);

/// <summary>
/// Reading instances (staff, supervisors and administrators; others only the instances of their own tasks) and the
/// administrator's commands on them. Every command checks the Administrator role here, on the server, and records
/// its reason in the instance's history.
/// </summary>
public sealed class InstanceService(
    IWorkflowEngine engine,
    IWorkflowStore store,
    WorkflowDatabase database,
    ProcessVersionService versions,
    InstanceMigrationService migrations,
    WorkflowAdminService admin,
    DocumentStore documents)
{
    public const int CountCap = InboxQueries.CountCap;

    public async Task<(IReadOnlyList<InstanceRow> Rows, int Total)> ListAsync(WorkflowUser user, InstanceListFilter filter, CancellationToken cancellationToken = default)
    {
        RequireViewer(user);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var db = database.CreateContext(connection);
        var rows = db.Instances.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.ProjectCode))
        {
            var code = filter.ProjectCode.Trim();
            rows = rows.Where(i => i.BusinessKey != null && i.BusinessKey.StartsWith(code));
        }

        if (filter.TradeType is { } tradeType)
        {
            var prefix = tradeType + ".";
            rows = rows.Where(i => i.ProcessId.StartsWith(prefix));
        }

        if (filter.State is { } state)
        {
            rows = rows.Where(i => i.State == (int)state);
        }

        var total = await rows.Take(CountCap + 1).CountAsync(cancellationToken);
        var page = await rows.OrderByDescending(i => i.StartedAt).ThenBy(i => i.Id)
            .Skip(filter.Skip).Take(filter.Take)
            .Select(i => new { i.Id, i.ProcessId, i.ProcessVersion, i.BusinessKey, i.State, i.StartedAt, i.StartedBy, i.EndedAt })
            .ToListAsync(cancellationToken);
        return (page.Select(i => new InstanceRow(i.Id, i.ProcessId, i.ProcessVersion, i.BusinessKey, (InstanceState)i.State, i.StartedAt, i.StartedBy, i.EndedAt)).ToList(), total);
    }

    /// <summary>The instance with its diagram state; null when it does not exist.</summary>
    /// <param name="viaTask">Users who are not instance viewers may see the instance of a task they may see.</param>
    public async Task<InstanceDetail?> GetAsync(WorkflowUser user, Guid instanceId, UserTaskInfo? viaTask = null, CancellationToken cancellationToken = default)
    {
        if (!user.MayViewInstances && (viaTask is null || viaTask.InstanceId != instanceId || !TaskService.MayView(user, viaTask)))
        {
            throw new WorkflowAccessDeniedException();
        }

        var instance = await engine.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            return null;
        }

        var history = await engine.GetHistoryAsync(instanceId, cancellationToken);
        var incidents = await engine.GetIncidentsAsync(instanceId, cancellationToken);
        var xml = await versions.GetXmlAsync(instance.ProcessId, instance.ProcessVersion, cancellationToken);
        var all = await versions.GetVersionsAsync(instance.ProcessId, cancellationToken);
        var completed = history
            .Where(h => h.ElementId is not null && h.Type is HistoryEventType.ActivityCompleted or HistoryEventType.SequenceFlowTaken)
            .Select(h => h.ElementId!).Distinct(StringComparer.Ordinal).ToList();
        var tasks = await store.QueryTasksAsync(new TaskQuery { InstanceId = instanceId, OpenOnly = false }, cancellationToken);
        return new InstanceDetail(
            instance,
            all.LastOrDefault(v => v.Version == instance.ProcessVersion)?.Name,
            xml,
            instance.ActiveElementIds,
            completed,
            incidents.GroupBy(i => i.ElementId).ToDictionary(g => g.Key, g => g.Count()),
            history,
            await engine.GetTimersAsync(instanceId, cancellationToken),
            incidents,
            tasks,
            await engine.GetVariablesAsync(instanceId, cancellationToken),
            await documents.ListAsync(instanceId, cancellationToken),
            all.Where(v => v.State == DefinitionState.Published && v.Version > instance.ProcessVersion).Select(v => v.Version!.Value).ToList());
    }

    public async Task CancelAsync(WorkflowUser user, Guid instanceId, string reason, CancellationToken cancellationToken = default)
    {
        var why = RequireAdministrator(user, reason);
        await engine.CancelInstanceAsync(instanceId, why, user.UserId, cancellationToken);
    }

    public async Task SuspendAsync(WorkflowUser user, Guid instanceId, string reason, CancellationToken cancellationToken = default)
    {
        var why = RequireAdministrator(user, reason);
        await engine.SuspendInstanceAsync(instanceId, why, user.UserId, cancellationToken);
    }

    public async Task ResumeAsync(WorkflowUser user, Guid instanceId, string reason, CancellationToken cancellationToken = default)
    {
        var why = RequireAdministrator(user, reason);
        await engine.ResumeInstanceAsync(instanceId, why, user.UserId, cancellationToken);
    }

    /// <summary>
    /// Retries the incident's job, setting <paramref name="variables"/> (when given) and recording the reason in the
    /// same engine command: a refused retry leaves neither changed variables nor a note behind.
    /// </summary>
    public async Task RetryIncidentAsync(
        WorkflowUser user, Guid incidentId, string reason, IReadOnlyDictionary<string, object?>? variables = null, CancellationToken cancellationToken = default)
    {
        var why = RequireAdministrator(user, reason);
        await admin.RetryIncidentAsync(incidentId, user.UserId, variables, reason: $"incident {incidentId}: {why}", cancellationToken: cancellationToken);
    }

    public async Task ResolveIncidentAsync(WorkflowUser user, Guid incidentId, string reason, CancellationToken cancellationToken = default)
    {
        var why = RequireAdministrator(user, reason);
        await admin.ResolveIncidentAsync(incidentId, user.UserId, why, cancellationToken);
    }

    /// <summary>Checks the migration first (every active element has a target) and returns its problems; migrates when there are none.</summary>
    public async Task<IReadOnlyList<MigrationProblem>> MigrateAsync(WorkflowUser user, Guid instanceId, int targetVersion, string reason, CancellationToken cancellationToken = default)
    {
        var why = RequireAdministrator(user, reason);
        var request = new MigrationRequest([instanceId], targetVersion) { UserId = user.UserId, Reason = why };
        var problems = await migrations.ValidateAsync(request, cancellationToken);
        if (problems.Count > 0)
        {
            return problems;
        }

        await migrations.MigrateAsync(request, cancellationToken);
        return [];
    }

    /// <summary>Staff, supervisors and administrators read every instance.</summary>
    public static void RequireViewer(WorkflowUser user)
    {
        if (!user.MayViewInstances)
        {
            throw new WorkflowAccessDeniedException();
        }
    }

    private static string RequireAdministrator(WorkflowUser user, string reason)
    {
        if (!user.IsAdministrator)
        {
            throw new WorkflowAccessDeniedException();
        }

        return string.IsNullOrWhiteSpace(reason)
            ? throw new WorkflowStateException("请填写操作原因，原因将记入流程历史。", "Give a reason; it is recorded in the instance's history.")
            : reason.Trim();
    }
}
