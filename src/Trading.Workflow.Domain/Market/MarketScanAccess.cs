using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Market;

/// <summary>
/// The users of a market entity may download its scans (staff and supervisors already may: a scan names no centre).
/// A scan is a registry document of no project; it is the entity's when one of the entity's profiles names it.
/// </summary>
public sealed class MarketScanAccess(ITradingDatabase database, IUserDirectory users) : IDocumentAccessRule
{
    public async ValueTask<bool> MayDownloadAsync(DocumentActor actor, Document document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(document);
        if (document.ProjectId is not null || document.CentreId is not null
            || await users.FindByUserNameAsync(actor.UserName, cancellationToken) is not { } account)
        {
            return false;
        }

        // Memberships are kept by account id; a user acts for one or two entities, so their profiles are read whole.
        await using var db = database.Create();
        var entities = await db.Set<MarketEntity>().AsNoTracking()
            .Where(e => e.Members.Any(m => m.UserId == account.AccountId))
            .ToListAsync(cancellationToken);
        return entities.SelectMany(MarketEntityService.ScansOf).Any(s => s.DocumentId == document.Id);
    }
}
