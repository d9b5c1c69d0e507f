using Microsoft.Extensions.Diagnostics.HealthChecks;
using Trading.Workflow.Engine.Persistence.Queries;

namespace Trading.Workflow.Web.Workflow;

/// <summary>Ready when the engine's store answers a query on its own tables.</summary>
public sealed class WorkflowStoreHealthCheck(WorkflowQueries queries) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var published = await queries.PublishedVersionCountAsync(cancellationToken);
            return HealthCheckResult.Healthy("Workflow store reachable.", new Dictionary<string, object> { ["publishedVersions"] = published });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Workflow store not reachable or schema missing.", ex);
        }
    }
}
