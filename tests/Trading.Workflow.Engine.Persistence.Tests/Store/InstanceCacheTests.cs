using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// The SQLite store keeps the instances it committed (InstanceCache) so the next command on one loads it without a
/// read: what it keeps must be exactly what the file holds, and an entry another process made stale must cost one
/// refused command (the version check), never a lost or a wrong write.
/// </summary>
public sealed class InstanceCacheTests
{
    [Fact]
    public async Task AfterEveryCommand_TheKeptInstanceIsExactlyWhatTheFileHolds()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
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
    public async Task AnEntryMadeStaleByAnotherWriter_CostsOneRefusedCommand_AndLosesNothing()
    {
        await using var first = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        await using var second = DurableHost.StartBeside(first);
        await first.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await first.Engine.StartAsync("approval", "BK-C2", new Dictionary<string, object?> { ["note"] = "first" }, "alice");
        Assert.True(first.Store.Cache!.TryGet(instance.Id, out var kept));

        // Another store on the same file changes the instance: the first store's entry is now a version behind.
        await second.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["note"] = "from the other store" }, "carol");

        await Assert.ThrowsAsync<WorkflowConflictException>(async () =>
            await first.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["late"] = "built on the stale entry" }, "alice"));
        Assert.False(first.Store.Cache.TryGet(instance.Id, out _));

        // The retry reads the file and keeps the other store's change.
        await first.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["late"] = "retried" }, "alice");
        var variables = await first.Engine.GetVariablesAsync(instance.Id);
        Assert.Equal("from the other store", variables["note"]);
        Assert.Equal("retried", variables["late"]);
        Assert.True(first.Store.Cache.TryGet(instance.Id, out var now));
        Assert.Equal(kept.Row.Version + 2, now.Row.Version);
        await AssertKeptAsIsAsync(first, first.Store.Cache, instance.Id);
    }

    [Fact]
    public async Task ATaskCompletedByAnotherWriter_IsRefusedAsNotOpen_OnceTheStaleEntryIsGone()
    {
        await using var first = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        await using var second = DurableHost.StartBeside(first);
        await first.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await first.Engine.StartAsync("approval", "BK-C3");
        var task = Assert.Single(await first.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await second.Engine.CompleteTaskAsync(task.Id, null, "carol");

        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await first.Engine.CompleteTaskAsync(task.Id, null, "alice"));
        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await first.Engine.CompleteTaskAsync(task.Id, null, "alice"));

        Assert.Equal("carol", (await first.Engine.GetTaskAsync(task.Id))!.CompletedBy);
    }

    [Fact]
    public void Put_KeepsTheNewestVersion_AndForgetsEverythingWhenFull()
    {
        var cache = new InstanceCache(capacity: 2);
        var a = Guid.NewGuid();
        var taskOfA = Guid.NewGuid();
        cache.Put(Entry(a, 3, taskOfA));
        cache.Put(Entry(a, 2));
        Assert.True(cache.TryGet(a, out var held));
        Assert.Equal(3, held.Row.Version);
        Assert.True(cache.TryFindTask(taskOfA, out var owner, out _));
        Assert.Equal(a, owner);

        cache.Put(Entry(a, 4));
        Assert.False(cache.TryFindTask(taskOfA, out _, out _));

        cache.Put(Entry(Guid.NewGuid(), 1));
        Assert.Equal(2, cache.Count);
        var third = Guid.NewGuid();
        cache.Put(Entry(third, 1));
        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(third, out _));

        cache.Evict(third);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Chars);

        static InstanceCache.Entry Entry(Guid id, long version, params Guid[] tasks) =>
            new(new InstanceEntity { Id = id, ProcessId = "p", Document = "{}", Version = version }, [], [.. tasks.Select(t => (t, UserTaskState.Open))]);
    }

    [Fact]
    public void Put_StaysWithinItsTextBudget_AndKeepsNoEntryLargerThanIt()
    {
        var cache = new InstanceCache(capacity: 100, maxChars: 1_000);
        var first = Guid.NewGuid();
        cache.Put(Entry(first, 400));
        cache.Put(Entry(Guid.NewGuid(), 400));
        Assert.Equal((2, 800L), (cache.Count, cache.Chars));

        // The third would pass the budget: the cache starts again with it alone.
        var third = Guid.NewGuid();
        cache.Put(Entry(third, 400));
        Assert.Equal((1, 400L), (cache.Count, cache.Chars));
        Assert.False(cache.TryGet(first, out _));

        cache.Put(Entry(Guid.NewGuid(), 1_500));
        Assert.Equal((0, 0L), (cache.Count, cache.Chars));

        static InstanceCache.Entry Entry(Guid id, int chars) =>
            new(new InstanceEntity { Id = id, ProcessId = "p", Document = new string('x', chars), Version = 1 }, [], []);
    }

    [Fact]
    public void AnEntryWithItsVariablesReplaced_CountsTheTextOfTheNewVariables()
    {
        // A commit builds its entry in two steps (the row, then `with` the variables it wrote).
        var row = new InstanceEntity { Id = Guid.NewGuid(), ProcessId = "p", Document = new string('x', 100), Version = 1 };
        var entry = new InstanceCache.Entry(row, [], []) with
        {
            Variables = [new VariableEntity { InstanceId = row.Id, Name = "note", TypeName = "String", ValueJson = new string('y', 900) }],
        };
        var cache = new InstanceCache(capacity: 100, maxChars: 2_000);

        cache.Put(entry);

        Assert.Equal(1_004L, entry.Chars);
        Assert.Equal(1_004L, cache.Chars);
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
        var variables = db.Variables.AsNoTracking().Where(v => v.InstanceId == instanceId).AsEnumerable()
            .Select(v => (v.ExecutionId, v.Name, v.TypeName, v.ValueJson)).Order().ToList();
        Assert.Equal(variables, kept.Variables.Select(v => (v.ExecutionId, v.Name, v.TypeName, v.ValueJson)).Order().ToList());
        var open = db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId && t.State == (int)UserTaskState.Open)
            .AsEnumerable().Select(t => (t.Id, (UserTaskState)t.State)).Order().ToList();
        Assert.Equal(open, kept.Tasks.Order().ToList());
    }
}
