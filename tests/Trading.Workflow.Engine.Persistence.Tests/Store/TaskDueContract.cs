using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// <see cref="IWorkflowEngine.SetTaskDueAsync"/> on the durable store: the moved due date is stored (a second node reads
/// it, the inbox orders by it) and its history row joins the instance's chain.
/// </summary>
public abstract class TaskDueContract
{
    protected abstract DatabaseProvider Provider { get; }

    [Fact]
    public async Task SetTaskDue_IsStored_OrdersTheInbox_AndKeepsTheHistoryChain()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var first = await host.Engine.StartAsync("approval", "BK-D1", null, "alice");
        var second = await host.Engine.StartAsync("approval", "BK-D2", null, "alice");
        var firstTask = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = first.Id }));
        var secondTask = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = second.Id }));
        var early = DurableHost.StartTime.AddDays(2);
        var late = DurableHost.StartTime.AddDays(5);
        await host.Engine.SetTaskDueAsync(firstTask.Id, late, "first");
        await host.Engine.SetTaskDueAsync(secondTask.Id, early, "second");

        // Moved again, later than the other: the inbox follows the stored date.
        await host.Engine.SetTaskDueAsync(secondTask.Id, late.AddDays(1), "extended", "staff");

        await using var other = DurableHost.StartBeside(host);
        Assert.Equal(late, (await other.Engine.GetTaskAsync(firstTask.Id))!.Due);
        Assert.Equal(late.AddDays(1), (await other.Engine.GetTaskAsync(secondTask.Id))!.Due);
        var inbox = await other.Engine.GetOpenTasksForUserAsync("bob", ["approver"]);
        Assert.Equal([firstTask.Id, secondTask.Id], inbox.Select(t => t.Id));
        var moves = (await other.Engine.GetHistoryAsync(second.Id)).Where(e => e.Type == HistoryEventType.TaskDueChanged).ToList();
        Assert.Equal(["second", "extended"], moves.Select(e => e.Details));
        Assert.Equal("staff", moves[1].UserId);
        var chain = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<HistoryChainVerifier>(other.Services)
            .VerifyInstanceAsync(second.Id);
        Assert.True(chain!.IsIntact, chain.ToString());
    }

    /// <summary>
    /// A task's access rows (wf_task_candidates, the inbox index's source) after every command that changes the task:
    /// the assignee's row, the candidate users' and roles' rows active only while the task is open and unclaimed, and
    /// every row with the task's due key. Claims and gives back add and delete rows; a due date, a completion only
    /// update them.
    /// </summary>
    [Fact]
    public async Task AccessRows_AfterEveryTaskCommand_AreWhatTheTaskSays()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/inbox.bpmn");
        var instance = await host.Engine.StartAsync("inbox", "BK-A1", new Dictionary<string, object?>
        {
            ["assignee"] = null, ["users"] = "u1,u2", ["roles"] = "r1", ["due"] = null,
        });
        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id })).Id;
        var due = DurableHost.StartTime.AddDays(3).UtcTicks;
        const long undated = long.MaxValue;

        await AssertRowsAsync(host, task, ["User u1 1 " + undated, "User u2 1 " + undated, "Role r1 1 " + undated]);
        await host.Engine.ClaimTaskAsync(task, "u1");
        await AssertRowsAsync(host, task, ["Assignee u1 1 " + undated, "User u1 0 " + undated, "User u2 0 " + undated, "Role r1 0 " + undated]);
        await host.Engine.SetTaskDueAsync(task, DurableHost.StartTime.AddDays(3), "dated");
        await AssertRowsAsync(host, task, ["Assignee u1 1 " + due, "User u1 0 " + due, "User u2 0 " + due, "Role r1 0 " + due]);
        await host.Engine.UnclaimTaskAsync(task, "u1");
        await AssertRowsAsync(host, task, ["User u1 1 " + due, "User u2 1 " + due, "Role r1 1 " + due]);
        Assert.Equal([task], (await host.Engine.GetOpenTasksForUserAsync("u2", [])).Select(t => t.Id));
        await host.Engine.ClaimTaskAsync(task, "u2");
        await host.Engine.CompleteTaskAsync(task, null, "u2");
        await AssertRowsAsync(host, task, ["Assignee u2 0 " + due, "User u1 0 " + due, "User u2 0 " + due, "Role r1 0 " + due]);
        Assert.Empty(await host.Engine.GetOpenTasksForUserAsync("u2", ["r1"]));

        static async Task AssertRowsAsync(DurableHost host, Guid taskId, string[] expected)
        {
            await using var connection = await host.Database.OpenConnectionAsync();
            await using var db = host.Database.CreateContext(connection);
            var rows = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AsNoTracking(db.TaskCandidates)
                .Where(c => c.TaskId == taskId).AsEnumerable()
                .Select(c => $"{c.Kind} {c.Value} {(c.Active ? 1 : 0)} {c.DueKey}").Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Order(StringComparer.Ordinal), rows);
        }
    }

    /// <summary>
    /// The reminder query (open tasks due before a moment) searches the due index, which holds dated open tasks only:
    /// an undated task is never due, so its creation and completion write no entry of it.
    /// </summary>
    [Fact]
    public async Task Reminders_SearchTheDueIndex_WhichLeavesUndatedTasksOut()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/inbox.bpmn");
        var dated = await host.Engine.StartAsync("inbox", "BK-R1", Due(DurableHost.StartTime.AddDays(1)));
        await host.Engine.StartAsync("inbox", "BK-R2", Due(null));
        var later = await host.Engine.StartAsync("inbox", "BK-R3", Due(null));
        var laterTask = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = later.Id }));
        await host.Engine.SetTaskDueAsync(laterTask.Id, DurableHost.StartTime.AddDays(2), "dated now");

        var due = await host.Engine.GetTasksAsync(new TaskQuery { DueBefore = DurableHost.StartTime.AddDays(3) });

        Assert.Equal(new[] { dated.Id, later.Id }.Order(), due.Select(t => t.InstanceId).Order());
        var (where, values) = host.Store.TaskQueryWhere(new TaskQuery { DueBefore = DurableHost.StartTime.AddDays(3) });
        var plan = await PlanAsync(host, $"SELECT * FROM \"wf_tasks\"{where}", values);
        Assert.Contains("IX_wf_tasks_open_due", plan, StringComparison.Ordinal);
        var definition = (string)(await host.ScalarAsync(Provider == DatabaseProvider.Sqlite
            ? "SELECT sql FROM sqlite_master WHERE name = 'IX_wf_tasks_open_due'"
            : "SELECT indexdef FROM pg_indexes WHERE indexname = 'IX_wf_tasks_open_due' AND schemaname = current_schema()"))!;
        Assert.Contains("due IS NOT NULL", definition.Replace("\"", string.Empty, StringComparison.Ordinal).Replace("(", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        // Open tasks by assignee come from the inbox index; wf_tasks keeps no index by assignee on either database.
        (where, values) = host.Store.TaskQueryWhere(new TaskQuery { Assignee = "alice" });
        Assert.Contains("IX_wf_task_candidates_inbox", await PlanAsync(host, $"SELECT * FROM \"wf_tasks\"{where}", values), StringComparison.Ordinal);
        Assert.Null(await host.ScalarAsync(Provider == DatabaseProvider.Sqlite
            ? "SELECT name FROM sqlite_master WHERE name = 'IX_wf_tasks_open_assignee'"
            : "SELECT indexname FROM pg_indexes WHERE indexname = 'IX_wf_tasks_open_assignee' AND schemaname = current_schema()"));
        Assert.Equal(2, (await host.Engine.GetTasksAsync(new TaskQuery { Assignee = "alice" })).Count(t => t.Due is not null));

        static Dictionary<string, object?> Due(DateTimeOffset? due) =>
            new() { ["assignee"] = "alice", ["users"] = "", ["roles"] = "", ["due"] = due };
    }

    /// <summary>The plan of a store query (templates as StatementBatch's): SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN with scans of whole tables off.</summary>
    private static async Task<string> PlanAsync(DurableHost host, string template, object?[] values)
    {
        await using var connection = await host.Database.OpenConnectionAsync();
        var sqlite = host.Provider == DatabaseProvider.Sqlite;
        if (!sqlite)
        {
            await using var off = connection.CreateCommand();
            off.CommandText = "SET enable_seqscan = off";
            await off.ExecuteNonQueryAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + StatementBatch.Format(template, 0, sqlite ? "@p" : "$", sqlite ? 0 : 1);
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            if (sqlite)
            {
                parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        var plan = new System.Text.StringBuilder();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetValue(reader.FieldCount - 1).ToString());
            }
        }

        if (!sqlite)
        {
            // The pool may hand this connection out again without resetting it.
            await using var on = connection.CreateCommand();
            on.CommandText = "RESET enable_seqscan";
            await on.ExecuteNonQueryAsync();
        }

        return plan.ToString();
    }
}

public sealed class SqliteTaskDueTests : TaskDueContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlTaskDueTests : TaskDueContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
