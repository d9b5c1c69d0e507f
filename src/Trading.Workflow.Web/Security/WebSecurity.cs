using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Security;

/// <summary>How the platform is reached and how much a request may carry.</summary>
public sealed class WebSecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>
    /// Served over HTTPS (directly or behind a TLS proxy): cookies are Secure only, HSTS is sent, and plain HTTP
    /// requests are redirected. Default false (a development machine on http://localhost).
    /// </summary>
    public bool HttpsOnly { get; set; }

    /// <summary>Behind a reverse proxy: honour X-Forwarded-For and X-Forwarded-Proto from <see cref="KnownProxies"/>.</summary>
    public bool ForwardedHeaders { get; set; }

    /// <summary>Addresses of the proxies whose forwarded headers are believed (loopback is always believed).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Largest request body of an endpoint that declares none (uploads declare their own). Default 1 MiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>HSTS max-age in days. Default 365.</summary>
    public int HstsDays { get; set; } = 365;

    internal sealed class Validator : IValidateOptions<WebSecurityOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebSecurityOptions options)
        {
            var errors = new OptionsErrors();
            errors.Require(options.MaxRequestBodyBytes is >= 1024 and <= 1024L * 1024 * 1024,
                $"{SectionName}:MaxRequestBodyBytes", "must be between 1024 and 1073741824.");
            errors.Require(options.HstsDays is >= 1 and <= 730, $"{SectionName}:HstsDays", "must be between 1 and 730.");
            errors.Require(options.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                $"{SectionName}:KnownProxies", "must list IP addresses.");
            return errors.Result();
        }
    }
}

/// <summary>An endpoint's own largest request body, computed per request (from its options) by the request-limit middleware.</summary>
public sealed class RequestBodyLimit(Func<HttpContext, long> limit)
{
    public long For(HttpContext context) => limit(context);
}

/// <summary>
/// Headers, cookies, forwarded headers and request body limits for every response: a Content-Security-Policy that lets
/// only the platform's own scripts run (the import map Blazor writes inline is allowed by its hash), nosniff, a referrer
/// policy, framing refused, no Server header; HSTS and Secure cookies when <see cref="WebSecurityOptions.HttpsOnly"/>.
/// </summary>
public static class WebSecurity
{
    /// <summary>The API reference (Scalar) needs its own inline start-up script and styles.</summary>
    private const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddPlatformWebSecurity(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebSecurityOptions, WebSecurityOptions.Validator>(WebSecurityOptions.SectionName);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<WebSecurityOptions>>((kestrel, security) =>
        {
            kestrel.AddServerHeader = false;
            // The server-wide ceiling is the largest upload; each request gets its endpoint's own limit below.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        services.Configure<FormOptions>(form =>
        {
            form.ValueLengthLimit = 64 * 1024;
            form.ValueCountLimit = 1024;
            form.KeyLengthLimit = 512;
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebSecurityOptions>>((forwarded, security) =>
        {
            forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = 1;
            foreach (var proxy in security.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddOptions<HstsOptions>().Configure<IOptions<WebSecurityOptions>>((hsts, security) =>
        {
            hsts.MaxAge = TimeSpan.FromDays(security.Value.HstsDays);
            hsts.IncludeSubDomains = false;
            // HttpsOnly is a deliberate choice: honour it whatever the host is called.
            hsts.ExcludedHosts.Clear();
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<WebSecurityOptions>>((cookie, security) =>
            cookie.Cookie.SecurePolicy = security.Value.HttpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>().Configure<IOptions<WebSecurityOptions>>((antiforgery, security) =>
            antiforgery.Cookie.SecurePolicy = security.Value.HttpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>First in the pipeline: forwarded headers, HTTPS, then the headers of every response.</summary>
    public static WebApplication UsePlatformWebSecurity(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<WebSecurityOptions>>().Value;
        if (security.ForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        if (security.HttpsOnly)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.XFrameOptions = "DENY";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                headers.Remove("Server");
                headers.Remove("X-Powered-By");
                // Replaces the frame-ancestors-only policy Blazor writes for interactive pages: this one says it too.
                headers.ContentSecurityPolicy = ContentSecurityPolicy(context);

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>After routing and authentication: the endpoint's body limit (its <see cref="RequestBodyLimit"/> or the default).</summary>
    public static WebApplication UsePlatformRequestLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var defaultLimit = context.RequestServices.GetRequiredService<IOptions<WebSecurityOptions>>().Value.MaxRequestBodyBytes;
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.For(context) ?? defaultLimit;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            // A declared length over the limit is refused before a byte is read (whatever server hosts the app).
            if (context.Request.ContentLength > limit)
            {
                var culture = System.Globalization.CultureInfo.CurrentUICulture;
                var problem = PlatformProblems.Create(StatusCodes.Status413PayloadTooLarge, PlatformProblems.Message("Input.BodyTooLarge", culture), culture);
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = problem.ToProblemDetails(),
                });
                return;
            }

            await next(context);
        });
        return app;
    }

    private static readonly ConcurrentDictionary<string, string> ImportMapHashes = new(StringComparer.Ordinal);

    /// <summary>
    /// Scripts only from the platform's own origin (Blazor, MudBlazor, the designer bundle); the inline import map by
    /// its hash; MudBlazor's and bpmn-js's inline styles; the circuit's WebSocket to the same origin.
    /// </summary>
    public static string ContentSecurityPolicy(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(Api.ApiExtensions.ReferencePath))
        {
            return ReferencePolicy;
        }

        var importMap = context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>() is { } definition
            ? " 'sha256-" + ImportMapHashes.GetOrAdd(definition.ToString(), json => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(json)))) + "'"
            : string.Empty;
        return $"default-src 'self'; script-src 'self'{importMap}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
               + "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
               + "form-action 'self'; frame-ancestors 'none'";
    }
}
