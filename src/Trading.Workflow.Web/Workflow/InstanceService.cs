using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Queries;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Persistence.Admin;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Quartz.Demo;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Access;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Workflow;

public sealed record InstanceListFilter
{
    public string? TradeType { get; init; }

    public string? ProjectCode { get; init; }

    public InstanceState? State { get; init; }

    public int Skip { get; init; }

    public int Take { get; init; } = 20;
}

public sealed record InstanceRow(Guid Id, string ProcessId, int ProcessVersion, string? BusinessKey, InstanceState State, DateTimeOffset StartedAt, string? StartedBy, DateTimeOffset? EndedAt)
{
    /// <summary>The name of the procedure version the instance runs (its BPMN process name), when it has one.</summary>
    public string? ProcessName { get; init; }
}

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
    IReadOnlyList<int> NewerVersions)
{
    /// <summary>Element id → name in the instance's deployed version, for events that carry only the id (rendered: <see cref="DisplayNames"/>).</summary>
    public IReadOnlyDictionary<string, string> ElementNames { get; init; } = new Dictionary<string, string>();

    /// <summary>Demo data: started by an account of a demo centre.</summary>
    public bool IsDemo { get; init; }

    /// <summary>Whether this user is offered the demo fast-forward of the instance's timers.</summary>
    public bool DemoFastForward { get; init; }

    /// <summary>The check of the instance's history chain: when broken, what the viewer shows may have been tampered with.</summary>
    public HistoryChainReport? HistoryChain { get; init; }
}

/// <summary>
/// Reading instances (staff, supervisors and administrators; others only the instances of their own tasks) and the
/// administrator's commands on them. Every command checks the Administrator role here, on the server, and records
/// its reason in the instance's history.
/// </summary>
public sealed partial class InstanceService(
    IWorkflowEngine engine,
    IWorkflowStore store,
    WorkflowQueries queries,
    ProcessVersionService versions,
    InstanceMigrationService migrations,
    WorkflowAdminService admin,
    HistoryChainVerifier historyChain,
    DocumentStore documents,
    FormStore forms,
    AppDbContext accounts,
    WorkflowAccess access,
    IHostEnvironment environment,
    IDefinitionRepository definitions,
    ProcedureNames procedureNames,
    IEnumerable<IDemoTimerDate> demoDates,
    ILogger<InstanceService> logger,
    Trading.Workflow.Domain.Experts.ExpertNameSeals? expertNames = null)
{
    public const int CountCap = InboxQueries.CountCap;

    public async Task<(IReadOnlyList<InstanceRow> Rows, int Total)> ListAsync(WorkflowUser user, InstanceListFilter filter, CancellationToken cancellationToken = default)
    {
        RequireViewer(user);

        // A project's instance is listed to the readers of the project only; instances of no project to every viewer.
        // The project of a business key is whatever the registered parts map it to (a project code, a notice id...).
        var readable = (await access.CodesAsync(user, cancellationToken)).Readable;
        var page = await queries.InstancesAsync(new InstancePageQuery
        {
            ReadableProjects = readable,
            ProjectCode = access.Projects.ProjectCodeSql,
            // A project code filter also finds the project's procedures keyed otherwise (notice reviews).
            ProjectKeys = access.Projects.ProjectKeysSql,
            BusinessKeyPrefix = string.IsNullOrWhiteSpace(filter.ProjectCode) ? null : filter.ProjectCode.Trim(),
            ProcessIdPrefix = filter.TradeType is { } tradeType ? tradeType + "." : null,
            ProjectCodeLike = InboxQueries.TradeCodePattern(filter.TradeType),
            State = filter.State,
            Skip = filter.Skip,
            Take = filter.Take,
            CountCap = CountCap,
        }, cancellationToken);
        // Each row names its procedure as its version does, in the reader's language (a page lists a few versions of a
        // few procedures, each read once and then kept).
        var names = new Dictionary<(string, int), string?>();
        foreach (var version in page.Rows.Select(i => (i.ProcessId, i.ProcessVersion)).Distinct())
        {
            names[version] = (await procedureNames.OfAsync(version.ProcessId, version.ProcessVersion, cancellationToken)).ProcessName;
        }

        return (page.Rows.Select(i => new InstanceRow(i.Id, i.ProcessId, i.ProcessVersion, i.BusinessKey, i.State, i.StartedAt, i.StartedBy, i.EndedAt)
        {
            ProcessName = names.GetValueOrDefault((i.ProcessId, i.ProcessVersion)),
        }).ToList(), page.Count);
    }

    /// <summary>The instance with its diagram state; null when it does not exist.</summary>
    /// <param name="viaTask">Users who are not instance viewers may see the instance of a task they may see.</param>
    public async Task<InstanceDetail?> GetAsync(WorkflowUser user, Guid instanceId, UserTaskInfo? viaTask = null, CancellationToken cancellationToken = default)
    {
        var via = viaTask is not null && viaTask.InstanceId == instanceId ? viaTask : null;
        var instance = await engine.GetInstanceAsync(instanceId, cancellationToken);
        if (instance is null)
        {
            return !user.MayViewInstances && via is null ? throw new WorkflowAccessDeniedException() : null;
        }

        // A project's instance: its readers see all of it; its other parties (participants, drawn experts) only
        // through a task of theirs, and then only their own tasks, history and files. No project: the earlier rule.
        var standing = await access.StandingAsync(user, instance.BusinessKey, cancellationToken);
        var whole = standing is null
            ? user.MayViewInstances || (via is not null && WorkflowAccess.MayView(user, via, null))
            : standing.Can(ProjectAction.ViewProject);
        if (!whole && (standing is null || via is null || !WorkflowAccess.MayView(user, via, standing)))
        {
            throw new WorkflowAccessDeniedException();
        }

        var history = await engine.GetHistoryAsync(instanceId, cancellationToken);
        var incidents = await engine.GetIncidentsAsync(instanceId, cancellationToken);
        var xml = await versions.GetXmlAsync(instance.ProcessId, instance.ProcessVersion, cancellationToken);
        var all = await versions.GetVersionsAsync(instance.ProcessId, cancellationToken);
        var completed = history
            .Where(h => h.ElementId is not null && h.Type is HistoryEventType.ActivityCompleted or HistoryEventType.SequenceFlowTaken)
            .Select(h => h.ElementId!).Distinct(StringComparer.Ordinal).ToList();
        var tasks = await store.QueryTasksAsync(new TaskQuery { InstanceId = instanceId, OpenOnly = false }, cancellationToken);
        var files = await documents.ListAsync(instanceId, cancellationToken);
        var variables = await engine.GetVariablesAsync(instanceId, cancellationToken);
        if (!whole)
        {
            (tasks, history, files) = await OwnPartAsync(user, standing!, tasks, history, files, cancellationToken);
            variables = await OwnVariablesAsync(variables, tasks, cancellationToken);
        }

        // Drawn experts' names stay sealed from everybody but supervisors until the committee's unseal time (read-time
        // redaction: the stored history and its chain are untouched).
        if (expertNames is not null
            && await expertNames.ForProjectCodeAsync(instance.BusinessKey, user.Roles, cancellationToken) is { IsSealed: true } seal)
        {
            history = [.. history.Select(h => h with
            {
                UserId = seal.Redact(h.UserId), OldValue = seal.RedactValue(h.OldValue), NewValue = seal.RedactValue(h.NewValue), Details = seal.Redact(h.Details),
            })];
            tasks = [.. tasks.Select(t => t with
            {
                Assignee = seal.Redact(t.Assignee), Owner = seal.Redact(t.Owner), ClaimedBy = seal.Redact(t.ClaimedBy), CompletedBy = seal.Redact(t.CompletedBy),
                CandidateUsers = [.. t.CandidateUsers.Select(u => seal.Redact(u)!)],
            })];
            variables = seal.RedactVariables(variables);
        }

        // Tasks and history read in the reader's language: the elements' English names in English (ProcedureNames).
        var names = await procedureNames.OfAsync(instance.ProcessId, instance.ProcessVersion, cancellationToken);
        tasks = [.. tasks.Select(t => t with { Name = names.Localized(t.ElementId, t.Name) })];
        history = [.. history.Select(h => h.ElementName is null ? h : h with { ElementName = names.Localized(h.ElementId, h.ElementName) })];

        var isDemo = await IsDemoAsync(instance, cancellationToken);
        return new InstanceDetail(
            instance,
            names.ProcessName ?? all.LastOrDefault(v => v.Version == instance.ProcessVersion)?.Name,
            xml,
            instance.ActiveElementIds,
            completed,
            incidents.GroupBy(i => i.ElementId).ToDictionary(g => g.Key, g => g.Count()),
            history,
            await engine.GetTimersAsync(instanceId, cancellationToken),
            incidents,
            tasks,
            variables,
            files,
            all.Where(v => v.State == DefinitionState.Published && v.Version > instance.ProcessVersion).Select(v => v.Version!.Value).ToList())
        {
            // From the version's names read once, not the definition parsed again for each opening.
            ElementNames = names.ElementNames(variables),
            IsDemo = isDemo,
            DemoFastForward = isDemo && MayFastForward(user) && !environment.IsProduction() && instance.State == InstanceState.Active,
            HistoryChain = await historyChain.VerifyInstanceAsync(instanceId, cancellationToken),
        };
    }

    // A party who reads only its own data sees the variables of its own tasks' forms (ParticipantVariables).
    private async Task<IReadOnlyDictionary<string, object?>> OwnVariablesAsync(
        IReadOnlyDictionary<string, object?> variables, IReadOnlyList<UserTaskInfo> tasks, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var task in tasks.Where(t => t.FormKey is not null && !BuiltInTaskComponentRegistry.IsComponentKey(t.FormKey)).DistinctBy(t => (t.ProcessId, t.ProcessVersion, t.FormKey)))
        {
            keys.AddRange(ParticipantVariables.Of((await forms.GetForVersionAsync(task.ProcessId, task.ProcessVersion, task.FormKey!, cancellationToken))?.Schema));
        }

        return ParticipantVariables.Filter(variables, keys);
    }

    // A party who reads only its own data sees its own tasks, their history (no other party's names) and its files.
    private async Task<(IReadOnlyList<UserTaskInfo>, IReadOnlyList<HistoryEvent>, IReadOnlyList<DocumentInfo>)> OwnPartAsync(
        WorkflowUser user, ProjectStanding standing, IReadOnlyList<UserTaskInfo> tasks, IReadOnlyList<HistoryEvent> history,
        IReadOnlyList<DocumentInfo> files, CancellationToken cancellationToken)
    {
        var visible = tasks.Where(t => WorkflowAccess.MayView(user, t, standing)).ToList();
        var ids = visible.Select(t => t.Id).ToHashSet();
        var events = history.Where(h => h.TaskId is { } id ? ids.Contains(id) : h.UserId is null).ToList();
        var own = new List<DocumentInfo>();
        foreach (var file in files)
        {
            if (await access.MayDownloadAsync(user, file, standing, cancellationToken))
            {
                own.Add(file);
            }
        }

        return (visible, events, own);
    }

    /// <summary>
    /// Demo only: fires one of the instance's pending timers now, so a demo project walks past a statutory wait.
    /// Refused in Production whatever the settings, for projects that are not demo data and for anyone but staff
    /// and administrators. The date of the model the timer stands for moves to now first (each part's
    /// <see cref="IDemoTimerDate"/>, in its own transaction and trail), since a step that reads that date again would
    /// otherwise only re-arm the timer; then the engine fires the timer as the scheduler would at the due time.
    /// </summary>
    public async Task FastForwardTimerAsync(WorkflowUser user, Guid instanceId, Guid timerId, CancellationToken cancellationToken = default)
    {
        if (!MayFastForward(user))
        {
            throw new WorkflowAccessDeniedException();
        }

        if (environment.IsProduction())
        {
            LogFastForwardRefused(instanceId, user.UserId, environment.EnvironmentName);
            throw new DemoModeRequiredException();
        }

        var instance = await engine.GetInstanceAsync(instanceId, cancellationToken) ?? throw new WorkflowNotFoundException("instance", instanceId.ToString());
        if (!await IsDemoAsync(instance, cancellationToken))
        {
            throw new WorkflowStateException(
                "只有演示项目（由演示中心的账户发起）可以快进定时器。", "Only demo projects (started by an account of a demo centre) can have their timers fast-forwarded.");
        }

        var timers = await engine.GetTimersAsync(instanceId, cancellationToken);
        var timer = timers.FirstOrDefault(t => t.Id == timerId)
            ?? throw new WorkflowConflictException("该定时器已到期或已撤销，请刷新。", "That timer has fired or was withdrawn; reload the page.");
        var demoTimer = new DemoTimer(instanceId, instance.BusinessKey, timer.ProcessId, timer.ElementId, await DateVariableAsync(timer, cancellationToken), timer.Due);
        foreach (var date in demoDates)
        {
            if (await date.MoveToNowAsync(demoTimer, user.UserId, cancellationToken))
            {
                LogDemoDateMoved(instanceId, timer.ElementId, demoTimer.DateVariable, user.UserId);
            }
        }

        await engine.FireTimerAsync(timer.Id, cancellationToken);
        LogFastForwarded(instanceId, timer.ElementId, timer.Due, user.UserId);
    }

    /// <summary>The variable the timer's date is read from (<c>${name}</c>) in the instance's version, when it is one.</summary>
    private async Task<string?> DateVariableAsync(TimerInfo timer, CancellationToken cancellationToken)
    {
        var deployed = await definitions.GetAsync(timer.ProcessId, timer.ProcessVersion, cancellationToken);
        return deployed?.Model.FindNode(timer.ElementId) is EventNode { Definition: TimerEventDefinition definition }
            ? DemoTimer.VariableOf(definition.Value)
            : null;
    }

    /// <summary>Demo data: the project was started by an account that belongs to a demo centre.</summary>
    private async Task<bool> IsDemoAsync(ProcessInstanceInfo instance, CancellationToken cancellationToken) =>
        instance.StartedBy is { } startedBy
        && await accounts.Users.AsNoTracking()
            .Where(u => u.UserName == startedBy && u.CentreId != null)
            .Join(accounts.TradingCentres.AsNoTracking(), u => u.CentreId, c => (Guid?)c.Id, (u, c) => c.IsDemo)
            .AnyAsync(isDemo => isDemo, cancellationToken);

    private static bool MayFastForward(WorkflowUser user) => user.IsAdministrator || user.IsInRole(PlatformRoles.Staff);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo fast-forward of instance {InstanceId}: timer at {ElementId} due {Due} fired now by {UserId}")]
    private partial void LogFastForwarded(Guid instanceId, string elementId, DateTimeOffset due, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo fast-forward of instance {InstanceId}: the date {DateVariable} of timer {ElementId} moved to now by {UserId}")]
    private partial void LogDemoDateMoved(Guid instanceId, string elementId, string? dateVariable, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused demo fast-forward of instance {InstanceId} by {UserId}: environment {Environment}")]
    private partial void LogFastForwardRefused(Guid instanceId, string userId, string environment);
}
