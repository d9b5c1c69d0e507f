using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Printing;

/// <summary>
/// Who may download an issued official document beyond staff of its centre and supervisors: its audience — anyone
/// when public, the users named, the users acting for the entities named, and users holding a named role in the
/// document's project (a Tenderee of its owner or agency, an Expert drawn for it, a Bidder of a participant).
/// </summary>
public sealed class OfficialDocumentAccess(ITradingDatabase database, IServiceProvider services) : IDocumentAccessRule
{
    public async ValueTask<bool> MayDownloadAsync(DocumentActor actor, Document document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(document);
        if (document.ProjectId is null)
        {
            return false;
        }

        OfficialDocumentRecord? record;
        await using (var db = database.Create())
        {
            record = await db.Set<OfficialDocumentRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.DocumentId == document.Id, cancellationToken);
        }

        if (record is null)
        {
            return false;
        }

        var audience = record.Audience;
        if (audience.Public || audience.UserNames.Contains(actor.UserName, StringComparer.Ordinal))
        {
            return true;
        }

        if (audience.EntityIds.Count == 0 && audience.Roles.Count == 0)
        {
            return false;
        }

        var authorization = services.GetRequiredService<IProjectAuthorization>();
        if (await authorization.PrincipalAsync(actor.UserName, actor.Roles, cancellationToken) is not { } principal)
        {
            return false;
        }

        if (principal.EntityIds.Any(audience.EntityIds.Contains))
        {
            return true;
        }

        if (audience.Roles.Count == 0 || await authorization.ScopeAsync(record.ProjectId, cancellationToken) is not { } scope)
        {
            return false;
        }

        var standing = authorization.StandingOf(principal, scope);
        return audience.Roles.Any(role => standing.RolesInProject.Contains(role, StringComparer.Ordinal));
    }
}
