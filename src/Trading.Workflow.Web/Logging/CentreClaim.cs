using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Logging;

/// <summary>
/// Puts the account's trading centre in the sign-in cookie, so every request line in the log names the centre
/// without a database query per request; and its display name, so the app bar and the home page greet the user by it
/// without one either (the cookie's periodic revalidation picks up a name an administrator changed).
/// </summary>
public sealed class CentreClaimsPrincipalFactory(
    UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    public const string ClaimType = "tw:centre";

    public const string DisplayNameClaimType = "tw:display-name";

    /// <summary>How the user is greeted: the account's display name, else its user name (an account without one).</summary>
    public static string DisplayNameOf(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(DisplayNameClaimType)?.Value is { Length: > 0 } name ? name : principal.Identity?.Name ?? string.Empty;
    }

    /// <summary>The centre the signed-in account belongs to, from its cookie; null for an account of no centre.</summary>
    public static Guid? CentreOf(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Guid.TryParse(principal.FindFirst(ClaimType)?.Value, out var centre) ? centre : null;
    }

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.CentreId is { } centreId)
        {
            identity.AddClaim(new Claim(ClaimType, centreId.ToString()));
        }

        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim(DisplayNameClaimType, user.DisplayName.Trim()));
        }

        return identity;
    }
}
