using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Grants;

/// <summary>
/// The grantor (出让人, a 自然资源主管部门 that reviews the applications and receives its sale's records) reads the archives
/// of its own offerings, land and mineral alike: the users acting for the offering's owner. Never another grantor's, never
/// a tender's, never bidders; and only once archived (the archive lists and serves nothing else).
/// </summary>
internal sealed class GrantArchiveReaders : IArchiveReaders
{
    public IQueryable<Guid>? ProjectsReadableBy(TradingDbContext db, ProjectPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(db);
        return IArchiveReaders.OfOrganisations(user, own => db.Set<GrantOffering>().Where(o => own.Contains(o.OwnerEntityId)).Select(o => o.ProjectId));
    }
}
