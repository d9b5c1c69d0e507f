using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// The agency's letter of authorisation (委托代理合同/授权书) is read by whoever reads its project
/// (<see cref="ProjectAction.ViewProject"/>: the owner's and the agency's users, staff of the project's centre,
/// supervisors), by the one rule of who is a party of a project. A document is the letter when it is a document of the
/// project with the SHA-256 the project names; bidders and other entities' users never read it.
/// </summary>
public sealed class AgencyLetterAccess(ITradingDatabase database, IServiceProvider services) : IDocumentAccessRule
{
    public async ValueTask<bool> MayDownloadAsync(DocumentActor actor, Document document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(document);
        if (document.ProjectId is not { } projectId)
        {
            return false;
        }

        bool letter;
        await using (var db = database.Create())
        {
            letter = await db.Set<Project>().AsNoTracking().AnyAsync(p => p.Id == projectId && p.AgencyLetterSha256 == document.Sha256, cancellationToken);
        }

        // Resolved for a letter only: a host that cannot build the access rules (some test hosts) never asks about one.
        return letter
            && services.GetService<IProjectAuthorization>() is { } authorization
            && await authorization.PrincipalAsync(actor.UserName, actor.Roles, cancellationToken) is { } principal
            && await authorization.ScopeAsync(projectId, cancellationToken) is { } scope
            && authorization.StandingOf(principal, scope).Can(ProjectAction.ViewProject);
    }
}
