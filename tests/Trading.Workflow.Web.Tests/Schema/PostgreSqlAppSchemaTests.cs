using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Testing;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Schema;

/// <summary>The app schema on a real PostgreSQL database (TRADING_TEST_PG), one fresh database per test.</summary>
public sealed class PostgreSqlAppSchemaTests(PostgresTestDatabase database)
    : AppSchemaContract, IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private readonly PostgresTestDatabase _modelDatabase = new();

    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override DbConnection CreateConnection() => new NpgsqlConnection(database.ConnectionString);

    protected override Dictionary<string, string?> AppSettings() => new()
    {
        ["Database:Provider"] = "PostgreSql",
        ["Database:ConnectionString"] = database.ConnectionString,
    };

    protected override PlatformFactory CreateFactory(Dictionary<string, string?> settings) => new(settings);

    protected override DbContextOptions<AppDbContext> ModelOnlyDatabase() =>
        new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(_modelDatabase.ConnectionString).Options;

    protected override async Task<IReadOnlyList<string>> DescribeSchemaAsync(DbConnection connection)
    {
        var columns = await QueryLinesAsync(connection, """
            SELECT table_name, column_name, data_type, is_nullable, coalesce(character_maximum_length, 0), coalesce(is_identity, 'NO')
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name
            """);
        var constraints = await QueryLinesAsync(connection, """
            SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2
            """);
        var indexes = await QueryLinesAsync(connection, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2");
        return [.. columns, .. constraints, .. indexes];
    }

    // Each test starts from an empty database.
    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        await _modelDatabase.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _modelDatabase.DisposeAsync();
    }
}
