using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>A row of several events gives back every event's fields, sequence, position and hashes as written.</summary>
public sealed class HistoryRowsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private static List<HistoryEntity> Linked(Guid instance, params HistoryEntity[] events)
    {
        string? head = "ab".PadRight(64, '0');
        for (var i = 0; i < events.Length; i++)
        {
            events[i].InstanceId = instance;
            HistoryChain.Link(events[i], 41 + i, head);
            head = events[i].Hash;
        }

        return [.. events];
    }

    [Fact]
    public void PackThenExpand_GivesEveryFieldBack_WhereSharedFieldsChangeToAndFromNull()
    {
        var instance = Guid.NewGuid();
        var events = Linked(
            instance,
            new HistoryEntity { Type = 0, Timestamp = At, ProcessId = "tender", BusinessKey = null, UserId = "alice", Details = "开始" },
            new HistoryEntity { Type = 6, Timestamp = At, ProcessId = "tender", BusinessKey = "GC-1", UserId = "alice", ElementId = "a", ElementType = "userTask", ElementName = "审核", ExecutionId = 2 },
            new HistoryEntity { Type = 10, Timestamp = At.AddTicks(1), ProcessId = "tender", BusinessKey = "GC-1", UserId = null, TaskId = Guid.NewGuid() },
            new HistoryEntity { Type = 17, Timestamp = At.AddTicks(1), ProcessId = "tender", BusinessKey = "GC-1", UserId = null, VariableName = "v", OldValue = null, NewValue = "\"x\"" },
            new HistoryEntity { Type = 18, Timestamp = At.AddSeconds(1), ProcessId = "other", BusinessKey = null, UserId = "bob", VariableName = "v", OldValue = "\"x\"", NewValue = "\"y\"" });

        var row = HistoryRows.Pack(events);
        row.Sequence = 5_000;
        var back = HistoryRows.Expand(row);

        Assert.Equal(events.Count, row.EntryCount);
        Assert.Equal(events[^1].Hash, row.Hash);
        Assert.Equal(
            events.Select(e => (e.Type, e.Timestamp, e.ProcessId, e.BusinessKey, e.UserId, e.ElementId, e.ElementType, e.ElementName, e.ExecutionId, e.TaskId, e.VariableName, e.OldValue, e.NewValue, e.Details, e.ChainPosition, e.PreviousHash, e.Hash)),
            back.Select(e => (e.Type, e.Timestamp, e.ProcessId, e.BusinessKey, e.UserId, e.ElementId, e.ElementType, e.ElementName, e.ExecutionId, e.TaskId, e.VariableName, e.OldValue, e.NewValue, e.Details, e.ChainPosition, e.PreviousHash, e.Hash)));
        Assert.Equal([4_996L, 4_997, 4_998, 4_999, 5_000], back.Select(e => e.Sequence));
        Assert.All(back, e => Assert.Equal(instance, e.InstanceId));
    }

    [Fact]
    public void SharedFields_AreWrittenOnlyWhereTheyChange()
    {
        var events = Linked(
            Guid.NewGuid(),
            [.. Enumerable.Range(0, 10).Select(i => new HistoryEntity { Type = 9, Timestamp = At, ProcessId = "engineering-construction.engineering-tender", BusinessKey = "DEMO-CITY-GC-2026-00001", UserId = "tenderee", ElementId = $"Flow_{i}" })]);

        var entries = HistoryRows.Pack(events).Entries!;

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(entries, "\"p\":"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(entries, "\"b\":"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(entries, "\"u\":"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(entries, "\"ts\":"));
    }
}
