using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Quartz;
using Trading.Workflow.Engine.Quartz.Reminders;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>
/// The inbox pages in the database: with 100,000 open tasks offered to one role, a page of each tab and filter
/// is correct: ordered, filtered and paged in the database with a capped total.
/// </summary>
public sealed class InboxScaleFixture : IAsyncLifetime
{
    // Enough rows that a page must come from the index, not a scan of a handful; speed is measured in tools/bench.
    private const int TaskCount = 100_000;
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-inbox-scale-").FullName;
    private WorkflowDatabase _database = default!;
    private InboxQueries _inbox = default!;

    public async Task InitializeAsync()
    {
        var options = Options.Create(new WorkflowPersistenceOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "scale.db")}", SqliteSynchronous = "NORMAL" });
        _database = new WorkflowDatabase(options, new SchemaMigrator(TimeProvider.System, NullLogger<SchemaMigrator>.Instance));
        await _database.UpgradeSchemaAsync();
        await using var connection = (SqliteConnection)await _database.OpenConnectionAsync();
        await new SchemaMigrator(TimeProvider.System, NullLogger<SchemaMigrator>.Instance).UpgradeAsync(connection, WorkflowStartupScripts.Sqlite());
        await SeedAsync(connection);
        var reminders = Options.Create(new TaskReminderOptions());
        _inbox = new InboxQueries(new Trading.Workflow.Engine.Persistence.Queries.WorkflowQueries(_database), new TaskDueStateEvaluator(TimeProvider.System, reminders, NullLogger<TaskDueStateEvaluator>.Instance), TimeProvider.System);
    }

    private static async Task SeedAsync(SqliteConnection connection)
    {
        await using var transaction = connection.BeginTransaction();
        await using var task = connection.CreateCommand();
        task.Transaction = transaction;
        task.CommandText = """
            INSERT INTO "wf_tasks" ("id","instance_id","execution_id","process_id","process_version","business_key","element_id","name","priority","state","created_at","due")
            VALUES ($id,$instance,1,$process,1,$key,'reviewAnnouncement','审核招标公告',$priority,0,$created,$due)
            """;
        var candidate = connection.CreateCommand();
        candidate.Transaction = transaction;
        candidate.CommandText = """INSERT INTO "wf_task_candidates" ("task_id","kind","value","active","due_key") VALUES ($id,2,'Staff',1,$due)""";
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "$id", "$instance", "$process", "$key", "$priority", "$created", "$due" })
        {
            p[name] = task.Parameters.Add(name, SqliteType.Text);
        }

        var cid = candidate.Parameters.Add("$id", SqliteType.Text);
        var cdue = candidate.Parameters.Add("$due", SqliteType.Integer);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < TaskCount; i++)
        {
            var id = Guid.CreateVersion7(start.AddSeconds(i)).ToString("D");
            var due = start.AddMinutes(i % 100_000 * 7).UtcTicks;
            p["$id"].Value = id;
            p["$instance"].Value = Guid.NewGuid().ToString("D");
            p["$process"].Value = i % 2 == 0 ? "engineering-construction.open-tender" : "government-procurement.open-tender";
            p["$key"].Value = $"P-{i:D7}";
            p["$priority"].Value = i % 100;
            p["$created"].Value = start.UtcTicks;
            p["$due"].Value = due;
            await task.ExecuteNonQueryAsync();
            cid.Value = id;
            cdue.Value = due;
            await candidate.ExecuteNonQueryAsync();
            if (i == 99_950)
            {
                // Offered to the staff user by name too: one task reached through two principals, counted once.
                await using var byName = connection.CreateCommand();
                byName.Transaction = transaction;
                byName.CommandText = """INSERT INTO "wf_task_candidates" ("task_id","kind","value","active","due_key") VALUES ($id,1,'staff',1,$due)""";
                byName.Parameters.AddWithValue("$id", id);
                byName.Parameters.AddWithValue("$due", due);
                await byName.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        await analyze.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    public InboxQueries Inbox => _inbox;
}

public sealed class InboxScaleTests(InboxScaleFixture fixture) : IClassFixture<InboxScaleFixture>
{
    [Fact]
    public async Task GroupInbox_FirstPage_IsOrderedByDueWithACappedTotal()
    {
        var page = await fixture.Inbox.GetPageAsync(Staff, new InboxFilter(InboxTab.Group));

        Assert.Equal((20, true), (page.Rows.Count, page.TotalIsCapped));
        Assert.Equal(page.Rows.OrderBy(r => r.Due).Select(r => r.TaskId), page.Rows.Select(r => r.TaskId));
    }

    [Fact]
    public async Task GroupInbox_DeepPage_ContinuesAfterThePreviousPage()
    {
        var before = await fixture.Inbox.GetPageAsync(Staff, new InboxFilter(InboxTab.Group) { Skip = 19_980 });
        var page = await fixture.Inbox.GetPageAsync(Staff, new InboxFilter(InboxTab.Group) { Skip = 20_000 });

        Assert.Equal(20, page.Rows.Count);
        Assert.True(before.Rows[^1].Due <= page.Rows[0].Due);
        Assert.Empty(before.Rows.Select(r => r.TaskId).Intersect(page.Rows.Select(r => r.TaskId)));
    }

    [Fact]
    public async Task GroupInbox_TradeTypeFilter_ReturnsOnlyThatTradeType()
    {
        var page = await fixture.Inbox.GetPageAsync(Staff, new InboxFilter(InboxTab.Group) { TradeType = TradeTypes.GovernmentProcurement });

        Assert.NotEmpty(page.Rows);
        Assert.All(page.Rows, r => Assert.StartsWith("government-procurement.", r.ProcessId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupInbox_ProjectCodePrefix_FindsExactlyTheMatchingProjects()
    {
        var page = await fixture.Inbox.GetPageAsync(Staff, new InboxFilter(InboxTab.Group) { ProjectCode = "P-00999", Take = 200 });

        Assert.Equal((100, false), (page.Total, page.TotalIsCapped));
        Assert.All(page.Rows, r => Assert.StartsWith("P-00999", r.BusinessKey, StringComparison.Ordinal));
    }

    // A page short of full gives its total from its own rows; a full page or one past the end counts in the database.
    // One of the 100 tasks is offered to the user by name and by role: still 100.
    [Theory]
    [InlineData(90, 20, 10)]
    [InlineData(80, 20, 20)]
    [InlineData(99, 1, 1)]
    [InlineData(100, 20, 0)]
    [InlineData(250, 20, 0)]
    public async Task GroupInbox_PageNearOrPastTheEnd_KeepsTheWholeTotal(int skip, int take, int rows)
    {
        var page = await fixture.Inbox.GetPageAsync(Staff, new InboxFilter(InboxTab.Group) { ProjectCode = "P-00999", Skip = skip, Take = take });

        Assert.Equal((rows, 100, false), (page.Rows.Count, page.Total, page.TotalIsCapped));
    }

    [Fact]
    public async Task GroupInbox_OverdueFilter_ReturnsOnlyTasksPastTheirDueDate()
    {
        var now = TimeProvider.System.GetUtcNow();

        var page = await fixture.Inbox.GetPageAsync(Staff, new InboxFilter(InboxTab.Group) { Due = DueFilter.Overdue });

        Assert.NotEmpty(page.Rows);
        Assert.All(page.Rows, r => Assert.True(r.Due < now));
    }

    private static readonly WorkflowUser Staff = new("staff", ["Staff"]);
}
