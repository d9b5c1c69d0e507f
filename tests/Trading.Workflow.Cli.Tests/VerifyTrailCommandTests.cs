using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Cli.Tests;

/// <summary><c>verify-trail</c> on a real SQLite platform database: intact, then an edited trail record and an edited history row.</summary>
public sealed class VerifyTrailCommandTests : IAsyncLifetime
{
    private const string Bpmn = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
          <bpmn:process id="approval" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
            <bpmn:userTask id="approve" name="审批" />
            <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("tw-cli-trail-").FullName;

    private string DbFile => Path.Combine(_folder, "trading.db");

    private string ConnectionString => $"Data Source={DbFile};Pooling=False";

    // Where the web host keeps the trail key: keys/trail-hash.key in the data folder, beside the database.
    private string KeyFile => Path.Combine(_folder, "keys", "trail-hash.key");

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkingDayCalendar();
        services.AddWorkflowEngine();
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = Engine.Persistence.Schema.DatabaseProvider.Sqlite;
            o.ConnectionString = ConnectionString;
        });
        Directory.CreateDirectory(Path.GetDirectoryName(KeyFile)!);
        await File.WriteAllTextAsync(KeyFile, TrailKey.GenerateBase64());
        services.AddSingleton(new TrailKeyRing(TrailKey.FromBase64(await File.ReadAllTextAsync(KeyFile))));
        services.AddTradingKernel();
        await using var provided = services.BuildServiceProvider();
        await provided.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
        await provided.GetRequiredService<TradingSchema>().UpgradeAsync();
        var engine = provided.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.Parse(Bpmn));
        var instance = await engine.StartAsync("approval", "BK-CLI", null, "alice");
        var task = Assert.Single(await engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await engine.CompleteTaskAsync(task.Id, null, "alice");
        var trail = provided.GetRequiredService<IAuditTrail>();
        await using var db = provided.GetRequiredService<ITradingDatabase>().Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < 3; i++)
        {
            await trail.AppendAsync(db, new AuditRecord("staff", null, "document", $"d{i}", "documents.document.downloaded"));
        }

        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task VerifyTrail_IntactDatabase_ExitsZeroWithBothChainsIntact()
    {
        var run = await CliRun.RunAsync("verify-trail", "--connection", ConnectionString);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.Lines.Count);
        Assert.True(run.Lines[0].GetProperty("intact").GetBoolean());
        Assert.Equal(3, run.Lines[0].GetProperty("checkedRecords").GetInt64());
        Assert.True(run.Lines[1].GetProperty("intact").GetBoolean());
        Assert.Equal(1, run.Lines[1].GetProperty("instancesChecked").GetInt64());
    }

    [Fact]
    public async Task VerifyTrail_EditedTrailRecordAndHistoryRow_ExitsOneNamingTheFirstBrokenLinks()
    {
        await ExecuteAsync("UPDATE tr_audit_entries SET actor = 'mallory' WHERE sequence = 2");
        // A task completion's event: a row of its own, or within its command's row of several events (HistoryRows).
        await ExecuteAsync("UPDATE wf_history SET user_id = 'mallory' WHERE type = 15");
        await ExecuteAsync("""UPDATE wf_history SET entries = replace(entries, '"t":15,', '"t":16,') WHERE entries LIKE '%"t":15,%'""");

        var run = await CliRun.RunAsync("verify-trail", "--connection", ConnectionString);

        Assert.Equal(1, run.ExitCode);
        Assert.False(run.Lines[0].GetProperty("intact").GetBoolean());
        Assert.Equal(2, run.Lines[0].GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal("ContentChanged", run.Lines[0].GetProperty("break").GetString());
        var broken = Assert.Single(run.Lines[1].GetProperty("broken").EnumerateArray());
        Assert.Equal("ContentChanged", broken.GetProperty("break").GetString());
    }

    [Fact]
    public async Task VerifyTrail_TrailRewrittenWithoutTheKey_IsReportedUnkeyed_AndWithoutTheKeyFileKeyUnavailable()
    {
        // A database writer rewrites the whole trade trail as an unkeyed SM3 chain (which anyone can compute).
        var rewritten = new List<AuditEntry>();
        for (var i = 0; i < 3; i++)
        {
            rewritten.Add(AuditChain.Append(rewritten.LastOrDefault(), DateTimeOffset.UtcNow, i == 1 ? "mallory" : "staff", null, "document", $"d{i}",
                "documents.document.downloaded", "{}"));
        }

        await ExecuteAsync("DELETE FROM tr_audit_entries; DELETE FROM tr_audit_head");
        foreach (var e in rewritten)
        {
            await ExecuteAsync($"""
                INSERT INTO tr_audit_entries (sequence, occurred_at, actor, centre_id, subject_type, subject_id, action, data, previous_hash, hash)
                VALUES ({e.Sequence}, '{e.OccurredAt.UtcDateTime:yyyy-MM-dd HH:mm:ss.FFFFFFF}+00:00', '{e.Actor}', NULL, '{e.SubjectType}', '{e.SubjectId}', '{e.Action}', '{e.Data}',
                        X'{Convert.ToHexString(e.PreviousHash)}', X'{Convert.ToHexString(e.Hash)}')
                """);
        }

        var withKey = await CliRun.RunAsync("verify-trail", "--connection", ConnectionString);
        var withoutKeyedRecords = withKey.Lines[0];
        File.Move(KeyFile, KeyFile + ".moved");
        var keyMissing = await CliRun.RunAsync("verify-trail", "--connection", ConnectionString, "--trail-key-file", KeyFile);

        Assert.Equal(1, withKey.ExitCode);
        Assert.Equal("Unkeyed", withoutKeyedRecords.GetProperty("break").GetString());
        Assert.Equal(3, withoutKeyedRecords.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal(2, keyMissing.ExitCode);
    }

    [Fact]
    public async Task VerifyTrail_KeyedTrailAndHistoryWithoutTheirKey_ReportKeyUnavailable()
    {
        File.Move(KeyFile, KeyFile + ".moved");

        var run = await CliRun.RunAsync("verify-trail", "--connection", ConnectionString);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("KeyUnavailable", run.Lines[0].GetProperty("break").GetString());
        Assert.Equal(1, run.Lines[0].GetProperty("firstBrokenSequence").GetInt64());
        // The engine's history is keyed from the same key (derived from it), so it cannot be checked without it either.
        var engine = Assert.Single(run.Lines[1].GetProperty("broken").EnumerateArray());
        Assert.Equal("KeyUnavailable", engine.GetProperty("break").GetString());
    }

    [Fact]
    public async Task VerifyTrail_NoDatabaseFile_ExitsTwoWithoutCreatingOne()
    {
        var missing = Path.Combine(_folder, "none.db");

        var run = await CliRun.RunAsync("verify-trail", "--connection", $"Data Source={missing}");

        Assert.Equal(2, run.ExitCode);
        Assert.False(System.IO.File.Exists(missing));
    }
}
