using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// Who is looking at deposits: the user (its name is what the trail records), the roles, the user's centre, the
/// verified market entities it acts for, and the centres whose deposits it oversees (a supervisor: its region, the centre
/// and every centre below it; null: the whole province). Whether it may see or manage one section's deposits is the
/// project's rule of who is a party (<see cref="IProjectAuthorization"/>), asked per section through
/// <see cref="DepositAccess.StandingAsync"/>.
/// </summary>
public sealed record DepositViewer(
    string UserName, IReadOnlySet<string> Roles, Guid? CentreId, IReadOnlyList<DepositorEntity> Entities, IReadOnlyCollection<Guid>? SupervisedCentres)
{
    public bool IsStaff => Roles.Contains(PlatformRoles.Staff);

    public bool IsSupervisor => Roles.Contains(PlatformRoles.Supervisor);

    public bool IsBidder => Roles.Contains(PlatformRoles.Bidder);

    /// <summary>Staff of the section's own centre manage its deposits (assign payments, refund, forfeit).</summary>
    public bool MayManage(ProjectStanding? standing) => IsStaff && standing?.Is(ProjectParty.CentreStaff) == true;

    /// <summary>Staff of the centre or a centre above it, supervisors of the region and administrators see a section's deposits.</summary>
    public bool MayView(ProjectStanding? standing) =>
        standing?.Is(ProjectParty.CentreStaff | ProjectParty.ParentCentreStaff | ProjectParty.Supervisor | ProjectParty.Administrator) == true;

    public bool ActsFor(Guid entityId) => Entities.Any(e => e.EntityId == entityId);
}

/// <summary>
/// Resolves the <see cref="DepositViewer"/> of the signed-in user on the server (role, centre claim, market entities);
/// pages decide what to show and allow from it and from the user's standing in the section's project, never from what
/// the browser sends.
/// </summary>
public sealed class DepositAccess(
    AuthenticationStateProvider authentication, IBasicAccountLookup entities, IProjectAuthorization authorization, IPlatformDirectory platform)
{
    private DepositViewer? _viewer;
    private ProjectPrincipal? _principal;

    public async Task<DepositViewer> CurrentAsync(CancellationToken cancellationToken = default)
    {
        if (_viewer is not null)
        {
            return _viewer;
        }

        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return _viewer = await ForAsync(user, cancellationToken);
    }

    /// <summary>An HTTP endpoint's viewer: the request's user (there is no component's authentication state there).</summary>
    public async Task<DepositViewer> ForRequestAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        _viewer = await ForAsync(user, cancellationToken);

    /// <summary>The signed-in user's standing in the section's project; null for a user without an account or a section without a project.</summary>
    public async Task<ProjectStanding?> StandingAsync(DepositSection section, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(section);
        var viewer = await CurrentAsync(cancellationToken);
        if (viewer.UserName.Length == 0)
        {
            return null;
        }

        _principal ??= await authorization.PrincipalAsync(viewer.UserName, [.. viewer.Roles], cancellationToken);
        return _principal is not null && await authorization.ScopeAsync(section.ProjectId, cancellationToken) is { } scope
            ? authorization.StandingOf(_principal, scope)
            : null;
    }

    private async Task<DepositViewer> ForAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (name, roles, centre, acting) = await ActorAsync(user, entities, cancellationToken);
        // The centres whose lists the user sees: a supervisor its region (its centre and those below), a province-wide
        // supervisor every centre, staff their own centre.
        IReadOnlyCollection<Guid>? supervised = roles.Contains(PlatformRoles.Supervisor)
            ? centre is { } region ? await platform.WithDescendantsAsync(region, cancellationToken) : null
            : centre is { } own ? [own] : [];
        return new DepositViewer(name, roles, centre, acting, supervised);
    }

    /// <summary>The signed-in user's name, known roles, centre claim and, for a bidder, the entities it acts for.</summary>
    public static async Task<(string UserName, HashSet<string> Roles, Guid? CentreId, IReadOnlyList<DepositorEntity> Entities)> ActorAsync(
        ClaimsPrincipal user, IBasicAccountLookup entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(entities);
        var name = user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n : string.Empty;
        var roles = WorkflowUser.RolesOf(user).ToHashSet(StringComparer.Ordinal);
        var centre = CentreClaimsPrincipalFactory.CentreOf(user);
        // Memberships are kept by Identity user id.
        var userId = user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var acting = userId is { Length: > 0 } && roles.Contains(PlatformRoles.Bidder)
            ? await entities.EntitiesOfUserAsync(userId, cancellationToken)
            : [];
        return (name, roles, centre, acting);
    }
}
