using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Trading.Workflow.Web.Accounts;

/// <summary>
/// Re-checks an interactive user's session (<see cref="AccountSessions"/>) every few seconds, so an open page whose
/// account was locked, reset or given other roles turns anonymous even when the user does nothing; any event the
/// page sends is refused at once by <see cref="SessionHubFilter"/>.
/// </summary>
internal sealed class RevalidatingIdentityStateProvider(ILoggerFactory loggerFactory, AccountSessions sessions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(15);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await sessions.IsValidAsync(authenticationState.User, cancellationToken);
}
