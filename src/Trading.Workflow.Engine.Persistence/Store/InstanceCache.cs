using System.Collections.Concurrent;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// The rows of instances as this store last committed them (instance row, variables, open tasks), so that the next
/// command on an instance loads it without reading the database. Every write to an instance goes through a store's
/// commit, which puts the rows it wrote or evicts what it did not know. Another store (a node on the same PostgreSQL,
/// a process on the same SQLite file) may commit an instance after this one kept it: a stale entry cannot corrupt
/// anything, since the commit's version check refuses a command built on it, and the engine then runs the command
/// once more without it (see <c>WorkflowEngine.RerunOnStaleAsync</c>). Entries are immutable once put; readers share
/// them. Bounded by count and by the text it holds (documents and variable values, 32 million characters by default),
/// so large procedures cannot grow it.
/// </summary>
internal sealed class InstanceCache(int capacity = 20_000, long maxChars = 32L * 1024 * 1024)
{
    private readonly ConcurrentDictionary<Guid, Entry> _instances = new();
    private readonly ConcurrentDictionary<Guid, (Guid InstanceId, UserTaskState State)> _tasks = new();
    private readonly object _gate = new();
    private long _chars;

    // Entries held, kept under _gate: ConcurrentDictionary.Count takes every one of its bucket locks (up to 1,024
    // once the table has grown), which on every commit cost more than the rest of Put.
    private int _count;

    /// <summary>An instance as committed: its row, its variable rows and its open tasks (id and state).</summary>
    internal sealed record Entry(InstanceEntity Row, VariableEntity[] Variables, (Guid Id, UserTaskState State)[] Tasks)
    {
        /// <summary>
        /// The record the commit wrote, without variables: a private copy no command changes; a load copies it
        /// instead of parsing <see cref="InstanceEntity.Document"/> again (`perf`: about 0.02 ms a command).
        /// </summary>
        public ProcessInstanceRecord? Record { get; init; }

        /// <summary>
        /// The text the entry holds, in characters (two bytes each). Computed when asked: an initialised property would
        /// keep the value of the entry a <c>with</c> copied it from (a commit sets the variables that way).
        /// </summary>
        public long Chars => Row.Document.Length + Variables.Sum(v => (long)v.ValueJson.Length + v.Name.Length);
    }

    /// <summary>Characters of text held (two bytes each).</summary>
    public long Chars => Interlocked.Read(ref _chars);

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(Guid instanceId, out Entry entry) => _instances.TryGetValue(instanceId, out entry!);

    /// <summary>The instance and state of an open task of a cached instance.</summary>
    public bool TryFindTask(Guid taskId, out Guid instanceId, out UserTaskState state)
    {
        if (_tasks.TryGetValue(taskId, out var found) && _instances.ContainsKey(found.InstanceId))
        {
            (instanceId, state) = found;
            return true;
        }

        instanceId = default;
        state = default;
        return false;
    }

    /// <summary>Puts what a commit wrote; an older version than the one held (commits finishing out of order) is ignored.</summary>
    public void Put(Entry entry)
    {
        lock (_gate)
        {
            var id = entry.Row.Id;
            if (_instances.TryGetValue(id, out var held))
            {
                if (held.Row.Version >= entry.Row.Version)
                {
                    return;
                }

                RemoveTasks(held);
                _instances.TryRemove(id, out _);
                _chars -= held.Chars;
                _count--;
            }

            if (_count >= capacity || _chars + entry.Chars > maxChars)
            {
                // Full: start again rather than track recency on every load (the hot instances come back at once).
                _instances.Clear();
                _tasks.Clear();
                _chars = 0;
                _count = 0;
            }

            if (entry.Chars > maxChars)
            {
                return;
            }

            _instances[id] = entry;
            _chars += entry.Chars;
            _count++;
            foreach (var (taskId, state) in entry.Tasks)
            {
                _tasks[taskId] = (id, state);
            }
        }
    }

    public void Evict(Guid instanceId)
    {
        lock (_gate)
        {
            if (_instances.TryRemove(instanceId, out var held))
            {
                RemoveTasks(held);
                _chars -= held.Chars;
                _count--;
            }
        }
    }

    private void RemoveTasks(Entry entry)
    {
        foreach (var (taskId, _) in entry.Tasks)
        {
            _tasks.TryRemove(taskId, out _);
        }
    }
}
