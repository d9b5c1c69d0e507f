using System.Resources;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Configuration;

[assembly: NeutralResourcesLanguage("zh-CN")]

namespace Trading.Workflow.Web.Localization;

public static class LocalizationExtensions
{
    public const string SetCulturePath = "/culture/set";

    /// <summary>Resource-based UI strings; the language comes from a cookie only, so Chinese stays the default.</summary>
    public static IServiceCollection AddPlatformLocalization(this IServiceCollection services)
    {
        services.AddValidatedOptions<CultureOptions, CultureOptions.Validator>(CultureOptions.SectionName);
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<CultureOptions>>((localization, cultures) =>
        {
            var supported = cultures.Value.Cultures();
            localization.DefaultRequestCulture = new RequestCulture(cultures.Value.DefaultCulture);
            localization.SupportedCultures = supported;
            localization.SupportedUICultures = supported;
            localization.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>GET /culture/set?culture=en&amp;redirectUri=/x stores the choice in the culture cookie and goes back.</summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(SetCulturePath, SetCulture).AllowAnonymous().ExcludeFromDescription(); // a browser link, not part of the REST API
        return endpoints;
    }

    public static RedirectHttpResult SetCulture(HttpContext context, IOptions<CultureOptions> cultures, string? culture, string? redirectUri)
    {
        var chosen = cultures.Value.SupportedCultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase))
                     ?? cultures.Value.DefaultCulture;
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
        return TypedResults.LocalRedirect(LocalPath.OrHome(redirectUri));
    }
}
