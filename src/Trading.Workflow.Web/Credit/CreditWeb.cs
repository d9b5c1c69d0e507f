using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Web.Kernel;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Credit;

/// <summary>
/// The signed-in user as <see cref="CreditService"/> judges it (name, account id, roles, centre claim), built on the
/// server: the service decides what the user may read and do, whatever a page shows.
/// </summary>
public sealed class CreditAccess(AuthenticationStateProvider authentication)
{
    private CreditViewer? _viewer;

    public async Task<CreditViewer> CurrentAsync()
    {
        if (_viewer is not null)
        {
            return _viewer;
        }

        return _viewer = ViewerOf((await authentication.GetAuthenticationStateAsync()).User);
    }

    /// <summary>The viewer of a signed-in principal (a page's or an endpoint's).</summary>
    public static CreditViewer ViewerOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } n } ? n : string.Empty;
        // The account id is the NameIdentifier claim, as Identity's UserManager.GetUserId reads it.
        return new CreditViewer(name, user.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty, WorkflowUser.RolesOf(user), CentreClaimsPrincipalFactory.CentreOf(user));
    }
}

/// <summary>Credit records in the user's language (Resources/CreditResource.tsv).</summary>
public static class CreditText
{
    /// <summary>A rule code's message; the code itself when none is known.</summary>
    public static string Rule(this IStringLocalizer<CreditResource> text, string code)
    {
        var message = text[code];
        return message.ResourceNotFound ? code : message.Value;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The bar's days, or "no bar".</summary>
    public static string Period(this IStringLocalizer<CreditResource> text, bool bars, DateOnly? from, DateOnly? until) =>
        from is { } f && until is { } u ? text["Period.Value", Day(f), Day(u)] : bars ? string.Empty : text["Period.None"];

    /// <summary>In force, revoked, or expired (its period ended before <paramref name="today"/>).</summary>
    public static string State(this IStringLocalizer<CreditResource> text, CreditRecord record, DateOnly today) =>
        record.IsRevoked ? text["State.Revoked"] : record.BarUntil is { } until && until < today ? text["State.Expired"] : text["State.Active"];
}

public static class CreditWebExtensions
{
    /// <summary>The pages' view of the signed-in user for credit records.</summary>
    public static IServiceCollection AddCreditWeb(this IServiceCollection services)
    {
        services.AddScoped<CreditAccess>();
        services.AddDemoDataStep<CreditDemoData>();
        return services;
    }
}
