using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.Deposits;

namespace Trading.Workflow.Web.Openings;

/// <summary>Who looks at an opening: the user, roles, centre and the market entities it acts for (resolved on the server).</summary>
public sealed record OpeningViewer(string UserName, IReadOnlySet<string> Roles, Guid? CentreId, IReadOnlyList<DepositorEntity> Entities)
{
    public bool IsStaff => Roles.Contains(PlatformRoles.Staff);

    public bool IsBidder => Roles.Contains(PlatformRoles.Bidder);

    public bool IsSupervisor => Roles.Contains(PlatformRoles.Supervisor);

    /// <summary>The host: staff of the centre that runs the session's project.</summary>
    public bool IsHostOf(OpeningSession session) => IsStaff && CentreId is { } centre && session.CentreId == centre;

    /// <summary>The user's bid in the session, when the user acts for a bidder of it.</summary>
    public OpeningBid? BidIn(OpeningView view) => IsBidder ? view.Bids.FirstOrDefault(b => Entities.Any(e => e.EntityId == b.EntityId)) : null;
}

/// <summary>
/// Decides on the server who may watch and act in an opening: the host (staff of its centre), each bidder for its own
/// bid (or, in a section re-tendered without opening, for its participation), and the parties that may read the project
/// (tenderee, supervisors) watch; nobody else.
/// </summary>
public sealed class OpeningAccess(AuthenticationStateProvider authentication, IBasicAccountLookup entities, IProjectAuthorization projects, ITradingDatabase database)
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
               || (viewer.UserName.Length > 0 && await projects.CanAsync(viewer.UserName, view.Session.ProjectId, ProjectAction.ViewProject, null, cancellationToken))
               || (view.Session.State == OpeningState.Retender && await TakesPartAsync(viewer, view.Session.SectionId, cancellationToken));
    }

    /// <summary>
    /// A supervisor of the project (its centre, a centre above it, or the whole province) watches the host console
    /// read-only: at the opening the bidders' names and prices are read out to all present (法 36), and supervisors
    /// oversee the opening; acting stays the host's.
    /// </summary>
    public async Task<bool> MayOverseeAsync(OpeningViewer viewer, OpeningView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(view);
        if (!viewer.IsSupervisor || viewer.UserName.Length == 0
            || await projects.PrincipalAsync(viewer.UserName, viewer.Roles, cancellationToken) is not { } principal
            || await projects.ScopeAsync(view.Session.ProjectId, cancellationToken) is not { } project)
        {
            return false;
        }

        return projects.StandingOf(principal, project).Parties.HasFlag(ProjectParty.Supervisor);
    }

    /// <summary>A section re-tendered at the deadline opened no bid: its participants still see why (条例 44).</summary>
    private async Task<bool> TakesPartAsync(OpeningViewer viewer, Guid sectionId, CancellationToken cancellationToken)
    {
        if (!viewer.IsBidder || viewer.Entities.Count == 0)
        {
            return false;
        }

        var ids = viewer.Entities.Select(e => e.EntityId).ToList();
        await using var db = database.Create();
        return await db.Set<Participation>().AsNoTracking().AnyAsync(p => p.SectionId == sectionId && ids.Contains(p.EntityId), cancellationToken);
    }
}
