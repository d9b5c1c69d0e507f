using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// A commit updates only the columns of an instance or task row that changed. SQLite rewrites an entry of every index
/// on a column an UPDATE sets, changed or not; so setting the row's unchanged columns (business key, process, parent,
/// instance) wrote pages of their indexes with every command. Seen through triggers <c>AFTER UPDATE OF</c> a column,
/// which fire exactly when the statement sets that column, on both providers; the changing columns (the assignee at a
/// claim, the state at the end) are the positive control.
/// </summary>
public abstract class ChangedColumnsContract
{
    protected abstract DatabaseProvider Provider { get; }

    private static readonly (string Table, string Column)[] Watched =
    [
        ("wf_instances", "business_key"), ("wf_instances", "process_id"), ("wf_instances", "parent_instance_id"), ("wf_instances", "state"),
        ("wf_tasks", "business_key"), ("wf_tasks", "instance_id"), ("wf_tasks", "process_id"), ("wf_tasks", "assignee"), ("wf_tasks", "state"),
    ];

    [Fact]
    public async Task Commands_SetOnlyTheColumnsThatChanged()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        await WatchAsync(host);
        var instance = await host.Engine.StartAsync("approval", "BK-C1", new Dictionary<string, object?> { ["amount"] = 10 }, "alice");
        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));

        await host.Engine.ClaimTaskAsync(task.Id, "bob");
        await host.Engine.SetTaskDueAsync(task.Id, DurableHost.StartTime.AddDays(3), "later", "bob");
        await host.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["amount"] = 20 }, "bob");
        await host.Engine.CompleteTaskAsync(task.Id, null, "bob");

        // Claimed: the task's assignee; completed: the instance's and the task's state. Nothing else, though every
        // command updated the instance row and three updated the task row.
        Assert.Equal(["wf_instances.state", "wf_tasks.assignee", "wf_tasks.state"], await TouchedAsync(host));
        var stored = await host.Engine.GetTaskAsync(task.Id);
        Assert.Equal(("bob", "bob", DurableHost.StartTime.AddDays(3), "BK-C1"), (stored!.Assignee, stored.CompletedBy, stored.Due, stored.BusinessKey));
        Assert.Equal(20, Convert.ToInt32((await host.Engine.GetVariablesAsync(instance.Id))!["amount"], System.Globalization.CultureInfo.InvariantCulture));
        var ended = await host.Engine.GetInstanceAsync(instance.Id);
        Assert.Equal(("BK-C1", InstanceState.Completed), (ended!.BusinessKey, ended.State));
    }

    private async Task WatchAsync(DurableHost host)
    {
        var sqlite = Provider == DatabaseProvider.Sqlite;
        var sql = new System.Text.StringBuilder();
        if (sqlite)
        {
            sql.Append("""CREATE TABLE "test_touched" ("what" TEXT NOT NULL);""");
        }
        else
        {
            sql.Append("""
                CREATE TABLE "test_touched" ("what" text NOT NULL);
                CREATE FUNCTION "test_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO "test_touched" VALUES (TG_ARGV[0]); RETURN NULL; END $$;
                """);
        }

        foreach (var (table, column) in Watched)
        {
            var what = $"{table}.{column}";
            sql.Append(sqlite
                ? $"""CREATE TRIGGER "test_{what.Replace('.', '_')}" AFTER UPDATE OF "{column}" ON "{table}" BEGIN INSERT INTO "test_touched" VALUES ('{what}'); END;"""
                : $"""CREATE TRIGGER "test_{what.Replace('.', '_')}" AFTER UPDATE OF "{column}" ON "{table}" FOR EACH ROW EXECUTE FUNCTION "test_touch"('{what}');""");
        }

        await host.ExecuteAsync(sql.ToString());
    }

    private static async Task<List<string>> TouchedAsync(DurableHost host)
    {
        await using var connection = await host.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "what" FROM "test_touched" ORDER BY "what" """;
        var touched = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            touched.Add(reader.GetString(0));
        }

        return touched;
    }
}

public sealed class SqliteChangedColumnsTests : ChangedColumnsContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlChangedColumnsTests : ChangedColumnsContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
