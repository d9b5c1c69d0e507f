using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// The store keeps the instances it committed (InstanceCache) so the next command on one loads it without a read:
/// what it keeps must be exactly what the database holds. Another node (or process) may commit an instance after
/// this store kept it: a command built on the stale entry must never write (the version check), and it runs once
/// more on what the database holds, so the user sees the outcome they would have seen without the cache.
/// </summary>
public abstract class InstanceCacheContract
{
    protected abstract DatabaseProvider Provider { get; }

    [Fact]
    public async Task AfterEveryCommand_TheKeptInstanceIsExactlyWhatTheFileHolds()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var cache = host.Store.Cache!;

        var instance = await host.Engine.StartAsync("approval", "BK-C1", new Dictionary<string, object?> { ["amount"] = 150m, ["note"] = "first" }, "alice");
        await AssertKeptAsIsAsync(host, cache, instance.Id);

        await host.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["note"] = "second", ["extra"] = 3 }, "alice");
        await AssertKeptAsIsAsync(host, cache, instance.Id);

        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await host.Engine.ClaimTaskAsync(task.Id, "bob");
        await AssertKeptAsIsAsync(host, cache, instance.Id);

        await host.Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?> { ["approved"] = true }, "bob");
        await AssertKeptAsIsAsync(host, cache, instance.Id);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
    }

    [Fact]
    public async Task AnEntryMadeStaleByAnotherNode_IsReadAgain_AndTheCommandSucceedsOnWhatTheDatabaseHolds()
    {
        await using var first = await DurableHost.StartAsync(Provider);
        await using var second = DurableHost.StartBeside(first);
        await first.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await first.Engine.StartAsync("approval", "BK-C2", new Dictionary<string, object?> { ["note"] = "first" }, "alice");
        Assert.True(first.Store.Cache!.TryGet(instance.Id, out var kept));

        // Another node changes the instance: the first store's entry is now a version behind.
        await second.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["note"] = "from the other node" }, "carol");

        // Built on the stale entry, the first run is refused by the version check; the rerun reads the database.
        await first.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["late"] = "after the other node" }, "alice");

        var variables = await first.Engine.GetVariablesAsync(instance.Id);
        Assert.Equal("from the other node", variables["note"]);
        Assert.Equal("after the other node", variables["late"]);
        Assert.True(first.Store.Cache.TryGet(instance.Id, out var now));
        Assert.Equal(kept.Row.Version + 2, now.Row.Version);
        await AssertKeptAsIsAsync(first, first.Store.Cache, instance.Id);
        var history = await first.Engine.GetHistoryAsync(instance.Id);
        Assert.Single(history, h => h.VariableName == "late");
    }

    [Fact]
    public async Task AClaimOnAStaleEntry_IsJudgedOnWhatTheDatabaseHolds()
    {
        await using var first = await DurableHost.StartAsync(Provider);
        await using var second = DurableHost.StartBeside(first);
        await first.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await first.Engine.StartAsync("approval", "BK-C4");
        var task = Assert.Single(await first.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await first.Engine.ClaimTaskAsync(task.Id, "bob");

        // The other node gives bob's claim back; the first store still keeps the task as bob's.
        await second.Engine.UnclaimTaskAsync(task.Id, "bob");
        await first.Engine.ClaimTaskAsync(task.Id, "dave");
        Assert.Equal("dave", (await first.Engine.GetTaskAsync(task.Id))!.Assignee);

        // And the other way: claimed on the other node, a claim here is refused for what the database says.
        await second.Engine.UnclaimTaskAsync(task.Id, "dave");
        await second.Engine.ClaimTaskAsync(task.Id, "erin");
        var refused = await Assert.ThrowsAsync<WorkflowConflictException>(async () => await first.Engine.ClaimTaskAsync(task.Id, "frank"));
        Assert.Contains("erin", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATaskCompletedByAnotherNode_IsRefusedAsNotOpen()
    {
        await using var first = await DurableHost.StartAsync(Provider);
        await using var second = DurableHost.StartBeside(first);
        await first.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await first.Engine.StartAsync("approval", "BK-C3");
        var task = Assert.Single(await first.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await second.Engine.CompleteTaskAsync(task.Id, null, "carol");

        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await first.Engine.CompleteTaskAsync(task.Id, null, "alice"));
        Assert.False(first.Store.Cache!.TryGet(instance.Id, out _));
        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await first.Engine.CompleteTaskAsync(task.Id, null, "alice"));

        Assert.Equal("carol", (await first.Engine.GetTaskAsync(task.Id))!.CompletedBy);
        Assert.Single(await first.Engine.GetHistoryAsync(instance.Id), h => h.Type == Engine.History.HistoryEventType.TaskCompleted);
    }

    [Fact]
    public async Task ALoadFromTheKeptEntry_IsTheCommandsOwnCopy_AndEqualsWhatTheRowHolds()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", "BK-C5", new Dictionary<string, object?> { ["amount"] = 150m, ["note"] = "first" }, "alice");
        Assert.True(host.Store.Cache!.TryGet(instance.Id, out var kept));
        Assert.NotNull(kept.Record);

        // A command changes the record it loaded and then fails (nothing committed): the kept copy must not move.
        await using (var session = await host.Store.OpenSessionAsync())
        {
            var loaded = (await session.LoadInstanceAsync(instance.Id))!;
            Assert.NotSame(kept.Record, loaded);
            Assert.Equal(150m, loaded.Executions.Single(e => e.Kind == ExecutionKind.Process).Variables!["amount"]);
            loaded.State = InstanceState.Terminated;
            loaded.Tasks.Clear();
            loaded.Executions[0].Variables!["note"] = "changed, never committed";
        }

        await using (var session = await host.Store.OpenSessionAsync())
        {
            var again = (await session.LoadInstanceAsync(instance.Id))!;
            Assert.Equal(InstanceState.Active, again.State);
            Assert.Single(again.Tasks);
            Assert.Equal("first", again.Executions.Single(e => e.Kind == ExecutionKind.Process).Variables!["note"]);
        }

        await AssertKeptAsIsAsync(host, host.Store.Cache, instance.Id);
    }

    /// <summary>The kept entry against the file: the instance row's columns, every variable row and the open tasks.</summary>
    private static async Task AssertKeptAsIsAsync(DurableHost host, InstanceCache cache, Guid instanceId)
    {
        Assert.True(cache.TryGet(instanceId, out var kept), "the committed instance is kept");
        await using var connection = await host.Database.OpenConnectionAsync();
        await using var db = host.Database.CreateContext(connection);
        var row = db.Instances.AsNoTracking().Single(i => i.Id == instanceId);
        Assert.Equal(
            (row.Version, row.State, row.Document, row.HistoryLength, row.HistoryHead, row.NextExecutionId, row.EndedAt, row.BusinessKey),
            (kept.Row.Version, kept.Row.State, kept.Row.Document, kept.Row.HistoryLength, kept.Row.HistoryHead, kept.Row.NextExecutionId, kept.Row.EndedAt, kept.Row.BusinessKey));

        // The kept record is what a load copies instead of parsing the document: it must write the same document.
        Assert.NotNull(kept.Record);
        Assert.Equal(row.Document, InstanceDocument.Write(kept.Record));
        Assert.All(kept.Record.Executions, e => Assert.Null(e.Variables));
        Assert.Equal((row.Version, (InstanceState)row.State, row.EndedAt), (kept.Record.Version, kept.Record.State, kept.Record.EndedAt));
        var variables = db.Variables.AsNoTracking().Where(v => v.InstanceId == instanceId).AsEnumerable()
            .Select(v => (v.ExecutionId, v.Name, v.TypeName, v.ValueJson)).Order().ToList();
        Assert.Equal(variables, kept.Variables.Select(v => (v.ExecutionId, v.Name, v.TypeName, v.ValueJson)).Order().ToList());
        var open = db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId && t.State == (int)UserTaskState.Open)
            .AsEnumerable().Select(t => (t.Id, (UserTaskState)t.State)).Order().ToList();
        Assert.Equal(open, kept.Tasks.Order().ToList());
    }
}

public sealed class SqliteInstanceCacheTests : InstanceCacheContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlInstanceCacheTests : InstanceCacheContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
