using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Tests.Schema;

/// <summary>The behaviours every provider must show; one subclass per provider runs them on a real database.</summary>
public abstract class SchemaMigratorContract
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 30, 0, TimeSpan.Zero);

    protected abstract DatabaseProvider Provider { get; }

    protected abstract DbConnection CreateConnection();

    private SchemaScriptSet Scripts(string module = "test") => SchemaScriptSet.FromEmbeddedResources(
        module, Provider, typeof(SchemaMigratorContract).Assembly, $"Trading.Workflow.Engine.Persistence.Tests.Schema.Scripts.{Provider}.");

    private static SchemaMigrator Migrator() => new(new FixedTimeProvider(Now), NullLogger<SchemaMigrator>.Instance);

    [Fact]
    public async Task Upgrade_OnEmptyDatabase_AppliesEveryScriptInOrder()
    {
        await using var connection = CreateConnection();

        var result = await Migrator().UpgradeAsync(connection, Scripts());

        Assert.Equal(0, result.FromVersion);
        Assert.Equal(3, result.ToVersion);
        Assert.Equal([1, 2, 3], result.AppliedVersions);
    }

    [Fact]
    public async Task Upgrade_FromVersion1WithRows_KeepsRowsAndReachesLatest()
    {
        await using var connection = CreateConnection();
        await Migrator().UpgradeAsync(connection, Scripts(), targetVersion: 1);
        await ExecuteAsync(connection, """INSERT INTO "tender" ("id", "title") VALUES (1, '道路工程'), (2, 'School canteen')""");

        var result = await Migrator().UpgradeAsync(connection, Scripts());

        Assert.Equal(1, result.FromVersion);
        Assert.Equal(3, result.ToVersion);
        Assert.Equal("1:道路工程:0|2:School canteen:0", await QueryTendersAsync(connection));
    }

    [Fact]
    public async Task Upgrade_WhenAlreadyLatest_AppliesNothing()
    {
        await using var connection = CreateConnection();
        await Migrator().UpgradeAsync(connection, Scripts());

        var result = await Migrator().UpgradeAsync(connection, Scripts());

        Assert.Empty(result.AppliedVersions);
        Assert.Equal(3, result.ToVersion);
    }

    [Fact]
    public async Task Upgrade_WhenScriptFails_RollsItBackAndStaysAtPreviousVersion()
    {
        await using var connection = CreateConnection();
        var broken = new SchemaScriptSet("broken", Provider,
        [
            new SchemaScript(1, "0001_ok.sql", """CREATE TABLE "first_table" ("id" integer NOT NULL PRIMARY KEY);"""),
            new SchemaScript(2, "0002_broken.sql", """CREATE TABLE "half_done" ("id" integer NOT NULL PRIMARY KEY); SELECT * FROM "no_such_table";"""),
        ]);

        await Assert.ThrowsAsync<SchemaException>(() => Migrator().UpgradeAsync(connection, broken));

        Assert.Equal(1, await Migrator().GetVersionAsync(connection, Provider, "broken"));
        Assert.False(await TableExistsAsync(connection, "half_done"));
    }

    [Fact]
    public async Task Upgrade_WhenDatabaseIsNewerThanScripts_Throws()
    {
        await using var connection = CreateConnection();
        await Migrator().UpgradeAsync(connection, Scripts());
        var older = new SchemaScriptSet("test", Provider, Scripts().Scripts.Take(2));

        var error = await Assert.ThrowsAsync<SchemaException>(() => Migrator().UpgradeAsync(connection, older));

        Assert.Contains("version 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_ConcurrentCallers_ApplyEachScriptOnce()
    {
        var connections = Enumerable.Range(0, 4).Select(_ => CreateConnection()).ToArray();
        try
        {
            var results = await Task.WhenAll(connections.Select(c => Task.Run(() => Migrator().UpgradeAsync(c, Scripts()))));

            Assert.Equal([1, 2, 3], results.SelectMany(r => r.AppliedVersions).Order());
            Assert.All(results, r => Assert.Equal(3, r.ToVersion));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Upgrade_TwoModules_KeepSeparateHistories()
    {
        await using var connection = CreateConnection();
        await Migrator().UpgradeAsync(connection, Scripts("first"));
        var second = new SchemaScriptSet("second", Provider,
            [new SchemaScript(1, "0001_other.sql", """CREATE TABLE "other_module" ("id" integer NOT NULL PRIMARY KEY);""")]);

        var result = await Migrator().UpgradeAsync(connection, second);

        Assert.Equal([1], result.AppliedVersions);
        Assert.Equal(3, await Migrator().GetVersionAsync(connection, Provider, "first"));
    }

    [Fact]
    public async Task Upgrade_RecordsAppliedAtFromTimeProvider()
    {
        await using var connection = CreateConnection();

        await Migrator().UpgradeAsync(connection, Scripts(), targetVersion: 1);

        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "applied_at" FROM "__schema_history" WHERE "module" = 'test' AND "version" = 1""";
        var value = await command.ExecuteScalarAsync();
        await connection.CloseAsync();
        var appliedAt = value switch
        {
            DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
            DateTimeOffset offset => offset,
            string text => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"Unexpected applied_at value {value}"),
        };
        Assert.Equal(Now, appliedAt);
    }

    protected abstract Task<bool> TableExistsAsync(DbConnection connection, string table);

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
        await connection.CloseAsync();
    }

    private static async Task<string> QueryTendersAsync(DbConnection connection)
    {
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "id", "title", "budget" FROM "tender" ORDER BY "id" """;
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add($"{reader.GetInt32(0)}:{reader.GetString(1)}:{reader.GetInt64(2)}");
            }
        }

        await connection.CloseAsync();
        return string.Join('|', rows);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
