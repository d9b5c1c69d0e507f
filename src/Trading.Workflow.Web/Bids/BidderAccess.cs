using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Kernel;

namespace Trading.Workflow.Web.Bids;

/// <summary>Who is looking at sealed bids: the user name (what the trail and the documents record) and the verified entities it acts for.</summary>
public sealed record BidViewer(string UserName, string UserId, IReadOnlyList<EntityMembershipInfo> Entities)
{
    public bool ActsFor(Guid entityId) => Entities.Any(e => e.EntityId == entityId);

    public bool Administers(Guid entityId) => Entities.Any(e => e.EntityId == entityId && e.IsAdministrator);
}

/// <summary>
/// Resolves the <see cref="BidViewer"/> on the server from the signed-in user (role Bidder, Identity user id →
/// memberships); pages decide what to show and allow from it, never from what the browser sends.
/// </summary>
public sealed class BidderAccess(AuthenticationStateProvider authentication, IEntityMembership membership)
{
    private BidViewer? _viewer;

    public async Task<BidViewer> CurrentAsync(CancellationToken cancellationToken = default)
    {
        if (_viewer is not null)
        {
            return _viewer;
        }

        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var name = user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n : string.Empty;
        var userId = user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? string.Empty;
        IReadOnlyList<EntityMembershipInfo> entities = userId.Length > 0 && user.IsInRole(PlatformRoles.Bidder)
            ? [.. (await membership.EntitiesOfAsync(userId, cancellationToken)).Where(e => e.IsVerified)]
            : [];
        return _viewer = new BidViewer(name, userId, entities);
    }
}

public static class BidsWebExtensions
{
    /// <summary>The bid pages' services (the domain part is registered by AddTradingKernel) and the demo bidder keys.</summary>
    public static IServiceCollection AddBidsWeb(this IServiceCollection services)
    {
        services.AddScoped<BidderAccess>();
        services.AddSingleton<BidQueries>();
        services.AddDemoDataStep<BidsDemoData>();
        return services;
    }
}
