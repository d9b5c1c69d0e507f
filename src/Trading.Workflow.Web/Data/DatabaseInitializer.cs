using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Kernel;

namespace Trading.Workflow.Web.Data;

/// <summary>
/// Runs before the server accepts requests: creates the data folder, brings the schema to the latest version, checks
/// that the node shares the installation's trail key, documents folder and bank instruction folder (<see cref="InstallationChecks"/>) and seeds
/// roles and (when enabled) demo data.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopeFactory, IServiceProvider services, SchemaMigrator migrator, ILogger<DatabaseInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved here rather than injected, so start-up options validation runs first and reports every bad setting.
        var target = services.GetRequiredService<DatabaseTarget>();
        Directory.CreateDirectory(target.DataFolder);
        LogDatabase(target.Provider, target.DataFolder);
        await using var scope = scopeFactory.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await migrator.UpgradeAsync(context.Database.GetDbConnection(), target.WebSchema(), cancellationToken: cancellationToken);
        // Before anything is written: a node that does not share the installation's keys and documents stops here.
        var time = services.GetRequiredService<TimeProvider>();
        if (services.GetService<TrailKeyRing>() is { } trailKeys)
        {
            await InstallationChecks.EnsureTrailKeyAsync(context, trailKeys, time, cancellationToken);
        }

        if (services.GetService<DocumentStorage>() is { } documents)
        {
            await InstallationChecks.EnsureDocumentsFolderAsync(context, documents.Root, time, cancellationToken);
        }

        if (services.GetService<IOptions<DepositOptions>>()?.Value is { Adapter: "file" } deposits)
        {
            await InstallationChecks.EnsureBankInstructionFolderAsync(context, deposits.InstructionFolder, time, cancellationToken);
        }

        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database provider {Provider}, data folder {DataFolder}")]
    private partial void LogDatabase(DatabaseProvider provider, string dataFolder);
}
