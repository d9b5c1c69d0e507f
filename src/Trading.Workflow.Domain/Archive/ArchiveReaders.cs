using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// A party of a trade, beyond staff of the centre and supervisors, who may read archives once they are made, named by
/// the part whose party it is (a grant's grantor: its own offerings' packages). Registered with <c>TryAddEnumerable</c>;
/// with none, only staff and supervisors read archives. Reading means listing the archive on <c>/archive</c> and
/// downloading its package and supplements, nothing else of the project.
/// </summary>
public interface IArchiveReaders
{
    /// <summary>The projects whose archives the user may read as such a party, as a query for the database; null when the user is none.</summary>
    IQueryable<Guid>? ProjectsReadableBy(TradingDbContext db, ProjectPrincipal user);

    /// <summary>
    /// For a party of the Tenderee role (a tenderee, its agency, a grantor): the projects <paramref name="projects"/>
    /// finds for the organisations the user acts for; null for anyone else.
    /// </summary>
    static IQueryable<Guid>? OfOrganisations(ProjectPrincipal user, Func<List<Guid>, IQueryable<Guid>> projects)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(projects);
        return user.IsInRole(Accounts.PlatformRoles.Tenderee) && user.EntityIds.Count > 0 ? projects([.. user.EntityIds]) : null;
    }
}

/// <summary>
/// Lets a party an <see cref="IArchiveReaders"/> names download the packages (original and supplements) of the archives
/// it may read; every other document of the project stays as its own rules say.
/// </summary>
internal sealed class ArchivePackageAccess(ITradingDatabase database, IServiceProvider services) : IDocumentAccessRule
{
    public async ValueTask<bool> MayDownloadAsync(DocumentActor actor, Document document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(document);
        var readers = services.GetServices<IArchiveReaders>().ToList();
        if (document.ProjectId is not { } projectId || document.Kind != FileKind.Zip || readers.Count == 0
            || services.GetService<IProjectAuthorization>() is not { } authorization)
        {
            return false;
        }

        await using var db = database.Create();
        var package = await db.Set<ProjectArchive>().AsNoTracking().AnyAsync(a => a.ProjectId == projectId && a.PackageDocumentId == document.Id, cancellationToken)
            || await db.Set<ArchiveSupplement>().AsNoTracking().AnyAsync(s => s.ProjectId == projectId && s.PackageDocumentId == document.Id, cancellationToken);
        return package
            && await authorization.PrincipalAsync(actor.UserName, actor.Roles, cancellationToken) is { } user
            && ArchiveService.ReadableBy(readers, db, user) is { } readable
            && await readable.AnyAsync(id => id == projectId, cancellationToken);
    }
}
