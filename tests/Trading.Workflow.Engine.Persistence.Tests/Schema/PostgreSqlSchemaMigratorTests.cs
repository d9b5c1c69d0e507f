using System.Data.Common;
using Npgsql;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Engine.Persistence.Tests.Schema;

/// <summary>Runs the migrator contract on a real PostgreSQL database (TRADING_TEST_PG).</summary>
public sealed class PostgreSqlSchemaMigratorTests(PostgresTestDatabase database)
    : SchemaMigratorContract, IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override DbConnection CreateConnection() => new NpgsqlConnection(database.ConnectionString);

    protected override async Task<bool> TableExistsAsync(DbConnection connection, string table)
    {
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT to_regclass(@name) IS NOT NULL";
        command.Parameters.Add(new NpgsqlParameter("@name", $"public.\"{table}\""));
        var exists = (bool)(await command.ExecuteScalarAsync())!;
        await connection.CloseAsync();
        return exists;
    }

    // Each test starts from an empty database.
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
