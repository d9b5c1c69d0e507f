using Microsoft.Extensions.Diagnostics.HealthChecks;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Web.Workflow;

/// <summary>Ready when the engine's store answers a query on its own tables.</summary>
public sealed class WorkflowStoreHealthCheck(WorkflowDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM \"wf_definitions\" WHERE \"state\" = 1";
            var published = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return HealthCheckResult.Healthy("Workflow store reachable.", new Dictionary<string, object> { ["publishedVersions"] = published });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Workflow store not reachable or schema missing.", ex);
        }
    }
}
