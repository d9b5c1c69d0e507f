using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// How the SQLite store lays its per-command tables out (schema 0005): variables and task access rows in their key's
/// b-tree, no index of wf_tasks by assignee, the parent index over called instances only; and that the queries which
/// needed the dropped or narrowed indexes still search an index (EXPLAIN QUERY PLAN) rather than scan a table.
/// </summary>
public sealed class SqliteStorageTests
{
    [Theory]
    [InlineData("wf_variables")]
    [InlineData("wf_task_candidates")]
    public async Task CommandTables_KeyedByTheirNaturalKey_AreWithoutRowid(string table)
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite);

        var sql = (string)(await host.ScalarAsync($"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'"))!;

        Assert.EndsWith("WITHOUT ROWID", sql.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTasksByAssignee_SearchTheInboxIndex_NotTheTasks()
    {
        await using var host = await HostWithTasksAsync();
        var (where, values) = host.Store.TaskQueryWhere(new TaskQuery { Assignee = "alice" });

        var plan = await PlanAsync(host, $"SELECT * FROM \"wf_tasks\"{where} ORDER BY \"created_at\", \"id\"", values);

        Assert.Null(await host.ScalarAsync("SELECT name FROM sqlite_master WHERE name = 'IX_wf_tasks_open_assignee'"));
        Assert.Contains(plan, p => p.Contains("IX_wf_task_candidates_inbox (kind=? AND value=?)", StringComparison.Ordinal));
        Assert.Contains(plan, p => p.StartsWith("SEARCH wf_tasks USING INDEX sqlite_autoindex_wf_tasks_1 (id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, p => p.StartsWith("SCAN wf_tasks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DueReminders_SearchTheOpenDueIndex()
    {
        await using var host = await HostWithTasksAsync();
        var (where, values) = host.Store.TaskQueryWhere(new TaskQuery { DueBefore = DurableHost.StartTime.AddDays(2) });

        var plan = await PlanAsync(host, $"SELECT * FROM \"wf_tasks\"{where} ORDER BY \"created_at\", \"id\"", values);

        Assert.Contains(plan, p => p.StartsWith("SEARCH wf_tasks USING INDEX IX_wf_tasks_open_due (due<?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CalledInstances_SearchThePartialParentIndex()
    {
        await using var host = await HostWithTasksAsync();
        var parent = (await host.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "call-inbox" }))[0].Id;
        await using var connection = await host.Database.OpenConnectionAsync();
        await using var db = host.Database.CreateContext(connection);
        await using var command = EfWorkflowStore.Instances(db, new InstanceQuery { ParentInstanceId = parent }).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;

        var plan = await ReadPlanAsync(command);

        Assert.Contains(plan, p => p.StartsWith("SEARCH w USING INDEX IX_wf_instances_parent (parent_instance_id=?)", StringComparison.Ordinal));
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent }));
        Assert.Equal("inbox", child.ProcessId);
        Assert.EndsWith(
            "WHERE \"parent_instance_id\" IS NOT NULL",
            (string)(await host.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'IX_wf_instances_parent'"))!,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreConnections_KeepTemporaryDataInMemory()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite);

        // 2 = MEMORY: a grouped commit's savepoint journals never go to a temporary file.
        Assert.Equal(2L, await host.ScalarAsync("PRAGMA temp_store"));
    }

    /// <summary>Open and completed tasks by assignee, candidate user and role, some with a due date; one called instance.</summary>
    private static async Task<DurableHost> HostWithTasksAsync()
    {
        var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        await host.DeployFileAsync("Bpmn/inbox.bpmn");
        await host.DeployFileAsync("Bpmn/call-inbox.bpmn");
        for (var i = 0; i < 20; i++)
        {
            var instance = await host.Engine.StartAsync("inbox", $"K{i}", new Dictionary<string, object?>
            {
                ["assignee"] = i % 3 == 0 ? "alice" : null,
                ["users"] = i % 3 == 1 ? "alice" : "",
                ["roles"] = "clerk",
                ["due"] = i % 2 == 0 ? DurableHost.StartTime.AddDays(i) : null,
            });
            if (i % 4 == 0)
            {
                var task = (await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }))[0];
                await host.Engine.CompleteTaskAsync(task.Id, null, "alice");
            }
        }

        await host.Engine.StartAsync("call-inbox", "P1", new Dictionary<string, object?> { ["assignee"] = "bob", ["users"] = "", ["roles"] = "", ["due"] = null });
        return host;
    }

    private static async Task<List<string>> PlanAsync(DurableHost host, string template, object?[] values)
    {
        await using var connection = await host.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + StatementBatch.Format(template, 0, "@p", 0);
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameter.Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return await ReadPlanAsync(command);
    }

    private static async Task<List<string>> ReadPlanAsync(DbCommand command)
    {
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }
}
