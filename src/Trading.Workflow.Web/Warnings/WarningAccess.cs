using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Web.Kernel;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Warnings;

/// <summary>
/// The signed-in user as <see cref="WarningService"/> judges it (name, roles, centre claim), built on the server:
/// the service decides what the user sees and may do, whatever a page shows.
/// </summary>
public sealed class WarningAccess(AuthenticationStateProvider authentication)
{
    private WarningViewer? _viewer;

    public async Task<WarningViewer> CurrentAsync()
    {
        if (_viewer is not null)
        {
            return _viewer;
        }

        return _viewer = For((await authentication.GetAuthenticationStateAsync()).User);
    }

    /// <summary>The viewer a user is, also for an HTTP endpoint (there is no component's authentication state there).</summary>
    public static WarningViewer For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n : string.Empty;
        return new WarningViewer(name, WorkflowUser.RolesOf(user), CentreClaimsPrincipalFactory.CentreOf(user));
    }
}

public static class WarningsWebExtensions
{
    /// <summary>The pages' view of the signed-in user for the collusion warnings, and the demo data that shows one.</summary>
    public static IServiceCollection AddWarningsWeb(this IServiceCollection services)
    {
        services.AddScoped<WarningAccess>();
        services.AddDemoDataStep<WarningsDemoData>();
        return services;
    }
}
