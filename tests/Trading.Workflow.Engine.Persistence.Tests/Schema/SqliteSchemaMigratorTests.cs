using System.Data.Common;
using Microsoft.Data.Sqlite;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Tests.Schema;

/// <summary>Runs the migrator contract on a real SQLite database file.</summary>
public sealed class SqliteSchemaMigratorTests : SchemaMigratorContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-schema-").FullName;

    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override DbConnection CreateConnection() =>
        new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "test.db"), Pooling = false }.ToString());

    protected override async Task<bool> TableExistsAsync(DbConnection connection, string table)
    {
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.Add(new SqliteParameter("$name", table));
        var count = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await connection.CloseAsync();
        return count > 0;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
