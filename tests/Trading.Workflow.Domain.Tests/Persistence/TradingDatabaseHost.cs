using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Domain.Tests.Persistence;

/// <summary>
/// A real database with the engine's and every trading module's schema, and the kernel's services on it: a SQLite
/// file in a temporary folder, or a throwaway PostgreSQL database (TRADING_TEST_PG). Parts add their own services
/// through <paramref name="configure"/> (e.g. <c>services.AddMarket()</c>) before the schema is brought up.
/// </summary>
public sealed class TradingDatabaseHost : IAsyncDisposable
{
    private readonly PostgresTestDatabase? _postgres;
    private readonly string? _folder;

    private TradingDatabaseHost(ServiceProvider services, PostgresTestDatabase? postgres, string? folder)
    {
        Services = services;
        _postgres = postgres;
        _folder = folder;
    }

    public ServiceProvider Services { get; }

    public DatabaseProvider Provider => Services.GetRequiredService<WorkflowDatabase>().Provider;

    public ITradingDatabase Database => Services.GetRequiredService<ITradingDatabase>();

    public static async Task<TradingDatabaseHost> StartAsync(DatabaseProvider provider, Action<IServiceCollection>? configure = null, TimeProvider? time = null)
    {
        PostgresTestDatabase? postgres = null;
        // The temporary folder holds the SQLite file and the document store (a part may replace the store's folder).
        var folder = Path.Combine(Path.GetTempPath(), "tw-domain-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string connectionString;
        if (provider == DatabaseProvider.PostgreSql)
        {
            postgres = new PostgresTestDatabase();
            await postgres.InitializeAsync();
            connectionString = postgres.ConnectionString;
        }
        else
        {
            connectionString = $"Data Source={Path.Combine(folder, "trading.db")};Pooling=False";
        }

        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = provider;
            o.ConnectionString = connectionString;
        });
        services.AddTradingKernel();
        services.AddSingleton(new DocumentStorage(Path.Combine(folder, "files")));
        configure?.Invoke(services);
        var provided = services.BuildServiceProvider();
        await provided.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
        await provided.GetRequiredService<TradingSchema>().UpgradeAsync();
        return new TradingDatabaseHost(provided, postgres, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // a file still open on a slow runner: the temp folder is cleaned by the OS
            }
        }
    }
}
