using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// Who may fetch a tender's documents beyond their uploader and the centre's staff: the users of an entity whose
/// download was recorded by <see cref="TenderService.RecordDownloadAsync"/> (during the sale, checked there), and the
/// tenderee's and agency's users.
/// </summary>
public sealed class TenderDocumentAccess(ITradingDatabase database, IEntityMembership membership) : IDocumentAccessRule
{
    public async ValueTask<bool> MayDownloadAsync(DocumentActor actor, Document document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(document);
        if (document.ProjectId is not { } projectId)
        {
            return false;
        }

        await using var db = database.Create();
        var tender = await db.Set<Tender>().AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == projectId, cancellationToken);
        if (tender is null)
        {
            return false;
        }

        var isTenderDocument = tender.DocumentIds.Contains(document.Id) || tender.BillOfQuantitiesId == document.Id
            || await db.Set<TenderClarification>().AnyAsync(c => c.ProjectId == projectId && c.DocumentId == document.Id, cancellationToken);
        if (!isTenderDocument)
        {
            return false;
        }

        var entities = await membership.EntitiesOfAsync(actor.UserName, cancellationToken);
        var ids = entities.Select(e => e.EntityId).ToList();
        if (ids.Contains(tender.OwnerEntityId) || (tender.AgencyEntityId is { } agency && ids.Contains(agency)))
        {
            return true;
        }

        return await db.Set<TenderDownload>().AnyAsync(d => d.ProjectId == projectId && ids.Contains(d.EntityId), cancellationToken);
    }
}
