using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Web.Logging;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// Who is looking at deposits: the user (its name is what the trail records), the roles, the user's centre and the
/// verified market entities it acts for.
/// </summary>
public sealed record DepositViewer(string UserName, IReadOnlySet<string> Roles, Guid? CentreId, IReadOnlyList<DepositorEntity> Entities)
{
    public bool IsStaff => Roles.Contains(PlatformRoles.Staff);

    public bool IsSupervisor => Roles.Contains(PlatformRoles.Supervisor);

    public bool IsBidder => Roles.Contains(PlatformRoles.Bidder);

    /// <summary>Staff of the section's centre manage its deposits (assign payments, refund, forfeit).</summary>
    public bool MayManage(DepositSection section) => IsStaff && CentreId is { } centre && section.CentreId == centre;

    /// <summary>Supervisors see the deposits of their centre's sections, or of every centre when they oversee the province.</summary>
    public bool MaySupervise(DepositSection section) => IsSupervisor && (CentreId is null || CentreId == section.CentreId);

    public bool MayView(DepositSection section) => MayManage(section) || MaySupervise(section);

    /// <summary>The centres whose payments a supervisor sees (null: all); staff see their own centre's.</summary>
    public IReadOnlyCollection<Guid>? SupervisedCentres => CentreId is { } centre ? [centre] : null;

    public bool ActsFor(Guid entityId) => Entities.Any(e => e.EntityId == entityId);
}

/// <summary>
/// Resolves the <see cref="DepositViewer"/> of the signed-in user on the server (role, centre claim, market entities);
/// pages decide what to show and allow from it, never from what the browser sends.
/// </summary>
public sealed class DepositAccess(AuthenticationStateProvider authentication, IBasicAccountLookup entities)
{
    private DepositViewer? _viewer;

    public async Task<DepositViewer> CurrentAsync(CancellationToken cancellationToken = default)
    {
        if (_viewer is not null)
        {
            return _viewer;
        }

        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return _viewer = await ForAsync(user, entities, cancellationToken);
    }

    public static async Task<DepositViewer> ForAsync(ClaimsPrincipal user, IBasicAccountLookup entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(entities);
        var name = user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n : string.Empty;
        var roles = user.FindAll(user.Identities.FirstOrDefault()?.RoleClaimType ?? ClaimTypes.Role).Select(c => c.Value)
            .Where(PlatformRoles.IsKnown).ToHashSet(StringComparer.Ordinal);
        Guid? centre = Guid.TryParse(user.FindFirst(CentreClaimsPrincipalFactory.ClaimType)?.Value, out var id) ? id : null;
        // Memberships are kept by Identity user id.
        var userId = user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var acting = userId is { Length: > 0 } && roles.Contains(PlatformRoles.Bidder)
            ? await entities.EntitiesOfUserAsync(userId, cancellationToken)
            : [];
        return new DepositViewer(name, roles, centre, acting);
    }
}
