using System.Security.Claims;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Web.Bidding;

/// <summary>How a signed-in user takes part in a lot's room: a bidder bids under its number, the others only watch.</summary>
public enum RoomRole
{
    Bidder,
    Staff,
    Supervisor,
    Grantor,
}

/// <summary>The viewer of a room, decided on the server from the user's roles and memberships, never from the browser.</summary>
public sealed record RoomViewer(string UserName, RoomRole Role, int? BidderNumber)
{
    public bool CanBid => Role == RoomRole.Bidder && BidderNumber is not null;
}

/// <summary>
/// Who may enter a lot's room: staff and supervisors (read-only), the grantor's accounts (role Tenderee, read-only)
/// and the bidders admitted to the lot (each under its own number). Nobody reads the reserve through the room.
/// </summary>
public sealed class BiddingAccess(BidLogStore store, IEntityMembership membership)
{
    public async Task<RoomViewer?> ViewerAsync(ClaimsPrincipal user, Guid lotId, CancellationToken cancellationToken = default)
    {
        if (user.Identity is not { IsAuthenticated: true, Name: { Length: > 0 } name })
        {
            return null;
        }

        if (user.IsInRole(PlatformRoles.Bidder) && user.FindFirst(ClaimTypes.NameIdentifier)?.Value is { Length: > 0 } userId)
        {
            var entities = (await membership.EntitiesOfAsync(userId, cancellationToken)).Where(e => e.IsVerified).Select(e => e.EntityId).ToHashSet();
            if ((await store.BiddersAsync(lotId, cancellationToken)).FirstOrDefault(b => entities.Contains(b.EntityId)) is { } bidder)
            {
                return new RoomViewer(name, RoomRole.Bidder, bidder.Number);
            }
        }

        if (user.IsInRole(PlatformRoles.Staff))
        {
            return new RoomViewer(name, RoomRole.Staff, null);
        }

        if (user.IsInRole(PlatformRoles.Supervisor))
        {
            return new RoomViewer(name, RoomRole.Supervisor, null);
        }

        return user.IsInRole(PlatformRoles.Tenderee) ? new RoomViewer(name, RoomRole.Grantor, null) : null;
    }
}
