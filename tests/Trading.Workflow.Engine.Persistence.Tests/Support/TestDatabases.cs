using Microsoft.Data.Sqlite;
using Npgsql;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Engine.Persistence.Tests.Support;

/// <summary>An empty database for one engine host: a SQLite file, or a schema of its own in a shared PostgreSQL database.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> SharedPostgres = new(CreateSharedPostgresAsync);
    private readonly string? _file;
    private readonly string? _schema;
    private readonly string? _adminConnectionString;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? file, string? schema, string? adminConnectionString)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _file = file;
        _schema = schema;
        _adminConnectionString = adminConnectionString;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"tw-persist-{Guid.NewGuid():N}.db");
            return new TestDatabase(provider, $"Data Source={file}", file, null, null);
        }

        var database = await SharedPostgres.Value;
        var schema = "t_" + Guid.NewGuid().ToString("N")[..20];
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA \"{schema}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(database) { SearchPath = schema, Pooling = true, MaxPoolSize = 20 };
        return new TestDatabase(provider, builder.ConnectionString, null, schema, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                File.Delete(path);
            }
        }

        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    // One database for every PostgreSQL host of the run (a schema each), dropped when the test process ends.
    private static async Task<string> CreateSharedPostgresAsync()
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            NpgsqlConnection.ClearAllPools();
            database.DisposeAsync().GetAwaiter().GetResult();
        };
        return new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = true }.ConnectionString;
    }
}
