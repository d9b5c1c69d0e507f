using Microsoft.AspNetCore.Components.Authorization;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Web.Deposits;

namespace Trading.Workflow.Web.Openings;

/// <summary>Who looks at an opening: the user, roles, centre and the market entities it acts for (resolved on the server).</summary>
public sealed record OpeningViewer(string UserName, IReadOnlySet<string> Roles, Guid? CentreId, IReadOnlyList<DepositorEntity> Entities)
{
    public bool IsStaff => Roles.Contains(PlatformRoles.Staff);

    public bool IsBidder => Roles.Contains(PlatformRoles.Bidder);

    /// <summary>The host: staff of the centre that runs the session's project.</summary>
    public bool IsHostOf(OpeningSession session) => IsStaff && CentreId is { } centre && session.CentreId == centre;

    /// <summary>The user's bid in the session, when the user acts for a bidder of it.</summary>
    public OpeningBid? BidIn(OpeningView view) => IsBidder ? view.Bids.FirstOrDefault(b => Entities.Any(e => e.EntityId == b.EntityId)) : null;
}

/// <summary>
/// Decides on the server who may watch and act in an opening: the host (staff of its centre), each bidder for its own
/// bid, and the parties that may read the project (tenderee, supervisors) watch; nobody else.
/// </summary>
public sealed class OpeningAccess(AuthenticationStateProvider authentication, IBasicAccountLookup entities, IProjectAuthorization projects)
{
    private OpeningViewer? _viewer;

    public async Task<OpeningViewer> CurrentAsync(CancellationToken cancellationToken = default)
    {
        if (_viewer is not null)
        {
            return _viewer;
        }

        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var (name, roles, centre, acting) = await DepositAccess.ActorAsync(user, entities, cancellationToken);
        return _viewer = new OpeningViewer(name, roles, centre, acting);
    }

    public async Task<bool> MayWatchAsync(OpeningViewer viewer, OpeningView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(view);
        return viewer.IsHostOf(view.Session)
               || viewer.BidIn(view) is not null
               || (viewer.UserName.Length > 0 && await projects.CanAsync(viewer.UserName, view.Session.ProjectId, ProjectAction.ViewProject, null, cancellationToken));
    }
}
