using Microsoft.AspNetCore.Identity;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;
using Serilog.Settings.Configuration;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Logging;

public static class LoggingExtensions
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} <{SourceContext}> {CorrelationId}{NewLine}{Exception}";

    /// <summary>
    /// The first stage: console only, for what happens before the configuration is read (a malformed
    /// appsettings.json, a Serilog section that cannot be applied). The host's own logger replaces it once built.
    /// </summary>
    public static Serilog.Core.Logger CreateBootstrapLogger() =>
        new LoggerConfiguration()
            .MinimumLevel.Information()
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();

    /// <summary>
    /// Serilog as the host's logging, configured from the "Serilog" section. A relative file sink path is placed
    /// under Storage:DataFolder so logs sit beside the database.
    /// </summary>
    public static WebApplicationBuilder AddPlatformLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();

        // Built when the container first needs logging, so settings added by hosts and tests are seen.
        // preserveStaticLogger: each host (several run in one test process) keeps its own logger instead of sharing
        // the static Log.Logger; writeToProviders: logging providers registered in the container (test captures)
        // receive the same events.
        builder.Services.AddSerilog(
            (services, logger) => Configure(logger, services.GetRequiredService<IConfiguration>()).ReadFrom.Services(services),
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }

    /// <summary>
    /// Puts the account's centre in the sign-in cookie for the request log. Call after AddPlatformIdentity, whose
    /// claims factory it replaces.
    /// </summary>
    public static IServiceCollection AddCentreClaim(this IServiceCollection services) =>
        services.AddScoped<IUserClaimsPrincipalFactory<AppUser>, CentreClaimsPrincipalFactory>();

    /// <summary>
    /// The correlation id first, then Serilog's one line per request with the correlation id, the user and the
    /// user's centre as properties.
    /// </summary>
    public static WebApplication UsePlatformRequestLogging(this WebApplication app)
    {
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseSerilogRequestLogging(options =>
        {
            // The host's logger, not the static one (see AddPlatformLogging).
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetLevel = RequestLevel;
            options.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                diagnostics.Set(CorrelationIdMiddleware.PropertyName, context.TraceIdentifier);
                if (context.User.Identity is { IsAuthenticated: true, Name: { } userName })
                {
                    diagnostics.Set("UserName", userName);
                }

                if (context.User.FindFirst(CentreClaimsPrincipalFactory.ClaimType)?.Value is { } centre)
                {
                    diagnostics.Set("CentreId", centre);
                }
            };
        });
        return app;
    }

    // Health probes, scripts, styles and the circuit socket would drown the page requests at Information.
    internal static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? error) =>
        error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : IsRoutine(context.Request.Path) ? LogEventLevel.Debug
        : LogEventLevel.Information;

    private static bool IsRoutine(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content")
        || path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/css");

    internal static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration)
    {
        var dataFolder = Path.GetFullPath(configuration["Storage:DataFolder"] is { Length: > 0 } folder ? folder : "data");
        var overrides = new Dictionary<string, string?>();
        foreach (var sink in configuration.GetSection("Serilog:WriteTo").GetChildren())
        {
            if (sink["Args:path"] is { Length: > 0 } path && !Path.IsPathRooted(path))
            {
                overrides[$"Serilog:WriteTo:{sink.Key}:Args:path"] = Path.Combine(dataFolder, path);
            }
        }

        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
        var readerOptions = new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly);
        // FromLogContext in code too: the correlation id must not depend on the Enrich list of the settings file.
        return logger.ReadFrom.Configuration(effective, readerOptions).Enrich.FromLogContext();
    }
}
