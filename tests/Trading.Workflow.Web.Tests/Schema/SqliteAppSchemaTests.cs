using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Schema;

/// <summary>The app schema on a real SQLite file in the data folder, as the app uses it by default.</summary>
public sealed class SqliteAppSchemaTests : AppSchemaContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-app-schema-").FullName;

    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override DbConnection CreateConnection() =>
        new SqliteConnection($"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False");

    protected override Dictionary<string, string?> AppSettings() => new() { ["Database:Provider"] = "Sqlite" };

    protected override PlatformFactory CreateFactory(Dictionary<string, string?> settings) => new(settings, dataFolder: _folder);

    protected override DbContextOptions<AppDbContext> ModelOnlyDatabase() =>
        new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={Path.Combine(_folder, "model.db")};Pooling=False").Options;

    protected override async Task<IReadOnlyList<string>> DescribeSchemaAsync(DbConnection connection)
    {
        var lines = new List<string>();
        foreach (var table in await QueryLinesAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"))
        {
            lines.AddRange((await QueryLinesAsync(connection, $"SELECT '{table}', name, type, \"notnull\", pk FROM pragma_table_info('{table}')")).Order(StringComparer.Ordinal));
            lines.AddRange((await QueryLinesAsync(connection, $"SELECT '{table}', \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{table}')")).Order(StringComparer.Ordinal));
        }

        lines.AddRange(await QueryLinesAsync(connection, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
        return lines;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
