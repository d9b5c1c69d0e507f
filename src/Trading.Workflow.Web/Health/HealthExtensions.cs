using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Trading.Workflow.Web.Health;

public static class HealthExtensions
{
    /// <summary>Checks tagged "ready" decide /health/ready; the scheduler adds its own check with this tag.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddPlatformHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapPlatformHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        // Live: the process answers; no dependency is checked, so a database outage never restarts it.
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return endpoints;
    }
}
