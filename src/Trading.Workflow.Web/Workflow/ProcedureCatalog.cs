using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Web.Workflow;

/// <summary>A procedure (process id) with its versions and how many instances run on each.</summary>
public sealed record ProcedureSummary(string ProcessId, string? Name, string TradeType, IReadOnlyList<ProcessVersionInfo> Versions, IReadOnlyDictionary<int, int> RunningByVersion)
{
    public int? LatestPublished => Versions.Where(v => v.State == DefinitionState.Published).Select(v => v.Version).Max();

    public int Running => RunningByVersion.Values.Sum();
}

/// <summary>The procedures for the administration pages and the start page, and starting a project on one.</summary>
public sealed class ProcedureCatalog(WorkflowDatabase database, ProcessVersionService versions, IWorkflowEngine engine)
{
    /// <summary>Who may start a project on a procedure.</summary>
    public static bool MayStart(WorkflowUser user) =>
        !TaskService.IsSupervisorOnly(user) && (user.IsAdministrator || user.IsInRole(PlatformRoles.Staff) || user.IsInRole(PlatformRoles.Tenderee));

    public async Task<IReadOnlyList<ProcedureSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        List<string> processIds;
        List<(string ProcessId, int Version, int Count)> running;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var db = database.CreateContext(connection))
        {
            processIds = await db.Definitions.AsNoTracking().Select(d => d.ProcessId).Distinct().ToListAsync(cancellationToken);
            var active = new[] { (int)InstanceState.Active, (int)InstanceState.Suspended };
            running = (await db.Instances.AsNoTracking().Where(i => active.Contains(i.State))
                    .GroupBy(i => new { i.ProcessId, i.ProcessVersion })
                    .Select(g => new { g.Key.ProcessId, g.Key.ProcessVersion, Count = g.Count() })
                    .ToListAsync(cancellationToken))
                .Select(r => (r.ProcessId, r.ProcessVersion, r.Count)).ToList();
        }

        var result = new List<ProcedureSummary>();
        foreach (var processId in processIds.Order(StringComparer.Ordinal))
        {
            var all = await versions.GetVersionsAsync(processId, cancellationToken);
            var name = all.LastOrDefault(v => v.State == DefinitionState.Published)?.Name ?? all.LastOrDefault()?.Name;
            result.Add(new ProcedureSummary(
                processId, name, TradeTypes.Of(processId), all,
                running.Where(r => r.ProcessId == processId).ToDictionary(r => r.Version, r => r.Count)));
        }

        return result;
    }

    /// <summary>Starts a project (business key = project code) on the latest published version of the procedure.</summary>
    public async Task<ProcessInstanceInfo> StartAsync(WorkflowUser user, string processId, string projectCode, string projectName, CancellationToken cancellationToken = default)
    {
        if (!MayStart(user))
        {
            throw new WorkflowAccessDeniedException();
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(projectCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectName);
        var variables = new Dictionary<string, object?>
        {
            ["projectCode"] = projectCode.Trim(),
            ["projectName"] = projectName.Trim(),
            ["initiator"] = user.UserId,
        };
        return await engine.StartAsync(processId, projectCode.Trim(), variables, user.UserId, cancellationToken);
    }
}
