using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>
/// Schema script 0003 on a database that already holds two running projects with one code (the defect it fixes):
/// the upgrade succeeds, loses nothing, and the older project keeps the code.
/// </summary>
public sealed class RunningProjectsUpgradeTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-running-projects-").FullName;
    private readonly SchemaMigrator _migrator = new(TimeProvider.System, NullLogger<SchemaMigrator>.Instance);
    private WorkflowDatabase _database = default!;

    public async Task InitializeAsync()
    {
        var options = Options.Create(new WorkflowPersistenceOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "upgrade.db")}" });
        _database = new WorkflowDatabase(options, _migrator);
        await _database.UpgradeSchemaAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task InsertInstanceAsync(SqliteConnection connection, Guid id, string code, long startedTicks)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO "wf_instances" ("id","process_id","process_version","business_key","state","started_at","version","next_execution_id","document")
            VALUES ($id,'engineering-construction.open-tender',1,$code,0,$started,1,1,'{}')
            """;
        command.Parameters.AddWithValue("$id", id.ToString("D"));
        command.Parameters.AddWithValue("$code", code);
        command.Parameters.AddWithValue("$started", startedTicks);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Upgrade_WithTwoRunningProjectsOfOneCode_SucceedsAndTheOlderKeepsTheCode()
    {
        await using var connection = (SqliteConnection)await _database.OpenConnectionAsync();
        await _migrator.UpgradeAsync(connection, WorkflowStartupScripts.Sqlite(), targetVersion: 2);
        var older = Guid.NewGuid();
        var newer = Guid.NewGuid();
        await InsertInstanceAsync(connection, newer, "DEMO-2026-001", 2_000);
        await InsertInstanceAsync(connection, older, "DEMO-2026-001", 1_000);

        await _migrator.UpgradeAsync(connection, WorkflowStartupScripts.Sqlite());

        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "trade_type" || '|' || "project_code" || '|' || "instance_id" FROM "wf_running_projects" """;
        Assert.Equal($"engineering-construction|DEMO-2026-001|{older:D}", await command.ExecuteScalarAsync());
        command.CommandText = """SELECT count(*) FROM "wf_instances" WHERE "state" = 0""";
        Assert.Equal(2L, await command.ExecuteScalarAsync());
    }
}
