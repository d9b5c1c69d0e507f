using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.InMemoryStore;

/// <summary>The in-memory store keeps history as chained entries in fixed-size chunks: what goes in comes out whole and in order.</summary>
public sealed class InMemoryHistoryTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task History_OfInterleavedInstancesAcrossManyChunks_ReadsEachInstanceInCommitOrder()
    {
        var store = new InMemoryWorkflowStore();
        Guid[] instances = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        for (var batch = 0; batch < 50; batch++)
        {
            var changes = new WorkflowChangeSet();
            for (var i = 0; i < 60; i++)
            {
                var n = batch * 60 + i;
                changes.History.Add(new HistoryEvent(instances[n % 3], HistoryEventType.ActivityStarted, At.AddSeconds(n)) { Details = n.ToString() });
            }

            await CommitAsync(store, changes);
        }

        for (var k = 0; k < 3; k++)
        {
            var history = await store.GetHistoryAsync(instances[k]);

            Assert.Equal(1000, history.Count);
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => (i * 3 + k).ToString()), history.Select(e => e.Details));
            Assert.True(history.Zip(history.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        }
    }

    [Fact]
    public async Task History_EveryFieldOfAnEvent_RoundTrips()
    {
        var store = new InMemoryWorkflowStore();
        var written = new HistoryEvent(Guid.NewGuid(), HistoryEventType.VariableUpdated, At)
        {
            ProcessId = "tender",
            BusinessKey = "ZB-2026-001",
            ElementId = "review",
            ElementType = "userTask",
            ElementName = "审核招标公告",
            ExecutionId = 7,
            TaskId = Guid.NewGuid(),
            UserId = "staff",
            VariableName = "amount",
            OldValue = 100m,
            NewValue = 250.50m,
            Details = "因澄清修改",
        };
        var changes = new WorkflowChangeSet();
        changes.History.Add(written);

        await CommitAsync(store, changes);
        var read = Assert.Single(await store.GetHistoryAsync(written.InstanceId));

        Assert.Equal(written, read);
        Assert.NotEqual(0, read.Sequence);
    }

    [Fact]
    public async Task History_OfUnknownInstance_IsEmpty()
    {
        var store = new InMemoryWorkflowStore();

        Assert.Empty(await store.GetHistoryAsync(Guid.NewGuid()));
    }

    private static async Task CommitAsync(InMemoryWorkflowStore store, WorkflowChangeSet changes)
    {
        await using var session = await store.OpenSessionAsync();
        await session.CommitAsync(changes);
    }
}
