using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Accounts;

/// <summary>
/// Re-checks an interactive user's security stamp every few minutes, so an account that an administrator
/// locked or whose password was reset loses its open pages too, not only its next sign-in.
/// </summary>
internal sealed class RevalidatingIdentityStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> identityOptions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(5);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await IsStillValidAsync(users, authenticationState.User);
    }

    private async Task<bool> IsStillValidAsync(UserManager<AppUser> users, ClaimsPrincipal principal)
    {
        if (await users.GetUserAsync(principal) is not { } user || await users.IsLockedOutAsync(user))
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var principalStamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await users.GetSecurityStampAsync(user);
    }
}
