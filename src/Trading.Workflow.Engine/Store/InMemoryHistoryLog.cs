using System.Runtime.InteropServices;
using Trading.Workflow.Engine.History;

namespace Trading.Workflow.Engine.Store;

/// <summary>
/// The in-memory store's append-only history, kept as structs in chunks big enough for the large-object heap
/// (one chain of entries per instance). History is the bulk of what a finished instance leaves behind; as one object
/// per event it survived every young collection and was copied twice on its way to the old generation, which cost
/// about a third of the engine's time in memory. Here nothing of it is copied again once appended. Not thread-safe:
/// the store calls it under its lock.
/// </summary>
internal sealed class InMemoryHistoryLog
{
    // 1,024 entries of about 150 bytes: above the 85,000-byte large-object threshold.
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly List<Entry[]> _chunks = [];
    private readonly Dictionary<Guid, (int First, int Last, int Count)> _byInstance = [];
    private int _count;

    public void Append(HistoryEvent e)
    {
        var index = _count;
        if ((index & (ChunkSize - 1)) == 0)
        {
            _chunks.Add(new Entry[ChunkSize]);
        }

        ref var entry = ref At(index);
        entry = new Entry(e);
        _count++;

        ref var chain = ref CollectionsMarshal.GetValueRefOrAddDefault(_byInstance, e.InstanceId, out var exists);
        if (exists)
        {
            At(chain.Last).Next = index + 1;
            chain = (chain.First, index, chain.Count + 1);
        }
        else
        {
            chain = (index, index, 1);
        }
    }

    public IReadOnlyList<HistoryEvent> Read(Guid instanceId)
    {
        if (!_byInstance.TryGetValue(instanceId, out var chain))
        {
            return [];
        }

        var result = new List<HistoryEvent>(chain.Count);
        for (var index = chain.First; index >= 0;)
        {
            ref var entry = ref At(index);
            result.Add(entry.ToEvent());
            index = entry.Next - 1;
        }

        return result;
    }

    private ref Entry At(int index) => ref _chunks[index >> ChunkShift][index & (ChunkSize - 1)];

    private struct Entry(HistoryEvent e)
    {
        private readonly Guid _instanceId = e.InstanceId;
        private readonly DateTimeOffset _timestamp = e.Timestamp;
        private readonly long _sequence = e.Sequence;
        private readonly Guid? _taskId = e.TaskId;
        private readonly int? _executionId = e.ExecutionId;
        private readonly HistoryEventType _type = e.Type;
        private readonly string? _processId = e.ProcessId;
        private readonly string? _businessKey = e.BusinessKey;
        private readonly string? _elementId = e.ElementId;
        private readonly string? _elementType = e.ElementType;
        private readonly string? _elementName = e.ElementName;
        private readonly string? _userId = e.UserId;
        private readonly string? _variableName = e.VariableName;
        private readonly object? _oldValue = e.OldValue;
        private readonly object? _newValue = e.NewValue;
        private readonly string? _details = e.Details;

        /// <summary>Index + 1 of the instance's next entry; 0 (the default) ends the chain.</summary>
        public int Next;

        public readonly HistoryEvent ToEvent() => new(_instanceId, _type, _timestamp)
        {
            Sequence = _sequence,
            ProcessId = _processId,
            BusinessKey = _businessKey,
            ElementId = _elementId,
            ElementType = _elementType,
            ElementName = _elementName,
            ExecutionId = _executionId,
            TaskId = _taskId,
            UserId = _userId,
            VariableName = _variableName,
            OldValue = _oldValue,
            NewValue = _newValue,
            Details = _details,
        };
    }
}
