using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// A project whose procedure ended its last step and waits for its archive: the engine's job of the
/// <c>archive.archiveProject</c> step (an async step, so the user's last command does not build the package), not run
/// yet, retrying after a failure (<see cref="LastError"/>), or failed for good (<see cref="Failed"/>: an incident staff
/// retry from the instance).
/// </summary>
public sealed record PendingArchive(Guid ProjectId, string ProjectCode, Guid CentreId, Guid InstanceId, Guid JobId, DateTimeOffset Due, int RetriesLeft, string? LastError)
{
    /// <summary>No retry left: the job is an incident until someone retries it.</summary>
    public bool Failed => RetriesLeft <= 0;
}

/// <summary>Where a project stands with its archive, once its procedure reached the archive step.</summary>
public enum ArchiveProgress
{
    /// <summary>The procedure's archive job is queued, or retrying after a failure.</summary>
    Archiving,

    /// <summary>The archive job failed for good: an incident waits for the centre's staff to retry it.</summary>
    Failed,

    /// <summary>Archived (read-only).</summary>
    Archived,
}

/// <summary>
/// The archives not made yet, read from the engine's own jobs (the truth of what is left to run), so the pages say
/// “archiving” only while the step is really waiting.
/// </summary>
public sealed class ArchiveQueue(IWorkflowEngine engine, IDefinitionRepository definitions, ITradingDatabase database)
{
    /// <summary>
    /// The pending archives of the given centres (every centre when null), or of the given projects when named, oldest
    /// first. Named projects read only their own procedure's instances (a project page, a few tenders' progress);
    /// otherwise every async job is read (they are few at any time: each lives until it runs) with its instances in
    /// one query.
    /// </summary>
    public async Task<IReadOnlyList<PendingArchive>> PendingAsync(IReadOnlyCollection<Guid>? centreIds, IReadOnlyCollection<Guid>? projectIds = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        // A project archived some other way meanwhile (by hand) is done: its step will find the archive and finish.
        var projects = db.Set<Project>().AsNoTracking().Where(p => !db.Set<ProjectArchive>().Any(a => a.ProjectId == p.Id));
        if (centreIds is not null)
        {
            projects = projects.Where(p => centreIds.Contains(p.CentreId));
        }

        var steps = new List<(JobInfo Job, ProjectKey Project)>();
        if (projectIds is not null)
        {
            var named = await projects.Where(p => projectIds.Contains(p.Id) && p.ProcessInstanceId != null)
                .Select(p => new ProjectKey(p.Id, p.Code, p.CentreId, p.ProcessInstanceId)).ToListAsync(cancellationToken);
            foreach (var project in named)
            {
                foreach (var job in await StepsOfProcedureAsync(project.ProcessInstanceId!.Value, project.Code, cancellationToken))
                {
                    steps.Add((job, project));
                }
            }
        }
        else
        {
            var queued = await QueuedStepsAsync(cancellationToken);
            var codes = queued.Select(s => s.BusinessKey).Distinct().ToList();
            var byCode = codes.Count == 0
                ? []
                : (await projects.Where(p => codes.Contains(p.Code)).Select(p => new ProjectKey(p.Id, p.Code, p.CentreId, p.ProcessInstanceId)).ToListAsync(cancellationToken))
                    .ToDictionary(p => p.Code, StringComparer.Ordinal);
            steps.AddRange(queued.Where(s => byCode.ContainsKey(s.BusinessKey)).Select(s => (s.Job, byCode[s.BusinessKey])));
        }

        return [.. steps
            .Select(s => new PendingArchive(s.Project.Id, s.Project.Code, s.Project.CentreId, s.Job.InstanceId, s.Job.Id, s.Job.Due, s.Job.RetriesLeft, s.Job.LastError))
            .OrderBy(p => p.Due).ThenBy(p => p.ProjectCode, StringComparer.Ordinal)];
    }

    /// <summary>The project's pending archive; null when its procedure is not at its archive step.</summary>
    public async Task<PendingArchive?> OfProjectAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        (await PendingAsync(null, [projectId], cancellationToken)).FirstOrDefault();

    /// <summary>
    /// The archive progress of each named project that is archived or waits for its archive (the others are left out):
    /// the pages that show a project's, a tender's or a grant's state. Only <paramref name="mayBePending"/> (default:
    /// every named project) are looked for in the engine, each through its own procedure's instances.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, ArchiveProgress>> ProgressAsync(
        IReadOnlyCollection<Guid> projectIds, IReadOnlyCollection<Guid>? mayBePending = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectIds);
        var progress = new Dictionary<Guid, ArchiveProgress>();
        if (projectIds.Count == 0)
        {
            return progress;
        }

        await using (var db = database.Create())
        {
            foreach (var archived in await db.Set<ProjectArchive>().AsNoTracking().Where(a => projectIds.Contains(a.ProjectId)).Select(a => a.ProjectId).ToListAsync(cancellationToken))
            {
                progress[archived] = ArchiveProgress.Archived;
            }
        }

        var waiting = (mayBePending ?? projectIds).Where(id => !progress.ContainsKey(id)).Distinct().ToList();
        if (waiting.Count > 0)
        {
            foreach (var pending in await PendingAsync(null, waiting, cancellationToken))
            {
                progress[pending.ProjectId] = pending.Failed ? ArchiveProgress.Failed : ArchiveProgress.Archiving;
            }
        }

        return progress;
    }

    /// <summary>The project's archive progress; null when it is neither archived nor at its archive step.</summary>
    public async Task<ArchiveProgress?> ProgressOfAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        (await ProgressAsync([projectId], null, cancellationToken)).TryGetValue(projectId, out var progress) ? progress : null;

    /// <summary>Every archive step waiting as a job, with the business key of its instance (= the project code).</summary>
    private async Task<List<(JobInfo Job, string BusinessKey)>> QueuedStepsAsync(CancellationToken cancellationToken)
    {
        var jobs = (await engine.GetJobsAsync(null, cancellationToken)).Where(j => j.Kind == JobKind.AsyncBefore).ToList();
        if (jobs.Count == 0)
        {
            return [];
        }

        var instances = (await engine.GetInstancesAsync(new InstanceQuery { InstanceIds = [.. jobs.Select(j => j.InstanceId).Distinct()] }, cancellationToken))
            .ToDictionary(i => i.Id);
        var steps = new List<(JobInfo, string)>();
        foreach (var job in jobs)
        {
            if (instances.TryGetValue(job.InstanceId, out var instance) && instance.BusinessKey is { } key
                && await NodeAsync(instance, job.ElementId, cancellationToken) is ServiceTask { Handler: ArchiveProjectHandler.HandlerName })
            {
                steps.Add((job, key));
            }
        }

        return steps;
    }

    /// <summary>
    /// The archive step waiting as a job in the project's procedure: its instance and, only while one waits in a call
    /// activity, the instances it called (the shipped procedures archive in their own instance; the handler archives
    /// the project of the instance's business key, so a called instance counts only with the project's code). The
    /// jobs of an instance are read only when its token stands on an archive step.
    /// </summary>
    private async Task<List<JobInfo>> StepsOfProcedureAsync(Guid instanceId, string projectCode, CancellationToken cancellationToken)
    {
        var steps = new List<JobInfo>();
        var waiting = new Queue<ProcessInstanceInfo>();
        if (await engine.GetInstanceAsync(instanceId, cancellationToken) is { } root)
        {
            waiting.Enqueue(root);
        }

        while (waiting.TryDequeue(out var instance))
        {
            if (instance.State is not (InstanceState.Active or InstanceState.Suspended))
            {
                continue;
            }

            var active = new List<FlowNode>();
            foreach (var elementId in instance.ActiveElementIds)
            {
                if (await NodeAsync(instance, elementId, cancellationToken) is { } node)
                {
                    active.Add(node);
                }
            }

            var archiveSteps = active.OfType<ServiceTask>().Where(t => t.Handler == ArchiveProjectHandler.HandlerName).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            if (archiveSteps.Count > 0 && instance.BusinessKey == projectCode)
            {
                steps.AddRange((await engine.GetJobsAsync(instance.Id, cancellationToken)).Where(j => j.Kind == JobKind.AsyncBefore && archiveSteps.Contains(j.ElementId)));
            }

            if (active.OfType<CallActivity>().Any())
            {
                foreach (var called in await engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = instance.Id }, cancellationToken))
                {
                    waiting.Enqueue(called);
                }
            }
        }

        return steps;
    }

    private async Task<FlowNode?> NodeAsync(ProcessInstanceInfo instance, string elementId, CancellationToken cancellationToken) =>
        (await definitions.GetAsync(instance.ProcessId, instance.ProcessVersion, cancellationToken))?.Model.FindNode(elementId);

    private sealed record ProjectKey(Guid Id, string Code, Guid CentreId, Guid? ProcessInstanceId);
}
