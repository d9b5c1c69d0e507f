using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Queries;
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
public sealed class ProcedureCatalog(
    WorkflowQueries queries, ProcessVersionService versions, IWorkflowEngine engine, ITradingDatabase database, ProjectProcedures projectProcedures,
    ProcedureNames? procedureNames = null)
{
    /// <summary>Who may start a project on a procedure.</summary>
    public static bool MayStart(WorkflowUser user) =>
        !TaskService.IsSupervisorOnly(user) && (user.IsAdministrator || user.IsInRole(PlatformRoles.Staff) || user.IsInRole(PlatformRoles.Tenderee));

    public async Task<IReadOnlyList<ProcedureSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var processIds = await queries.ProcessIdsAsync(cancellationToken);
        var running = await queries.RunningCountsAsync(cancellationToken);

        var result = new List<ProcedureSummary>();
        foreach (var processId in processIds.Order(StringComparer.Ordinal))
        {
            var all = await versions.GetVersionsAsync(processId, cancellationToken);
            var published = all.LastOrDefault(v => v.State == DefinitionState.Published);
            // The published version's name in the reader's language (its English name in English).
            var name = (published?.Version is { } version && procedureNames is not null
                    ? (await procedureNames.OfAsync(processId, version, cancellationToken)).ProcessName
                    : null)
                ?? published?.Name ?? all.LastOrDefault()?.Name;
            result.Add(new ProcedureSummary(
                processId, name, TradeTypes.Of(processId), all,
                running.Where(r => r.ProcessId == processId).ToDictionary(r => r.Version, r => r.Count)));
        }

        return result;
    }

    /// <summary>
    /// Starts a project (business key = project code) on the latest published version of the procedure. Refuses a
    /// code that a running project of the same trade type already carries; the schema's wf_running_projects table
    /// (filled by triggers in the engine's transaction) makes the second of two racing starts fail too.
    /// </summary>
    public async Task<ProcessInstanceInfo> StartAsync(WorkflowUser user, string processId, string projectCode, string projectName, CancellationToken cancellationToken = default)
    {
        if (!MayStart(user))
        {
            throw new WorkflowAccessDeniedException();
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectCode);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectName);
        var code = projectCode.Trim();
        RefuseProjectProcedure(processId);
        await RefuseRegisteredCodeAsync(code, cancellationToken);
        await RefuseRunningCodeAsync(processId, code, cancellationToken);
        var variables = new Dictionary<string, object?>
        {
            ["projectCode"] = code,
            ["projectName"] = projectName.Trim(),
            ["initiator"] = user.UserId,
        };
        try
        {
            return await engine.StartAsync(processId, code, variables, user.UserId, cancellationToken);
        }
        catch (WorkflowConflictException)
        {
            // Lost a race for the code: say so rather than "changed by another command".
            await RefuseRunningCodeAsync(processId, code, cancellationToken);
            throw;
        }
    }

    /// <summary>The trade type a project code is unique within: the process id up to its first dot, as the schema computes it.</summary>
    public static string CodeScopeOf(string processId)
    {
        ArgumentNullException.ThrowIfNull(processId);
        var dot = processId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? processId[..dot] : processId;
    }

    /// <summary>Whether the procedure may be started here: not one a registered project starts on submission.</summary>
    public bool StartsHere(string processId) => !projectProcedures.StartedBySubmission(processId);

    /// <summary>
    /// A procedure a registered project starts on submission (the engineering tender) needs that project: started here
    /// under a bare code its first step fails ("No project with code …"). Say where it starts instead.
    /// </summary>
    private void RefuseProjectProcedure(string processId)
    {
        if (!StartsHere(processId))
        {
            throw new WorkflowConflictException(
                $"流程 {processId} 由交易项目提交时启动：请在“交易项目”中登记项目（含标段）并提交，平台即按该流程的最新版本启动。",
                $"Procedure {processId} starts when a registered project is submitted: register the project (with its sections) under Projects and submit it; the platform then starts the latest version of the procedure.");
        }
    }

    /// <summary>
    /// A submitted project (交易项目, <see cref="Project"/>, its procedure started) owns its code for good (一项一码): its
    /// handlers find the project, its tender, its bids by that code. A second instance started here
    /// under it would act on that project — even an archived one — so the code is refused with where to go instead.
    /// </summary>
    private async Task RefuseRegisteredCodeAsync(string code, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        if (await db.Set<Project>().AsNoTracking().Where(p => p.Code == code && p.ProcessInstanceId != null).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken) is { } name)
        {
            throw new WorkflowConflictException(
                $"项目编号 {code} 属于已登记的交易项目“{name}”（一项一码）。该项目的流程在交易项目页提交时启动，不能在此以同一编号另行启动；新项目请使用新的编号。",
                $"Project code {code} belongs to a registered project (one project, one code). Its procedure starts when it is submitted on the projects page and cannot be started again here under the same code; give a new project a new code.");
        }
    }

    private async Task RefuseRunningCodeAsync(string processId, string code, CancellationToken cancellationToken)
    {
        var scope = CodeScopeOf(processId);
        var running = await queries.RunningRootProcessIdsAsync(code, cancellationToken);
        if (running.Any(p => CodeScopeOf(p) == scope))
        {
            throw new WorkflowConflictException(
                $"项目编号 {code} 已有一个进行中的项目（同一交易类型内项目编号不能重复）。请核对编号；原项目结束或终止后才能再次使用。",
                $"A running project already uses project code {code} (codes are unique within a trade type). Check the code; it can be used again once that project has ended or been cancelled.");
        }
    }
}
