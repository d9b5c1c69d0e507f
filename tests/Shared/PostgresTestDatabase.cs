using Npgsql;

namespace Trading.Workflow.Testing;

/// <summary>
/// A uniquely named PostgreSQL database on the throwaway server named by TRADING_TEST_PG, created
/// for one test class and dropped afterwards. Tests fail (never skip) when the variable is unset.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    public const string EnvironmentVariable = "TRADING_TEST_PG";

    private readonly string _adminConnectionString;

    public PostgresTestDatabase()
    {
        _adminConnectionString = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. PostgreSQL tests need an admin connection string to a throwaway server, "
                + "e.g. Host=127.0.0.1;Port=55433;Username=postgres (tools/test.sh starts one and sets it).");
        DatabaseName = "tw_test_" + Guid.NewGuid().ToString("N")[..16];
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = DatabaseName, Pooling = false }.ConnectionString;
    }

    public string DatabaseName { get; }

    public string ConnectionString { get; }

    public async Task InitializeAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops and recreates the database so a test starts from empty.</summary>
    public async Task ResetAsync()
    {
        await DisposeAsync();
        await InitializeAsync();
    }
}
