using System.Security.Claims;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Bidding;

/// <summary>How a signed-in user takes part in a lot's room: a bidder bids under its number, the others only watch.</summary>
public enum RoomRole
{
    Bidder,
    Staff,
    Supervisor,
    Grantor,
}

/// <summary>
/// The viewer of a room, decided on the server from the user's roles, memberships and standing in the lot's project,
/// never from the browser. <see cref="CanManage"/>: staff of the project's own centre (admit, change the increment).
/// </summary>
public sealed record RoomViewer(string UserName, RoomRole Role, int? BidderNumber, bool CanManage = false)
{
    public bool CanBid => Role == RoomRole.Bidder && BidderNumber is not null;
}

/// <summary>
/// Who may enter a lot's room and manage it, by the lot's project (<see cref="IProjectAuthorization"/>), not by role
/// alone: the bidders admitted to the lot (each under its own number); staff of the project's centre (manage) or of a
/// centre above it (read-only); the grantor's accounts (role Tenderee acting for the project's owner or its agency,
/// read-only); supervisors (read-only, every lot). A lot without a project (registered by a slice for a test or the
/// bench) is watched by staff and supervisors only and managed by nobody through the web. Nobody reads the reserve here.
/// </summary>
public sealed class BiddingAccess(BidLogStore store, IEntityMembership membership, IProjectAuthorization projects)
{
    public async Task<RoomViewer?> ViewerAsync(ClaimsPrincipal user, Guid lotId, CancellationToken cancellationToken = default)
    {
        var lot = await store.FindLotAsync(lotId, cancellationToken);
        return lot is null ? null : await ViewerAsync(user, lot, cancellationToken);
    }

    public async Task<RoomViewer?> ViewerAsync(ClaimsPrincipal user, LotRecord lot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(lot);
        if (user.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return null;
        }

        if (user.IsInRole(PlatformRoles.Bidder) && user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { Length: > 0 } userId)
        {
            var entities = (await membership.EntitiesOfAsync(userId, cancellationToken)).Where(e => e.IsVerified).Select(e => e.EntityId).ToHashSet();
            if ((await store.BiddersAsync(lot.Id, cancellationToken)).FirstOrDefault(b => entities.Contains(b.EntityId)) is { } bidder)
            {
                return new RoomViewer(name, RoomRole.Bidder, bidder.Number);
            }
        }

        var standing = await StandingAsync(user, name, lot.ProjectId, cancellationToken);
        if (user.IsInRole(PlatformRoles.Staff))
        {
            if (lot.ProjectId is null)
            {
                return new RoomViewer(name, RoomRole.Staff, null);
            }

            if (standing?.Is(ProjectParty.CentreStaff) == true)
            {
                return new RoomViewer(name, RoomRole.Staff, null, CanManage: true);
            }

            if (standing?.Is(ProjectParty.ParentCentreStaff) == true)
            {
                return new RoomViewer(name, RoomRole.Staff, null);
            }
        }

        if (user.IsInRole(PlatformRoles.Supervisor))
        {
            return new RoomViewer(name, RoomRole.Supervisor, null);
        }

        return user.IsInRole(PlatformRoles.Tenderee) && standing?.Is(ProjectParty.Owner | ProjectParty.Agency) == true
            ? new RoomViewer(name, RoomRole.Grantor, null)
            : null;
    }

    /// <summary>Whether the user may register a lot for the project: staff of the project's own centre.</summary>
    public async Task<bool> MayCreateAsync(ClaimsPrincipal user, Guid projectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(PlatformRoles.Staff) && user.Identity?.Name is { Length: > 0 } name
            && (await StandingAsync(user, name, projectId, cancellationToken))?.Is(ProjectParty.CentreStaff) == true;
    }

    private async Task<ProjectStanding?> StandingAsync(ClaimsPrincipal user, string name, Guid? projectId, CancellationToken cancellationToken)
    {
        if (projectId is not { } id)
        {
            return null;
        }

        var principal = await projects.PrincipalAsync(name, WorkflowUser.RolesOf(user), cancellationToken);
        return principal is not null && await projects.ScopeAsync(id, cancellationToken) is { } scope ? projects.StandingOf(principal, scope) : null;
    }
}
