using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Kernel;

/// <summary>
/// Runs after the web and engine schemas and the procedures' deployment: brings every trading module's tables to the
/// latest version, then (demo data on, the demo centres present) runs each demo step that has not run yet.
/// </summary>
internal sealed partial class TradingStartup(
    IServiceScopeFactory scopeFactory,
    TradingSchema schema,
    AuditTrail trail,
    ITradingDatabase database,
    IOptions<DemoDataOptions> demo,
    TimeProvider time,
    ILogger<TradingStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var result in await schema.UpgradeAsync(cancellationToken))
        {
            LogModule(result.Module, result.ToVersion);
        }

        // A trail that ends unkeyed (from before its key) gets a keyed record, so a rewrite without the key shows.
        if (await trail.AdoptKeyAsync(database, cancellationToken) is { } adopted)
        {
            LogKeyAdopted(adopted.KeyId!, adopted.Sequence);
        }

        if (!demo.Value.Enabled)
        {
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        if (!await db.TradingCentres.AnyAsync(c => c.Code == DemoDataSeeder.DemoCityCode && c.IsDemo, cancellationToken))
        {
            return; // a real installation that once ran with demo data off: nothing to add to
        }

        var context = new DemoDataContext(db, services.GetRequiredService<UserManager<AppUser>>(), demo.Value.Password, services);
        foreach (var step in services.GetServices<IDemoDataStep>().OrderBy(s => s.Order))
        {
            var name = step.GetType().FullName!;
            if (await db.DemoDataSteps.AnyAsync(s => s.Name == name, cancellationToken))
            {
                continue;
            }

            await step.SeedAsync(context, cancellationToken);
            db.DemoDataSteps.Add(new DemoDataStepRecord { Name = name, CompletedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            LogDemoStep(name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Trading schema module {Module} at version {Version}")]
    private partial void LogModule(string module, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trail key {KeyId} adopted at record {Sequence}")]
    private partial void LogKeyAdopted(string keyId, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data step {Step} done")]
    private partial void LogDemoStep(string step);
}
