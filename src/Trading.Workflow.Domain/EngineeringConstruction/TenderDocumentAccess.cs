using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// Who may fetch a tender's documents (its tender documents, bill of quantities and amended files) beyond their
/// uploader and the centre's staff: a user whose download for a market entity was recorded by
/// <see cref="TenderService.RecordDownloadAsync"/>, which checks the sale period, the entity's verification and the
/// user's membership first.
/// </summary>
public sealed class TenderDocumentAccess(ITradingDatabase database) : IDocumentAccessRule
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
        return await db.Set<TenderDownload>().AsNoTracking()
            .AnyAsync(d => d.ProjectId == projectId && d.DocumentId == document.Id && d.UserName == actor.UserName, cancellationToken);
    }
}
