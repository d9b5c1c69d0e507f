using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// An archived project is read-only: the services that change a project's records (document uploads, project edits,
/// issued documents, deposit forfeitures, notices) ask this guard first and are refused with
/// <see cref="ArchiveRules.ProjectArchived"/>. Reading and downloading stay open to whoever could before.
/// </summary>
public sealed class ArchiveGuard(ITradingDatabase database)
{
    public async Task<bool> IsArchivedAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await IsArchivedAsync(db, projectId, cancellationToken);
    }

    public static Task<bool> IsArchivedAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<ProjectArchive>().AsNoTracking().AnyAsync(a => a.ProjectId == projectId, cancellationToken);
    }

    /// <summary>Throws <see cref="ArchiveRules.ProjectArchived"/> when the project (if any) is archived.</summary>
    public async Task EnsureWritableAsync(Guid? projectId, CancellationToken cancellationToken = default)
    {
        if (projectId is { } id && await IsArchivedAsync(id, cancellationToken))
        {
            throw Archived(id);
        }
    }

    /// <summary>The same inside the caller's transaction (an engine command, a service's own transaction).</summary>
    public static async Task EnsureWritableAsync(TradingDbContext db, Guid? projectId, CancellationToken cancellationToken = default)
    {
        if (projectId is { } id && await IsArchivedAsync(db, id, cancellationToken))
        {
            throw Archived(id);
        }
    }

    private static DomainRuleException Archived(Guid projectId) =>
        new(ArchiveRules.ProjectArchived, $"The project {projectId} is archived and read-only.");
}

/// <summary>Rule codes of the archive part.</summary>
public static class ArchiveRules
{
    public const string ProjectArchived = "Archive.ProjectArchived";
    public const string ProjectNotFound = "Archive.ProjectNotFound";
    public const string NotAllowed = "Archive.NotAllowed";
    public const string NotArchived = "Archive.NotArchived";
    public const string ProcedureRunning = "Archive.ProcedureRunning";
}
