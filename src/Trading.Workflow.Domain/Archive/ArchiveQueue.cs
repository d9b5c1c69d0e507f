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

/// <summary>
/// The archives not made yet, read from the engine's own jobs (the truth of what is left to run), so the pages say
/// “archiving” only while the step is really waiting.
/// </summary>
public sealed class ArchiveQueue(IWorkflowEngine engine, IDefinitionRepository definitions, ITradingDatabase database)
{
    /// <summary>
    /// The pending archives of the given centres (every centre when null), or of the given projects when named, oldest
    /// first. Async jobs are few at any time (each lives until it runs), so they are all read and filtered here.
    /// </summary>
    public async Task<IReadOnlyList<PendingArchive>> PendingAsync(IReadOnlyCollection<Guid>? centreIds, IReadOnlyCollection<Guid>? projectIds = null, CancellationToken cancellationToken = default)
    {
        var steps = new List<(JobInfo Job, string BusinessKey)>();
        var isArchiveStep = new Dictionary<(string, int, string), bool>();
        foreach (var job in await engine.GetJobsAsync(null, cancellationToken))
        {
            if (job.Kind != JobKind.AsyncBefore || await engine.GetInstanceAsync(job.InstanceId, cancellationToken) is not { BusinessKey: { } key } instance)
            {
                continue;
            }

            var node = (instance.ProcessId, instance.ProcessVersion, job.ElementId);
            if (!isArchiveStep.TryGetValue(node, out var archives))
            {
                var deployed = await definitions.GetAsync(instance.ProcessId, instance.ProcessVersion, cancellationToken);
                archives = isArchiveStep[node] = deployed?.Model.FindNode(job.ElementId) is ServiceTask { Handler: ArchiveProjectHandler.HandlerName };
            }

            if (archives)
            {
                steps.Add((job, key));
            }
        }

        if (steps.Count == 0)
        {
            return [];
        }

        var codes = steps.Select(s => s.BusinessKey).Distinct().ToList();
        await using var db = database.Create();
        var query = db.Set<Project>().AsNoTracking().Where(p => codes.Contains(p.Code));
        if (centreIds is not null)
        {
            query = query.Where(p => centreIds.Contains(p.CentreId));
        }

        if (projectIds is not null)
        {
            query = query.Where(p => projectIds.Contains(p.Id));
        }

        var projects = await query.Select(p => new { p.Id, p.Code, p.CentreId }).ToListAsync(cancellationToken);
        var ids = projects.Select(p => p.Id).ToList();
        // A project archived some other way meanwhile (the CLI) is done: its step will find the archive and finish.
        var archived = (await db.Set<ProjectArchive>().AsNoTracking().Where(a => ids.Contains(a.ProjectId)).Select(a => a.ProjectId).ToListAsync(cancellationToken)).ToHashSet();
        var byCode = projects.Where(p => !archived.Contains(p.Id)).ToDictionary(p => p.Code, StringComparer.Ordinal);
        return [.. steps.Where(s => byCode.ContainsKey(s.BusinessKey))
            .Select(s => (s.Job, Project: byCode[s.BusinessKey]))
            .Select(s => new PendingArchive(s.Project.Id, s.Project.Code, s.Project.CentreId, s.Job.InstanceId, s.Job.Id, s.Job.Due, s.Job.RetriesLeft, s.Job.LastError))
            .OrderBy(p => p.Due).ThenBy(p => p.ProjectCode, StringComparer.Ordinal)];
    }

    /// <summary>The project's pending archive; null when its procedure is not at its archive step.</summary>
    public async Task<PendingArchive?> OfProjectAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        (await PendingAsync(null, [projectId], cancellationToken)).FirstOrDefault();
}
