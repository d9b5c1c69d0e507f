using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// Runs after the web schema is in place and before timers start: brings the engine tables and the web side's
/// workflow tables to the latest version, then publishes the platform's procedures that have no version yet.
/// </summary>
internal sealed partial class WorkflowStartup(
    WorkflowDatabase database,
    SchemaMigrator migrator,
    ProcedureDeployer deployer,
    IOptions<PlatformWorkflowOptions> options,
    ILogger<WorkflowStartup> logger) : IHostedService
{
    public const string Module = "workflow-web";

    public static SchemaScriptSet ScriptsFor(DatabaseProvider provider) => SchemaScriptSet.FromEmbeddedResources(
        Module, provider, typeof(WorkflowStartup).Assembly, $"Trading.Workflow.Web.Workflow.Schema.{provider}.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var engine = await database.UpgradeSchemaAsync(cancellationToken: cancellationToken);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await migrator.UpgradeAsync(connection, ScriptsFor(database.Provider), cancellationToken: cancellationToken);
        }

        LogSchema(database.Provider, engine.ToString());
        if (options.Value.DeployProceduresOnStart)
        {
            await deployer.DeployAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow store ready on {Provider}: {EngineSchema}")]
    private partial void LogSchema(DatabaseProvider provider, string engineSchema);
}

/// <summary>The web side's workflow script sets, for tools and tests that prepare a database without the app.</summary>
public static class WorkflowStartupScripts
{
    public static SchemaScriptSet Sqlite() => WorkflowStartup.ScriptsFor(DatabaseProvider.Sqlite);

    public static SchemaScriptSet PostgreSql() => WorkflowStartup.ScriptsFor(DatabaseProvider.PostgreSql);
}
