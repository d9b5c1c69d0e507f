using System.Security.Claims;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Projects;

/// <summary>
/// Builds the <see cref="ProjectActor"/> of a signed-in user: user name, platform roles, the centre from the sign-in
/// cookie and the market entities the user acts for (asked of the market part on every call, so a removed membership
/// counts at once).
/// </summary>
public sealed class ProjectActors(IProjectParties parties)
{
    public async Task<ProjectActor> ForAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var userId = principal.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : throw new ProjectAccessDeniedException();
        var roles = WorkflowUser.RolesOf(principal);
        var centre = CentreClaimsPrincipalFactory.CentreOf(principal);
        // Memberships are kept by account id; the engine and the trail name users by user name.
        var accountId = principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var actsFor = accountId is null ? [] : await parties.ActingForAsync(accountId, cancellationToken);
        return new ProjectActor(userId, roles, centre, actsFor);
    }
}
