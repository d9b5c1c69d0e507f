using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>The cache's own bookkeeping: newest version wins, bounded by count and by text (see <see cref="InstanceCacheContract"/>).</summary>
public sealed class InstanceCacheTests
{
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
}
