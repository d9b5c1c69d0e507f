using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Trail;

namespace Trading.Workflow.Web.Data;

/// <summary>
/// Runs before the server accepts requests: creates the data folder, brings the schema to the latest
/// version, checks the node keys the trail as the installation does (<see cref="TrailKeyCheck"/>) and seeds roles and
/// (when enabled) demo data.
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
        if (services.GetService<TrailKeyRing>() is { } trailKeys)
        {
            // Before anything writes a trail record: a node keyed unlike the others stops here.
            await TrailKeyCheck.EnsureAsync(context, trailKeys, services.GetRequiredService<TimeProvider>(), cancellationToken);
        }

        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database provider {Provider}, data folder {DataFolder}")]
    private partial void LogDatabase(DatabaseProvider provider, string dataFolder);
}
