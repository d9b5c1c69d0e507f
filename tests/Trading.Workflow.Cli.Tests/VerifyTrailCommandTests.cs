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
        await ExecuteAsync("UPDATE wf_history SET user_id = 'mallory' WHERE type = 15");

        var run = await CliRun.RunAsync("verify-trail", "--connection", ConnectionString);

        Assert.Equal(1, run.ExitCode);
        Assert.False(run.Lines[0].GetProperty("intact").GetBoolean());
        Assert.Equal(2, run.Lines[0].GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal("ContentChanged", run.Lines[0].GetProperty("break").GetString());
        var broken = Assert.Single(run.Lines[1].GetProperty("broken").EnumerateArray());
        Assert.Equal("ContentChanged", broken.GetProperty("break").GetString());
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
