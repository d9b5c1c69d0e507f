using Trading.Workflow.Web.Accounts;

namespace Trading.Workflow.Web.Components.Layout;

/// <summary>Light or dark, kept in a cookie like the language so static and interactive pages agree.</summary>
public static class ThemeSwitch
{
    public const string Path = "/theme/set";
    public const string CascadeName = "DarkMode";
    private const string Cookie = "tw-theme";

    public static bool IsDark(HttpRequest request) => request.Cookies[Cookie] == "dark";

    public static string SwitchUrl(bool dark, string returnPath) =>
        $"{Path}?mode={(dark ? "dark" : "light")}&redirectUri={Uri.EscapeDataString(returnPath)}";

    /// <summary>GET /theme/set?mode=dark&amp;redirectUri=/x stores the choice and goes back.</summary>
    public static IEndpointRouteBuilder MapThemeSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (HttpContext context, string? mode, string? redirectUri) =>
        {
            context.Response.Cookies.Append(Cookie, mode == "dark" ? "dark" : "light",
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return TypedResults.LocalRedirect(LocalPath.OrHome(redirectUri));
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
