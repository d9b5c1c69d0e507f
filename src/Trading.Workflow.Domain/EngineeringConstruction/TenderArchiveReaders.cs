using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// The tenderee (招标人) and its agency read the archives of their own tenders: they received the bids, the opening record
/// and the evaluation report the package holds (法 40), and the tenderee must keep the tender's records. Never another
/// tenderee's, never a grant's through this rule, never bidders; only once archived (the archive serves nothing else).
/// </summary>
internal sealed class TenderArchiveReaders : IArchiveReaders
{
    public IQueryable<Guid>? ProjectsReadableBy(TradingDbContext db, ProjectPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(db);
        return IArchiveReaders.OfOrganisations(user, own => db.Set<Project>()
            .Where(p => p.TradeType == TradeTypes.EngineeringConstruction
                && (own.Contains(p.OwnerEntityId) || (p.AgencyEntityId != null && own.Contains(p.AgencyEntityId.Value))))
            .Select(p => p.Id));
    }
}
