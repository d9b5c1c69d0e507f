using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// Who may fetch a tender's documents beyond their uploader and the centre's staff: a user whose download of a tender
/// document (tender documents, bill of quantities, amended files) for a market entity was recorded by
/// <see cref="TenderService.RecordDownloadAsync"/>, which checks the sale period, the entity's verification and the
/// user's membership first; and a prequalification application file, the tenderee's and its agency's users, who review
/// it (never the other applicants).
/// </summary>
public sealed class TenderDocumentAccess(ITradingDatabase database, IServiceProvider services) : IDocumentAccessRule
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
        if (await db.Set<TenderDownload>().AsNoTracking()
            .AnyAsync(d => d.ProjectId == projectId && d.DocumentId == document.Id && d.UserName == actor.UserName, cancellationToken))
        {
            return true;
        }

        if (!await db.Set<TenderApplication>().AsNoTracking().AnyAsync(a => a.ProjectId == projectId && a.DocumentId == document.Id, cancellationToken)
            || await db.Set<Tender>().AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == projectId, cancellationToken) is not { } tender)
        {
            return false;
        }

        // Memberships name accounts by their Identity id; the directory maps the user name (hosts without one use the name).
        var account = services.GetService<IUserDirectory>() is { } directory
            ? (await directory.FindByUserNameAsync(actor.UserName, cancellationToken))?.AccountId
            : actor.UserName;
        var membership = services.GetRequiredService<IEntityMembership>();
        return account is not null
               && (await membership.IsMemberAsync(tender.OwnerEntityId, account, cancellationToken)
                   || (tender.AgencyEntityId is { } agency && await membership.IsMemberAsync(agency, account, cancellationToken)));
    }
}
