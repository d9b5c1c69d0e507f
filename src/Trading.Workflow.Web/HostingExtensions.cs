using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Api;
using Trading.Workflow.Web.Components;
using Trading.Workflow.Web.Components.Layout;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Health;
using Trading.Workflow.Web.Localization;
using Trading.Workflow.Web.Logging;

using Trading.Workflow.Web.Market;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Security;

namespace Trading.Workflow.Web;

public static class HostingExtensions
{
    /// <summary>
    /// The repository's appsettings.json is copied next to the binaries at build time; load that copy
    /// first so the app finds its settings from any working directory. Files in the content root,
    /// environment variables and the command line still override it.
    /// </summary>
    public static WebApplicationBuilder AddPlatformConfiguration(this WebApplicationBuilder builder)
    {
        var baseDirectory = AppContext.BaseDirectory;
        if (!string.Equals(Path.GetFullPath(baseDirectory).TrimEnd('/'), Path.GetFullPath(builder.Environment.ContentRootPath).TrimEnd('/'), StringComparison.Ordinal))
        {
            var sources = builder.Configuration.Sources;
            var firstJson = sources.Select((source, index) => (source, index)).FirstOrDefault(s => s.source is JsonConfigurationSource).index;
            builder.Configuration.Sources.Insert(firstJson, Json(Path.Combine(baseDirectory, $"appsettings.{builder.Environment.EnvironmentName}.json")));
            builder.Configuration.Sources.Insert(firstJson, Json(Path.Combine(baseDirectory, "appsettings.json")));
        }

        UseDefaultUrlWhenNoneChosen(builder);

        // Serve component libraries' files (MudBlazor's CSS and JS) from the build output in any environment, not only Development.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// The address when nothing chooses one. Not a "Urls" key in appsettings.json: that would sit above
    /// ASPNETCORE_URLS in the configuration order and silently win over it.
    /// </summary>
    public const string DefaultUrl = "http://localhost:5080";

    private static void UseDefaultUrlWhenNoneChosen(WebApplicationBuilder builder)
    {
        // ASPNETCORE_URLS, DOTNET_URLS, --urls, ASPNETCORE_HTTP_PORTS / HTTP_PORTS and Kestrel:Endpoints all choose one.
        var configuration = builder.Configuration;
        var chosen = !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
                     || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
                     || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
                     || configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!chosen)
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
    }

    public static IServiceCollection AddPlatformErrorHandling(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<PlatformExceptionHandler>();
        // A body or value the framework cannot read is thrown (in every environment), so PlatformProblems answers it
        // with the field and a message in the user's language instead of an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static IServiceCollection AddPlatformUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            options.SnackbarConfiguration.PreventDuplicates = false;
            options.SnackbarConfiguration.VisibleStateDuration = 6000;
            options.SnackbarConfiguration.ShowCloseIcon = true;
        });
        services.AddTransient<MudLocalizer, PlatformMudLocalizer>();
        services.AddHttpContextAccessor();

        // Emit Chinese text as characters rather than &#x...; escapes: smaller pages, readable source.
        services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return services;
    }

    public static WebApplication UsePlatformPipeline(this WebApplication app)
    {
        app.UsePlatformWebSecurity();
        app.UsePlatformRequestLogging();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/Error",
            CreateScopeForErrors = true,
            SuppressDiagnosticsCallback = _ => true, // PlatformExceptionHandler logs it once, with the correlation id
            // A request the framework could not read (a bad form, a missing antiforgery token) stays a 400 on pages too.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            // Only page requests get the "not found" page; re-executing a rejected POST (e.g. a bad
            // antiforgery token) would run the form pipeline a second time, and an API caller wants no HTML.
            if ((!HttpMethods.IsGet(context.Request.Method) || context.Request.Path.StartsWithSegments("/api"))
                && context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            return next(context);
        });
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UsePlatformRequestLimits();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// Pages and static files, then every other endpoint in one group whose handlers get <see cref="InputChecks"/>
    /// (string lengths, required fields, sane dates). Map new endpoints on the returned group, not on the app.
    /// </summary>
    public static RouteGroupBuilder MapPlatformEndpoints(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        var endpoints = app.MapGroup(string.Empty).CheckInput();
        endpoints.MapAccountEndpoints();
        endpoints.MapCultureSwitch();
        endpoints.MapThemeSwitch();
        // Browsers ask for /favicon.ico whatever the page links.
        endpoints.MapGet("/favicon.ico", () => TypedResults.Redirect("/favicon.svg", permanent: true)).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPlatformHealthChecks();
        endpoints.MapPlatformApiDocuments();
        endpoints.MapMarket();
        endpoints.MapProjects();
        endpoints.MapProjectExport();
        return endpoints;
    }

    /// <summary>Set on an exception <see cref="RunPlatformAsync"/> has already logged, so Main does not log it twice.</summary>
    public const string StartupFailureLogged = "Trading.Workflow.StartupFailureLogged";

    /// <summary>
    /// Runs until shutdown. A start that fails (a bad setting, an impossible schema upgrade, an address in use) is
    /// logged as critical, one line per cause naming the setting or script, while the host's loggers still exist;
    /// then the exception goes on to Main (and to WebApplicationFactory, which runs Main in tests).
    /// </summary>
    public static async Task RunPlatformAsync(this WebApplication app)
    {
        try
        {
            // Not app.RunAsync: it disposes the host, and with it the log file, before a caller could log.
            await app.StartAsync();
        }
        catch (Exception ex)
        {
            var reasons = StartupFailures(ex);
            if (reasons.Count == 0)
            {
                app.Logger.LogCritical(ex, "Start-up stopped: {Reason}", ex.Message);
            }

            foreach (var reason in reasons)
            {
                app.Logger.LogCritical("Start-up stopped: {Reason}", reason);
            }

            ex.Data[StartupFailureLogged] = true;
            await app.DisposeAsync();
            throw;
        }

        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
    }

    private static List<string> StartupFailures(Exception error) => error switch
    {
        OptionsValidationException options => [.. options.Failures],
        SchemaException schema => [schema.Message],
        InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [binding.Message],
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(StartupFailures).ToList(),
        _ => [],
    };

    private static JsonConfigurationSource Json(string path)
    {
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        return source;
    }
}
