using Npgsql;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Web.Tests.Infrastructure;

/// <summary>The real app on a throwaway PostgreSQL database (<c>TRADING_TEST_PG</c>), created and dropped with the test.</summary>
public sealed class PostgreSqlPlatform : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();

    public PlatformFactory App { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        App = new PlatformFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = _database.ConnectionString,
        });
        _ = App.Server;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
    }
}
