using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Trading.Workflow.Engine.Persistence.Data;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// The hash chain of one instance's history: hash(n) = HMAC-SHA256(key, hash(n-1) ‖ position ‖ fields of row n), the
/// first row chained to 64 zeros; rows written before the store had a key (<see cref="HistoryChainKeys"/>) use plain
/// SHA-256, and <see cref="HistoryKeyRecords"/> says where that ends. Fields are length-prefixed (null distinct from
/// empty) so no two rows serialise alike; times count in microseconds, the precision both databases keep. SHA-256 so
/// the engine needs no GM/T library; the trade trail chains with SM3.
/// </summary>
public static class HistoryChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>Sets the chain columns of <paramref name="row"/> as the successor of (<paramref name="length"/>, <paramref name="head"/>).</summary>
    public static void Link(HistoryEntity row, long length, string? head, HistoryChainKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        row.ChainPosition = length + 1;
        row.PreviousHash = head ?? Genesis;
        row.Hash = Compute(row, key);
    }

    /// <summary>The hash the row must carry given its fields, its position and its stored previous hash (keyed when <paramref name="key"/> is given).</summary>
    public static string Compute(HistoryEntity row, HistoryChainKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(row);

        // Every command hashes several rows: the fields are encoded straight into one buffer (on the stack when
        // small), with no stream, byte array or id string per field.
        var size = (17 * 8) + 36 + (row.TaskId is null ? 0 : 36)
            + Utf8Length(row.PreviousHash) + Utf8Length(row.ProcessId) + Utf8Length(row.BusinessKey) + Utf8Length(row.ElementId)
            + Utf8Length(row.ElementType) + Utf8Length(row.ElementName) + Utf8Length(row.UserId) + Utf8Length(row.VariableName)
            + Utf8Length(row.OldValue) + Utf8Length(row.NewValue) + Utf8Length(row.Details);
        byte[]? rented = null;
        var buffer = size <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            var at = 0;
            WriteString(buffer, ref at, row.PreviousHash);
            WriteInt64(buffer, ref at, row.ChainPosition ?? 0);
            WriteGuid(buffer, ref at, row.InstanceId);
            WriteInt64(buffer, ref at, row.Type);
            WriteInt64(buffer, ref at, Microseconds(row.Timestamp));
            WriteString(buffer, ref at, row.ProcessId);
            WriteString(buffer, ref at, row.BusinessKey);
            WriteString(buffer, ref at, row.ElementId);
            WriteString(buffer, ref at, row.ElementType);
            WriteString(buffer, ref at, row.ElementName);
            WriteInt64(buffer, ref at, row.ExecutionId ?? -1);
            if (row.TaskId is { } taskId)
            {
                WriteGuid(buffer, ref at, taskId);
            }
            else
            {
                WriteInt64(buffer, ref at, -1);
            }

            WriteString(buffer, ref at, row.UserId);
            WriteString(buffer, ref at, row.VariableName);
            WriteString(buffer, ref at, row.OldValue);
            WriteString(buffer, ref at, row.NewValue);
            WriteString(buffer, ref at, row.Details);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            if (key is null)
            {
                SHA256.HashData(buffer[..at], hash);
            }
            else
            {
                key.Mac(buffer[..at], hash);
            }

            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Walks one instance's stored history rows in sequence order and reports the first that does not hold, then checks
    /// the instance row's length and head (rows deleted at the end of the chain) and that the task rows the viewer shows
    /// agree with the chained history (a task row deleted, or its claim or completion rewritten). A row after the
    /// <paramref name="policy"/>'s cut-over must verify under one of its keys; plain rows there are <see cref="HistoryChainBreak.Unkeyed"/>.
    /// </summary>
    public static HistoryChainReport Verify(
        Guid instanceId, IEnumerable<HistoryEntity> rows, long expectedLength, string? expectedHead, IReadOnlyCollection<TaskEntity>? tasks = null,
        HistoryKeyPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        policy ??= HistoryKeyPolicy.Unkeyed;
        long position = 0;
        long legacy = 0;
        var previous = Genesis;
        var created = new HashSet<Guid>();
        var completedBy = new Dictionary<Guid, string?>();
        foreach (var stored in rows)
        {
            if (stored.Hash is null && stored.ChainPosition is null && stored.PreviousHash is null)
            {
                if (position > 0)
                {
                    return HistoryChainReport.Broken(instanceId, position, stored.Sequence, HistoryChainBreak.Unchained, legacy);
                }

                legacy += Math.Max(1, stored.EntryCount);
                continue;
            }

            if (policy.RecordMissing)
            {
                return HistoryChainReport.Broken(instanceId, position, stored.Sequence, HistoryChainBreak.KeyRecordMissing, legacy);
            }

            IReadOnlyList<HistoryEntity>? events = null;
            var outcome = HistoryChainBreak.ContentChanged;
            long? at = stored.Sequence;
            if (policy.IsKeyed(stored.Sequence))
            {
                foreach (var key in policy.Keys.All)
                {
                    var expanded = HistoryRows.Expand(stored, key);
                    (outcome, at) = Check(expanded, key, position, previous);
                    if (outcome == HistoryChainBreak.None)
                    {
                        events = expanded;
                        break;
                    }

                    if (outcome != HistoryChainBreak.ContentChanged)
                    {
                        break;
                    }
                }

                if (outcome == HistoryChainBreak.ContentChanged && Check(HistoryRows.Expand(stored), null, position, previous).Break == HistoryChainBreak.None)
                {
                    // It hashes without a key where it must be keyed: rewritten by someone without the key.
                    outcome = HistoryChainBreak.Unkeyed;
                }
                else if (outcome == HistoryChainBreak.ContentChanged && policy.Keys.All.Count == 0)
                {
                    outcome = HistoryChainBreak.KeyUnavailable;
                }
            }
            else
            {
                var expanded = HistoryRows.Expand(stored);
                (outcome, at) = Check(expanded, null, position, previous);
                events = expanded;
            }

            if (outcome != HistoryChainBreak.None)
            {
                return HistoryChainReport.Broken(instanceId, position + Math.Max(0, (at ?? stored.Sequence) - FirstSequence(stored)), at, outcome, legacy);
            }

            foreach (var e in events!)
            {
                position++;
                previous = e.Hash!;
                if (e.TaskId is { } taskId)
                {
                    switch ((History.HistoryEventType)e.Type)
                    {
                        case History.HistoryEventType.TaskCreated:
                            created.Add(taskId);
                            break;
                        case History.HistoryEventType.TaskCompleted:
                            completedBy[taskId] = e.UserId;
                            break;
                    }
                }
            }
        }

        if (position != expectedLength || (position > 0 && !string.Equals(previous, expectedHead, StringComparison.Ordinal)))
        {
            return HistoryChainReport.Broken(instanceId, position, null, HistoryChainBreak.Truncated, legacy);
        }

        if (tasks is not null)
        {
            var byId = tasks.ToDictionary(t => t.Id);
            foreach (var taskId in created)
            {
                if (!byId.TryGetValue(taskId, out var task))
                {
                    return HistoryChainReport.Broken(instanceId, position, null, HistoryChainBreak.TaskMissing, legacy, taskId);
                }

                if (completedBy.TryGetValue(taskId, out var by) && !string.Equals(task.CompletedBy, by, StringComparison.Ordinal))
                {
                    return HistoryChainReport.Broken(instanceId, position, null, HistoryChainBreak.TaskChanged, legacy, taskId);
                }
            }
        }

        return HistoryChainReport.Intact(instanceId, position, legacy);
    }

    private static long FirstSequence(HistoryEntity stored) => stored.Sequence - Math.Max(1, stored.EntryCount) + 1;

    // The events of one stored row against the chain so far: the first that does not hold, and its sequence.
    private static (HistoryChainBreak Break, long? Sequence) Check(IReadOnlyList<HistoryEntity> events, HistoryChainKey? key, long position, string previous)
    {
        foreach (var e in events)
        {
            if (e.ChainPosition != position + 1)
            {
                return (HistoryChainBreak.PositionGap, e.Sequence);
            }

            if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
            {
                return (HistoryChainBreak.PreviousHashMismatch, e.Sequence);
            }

            if (!string.Equals(Compute(e, key), e.Hash, StringComparison.Ordinal))
            {
                return (HistoryChainBreak.ContentChanged, e.Sequence);
            }

            position++;
            previous = e.Hash!;
        }

        return (HistoryChainBreak.None, null);
    }

    private static long Microseconds(DateTimeOffset at) => at.UtcTicks / 10;

    private static int Utf8Length(string? value) => value is null ? 0 : Encoding.UTF8.GetByteCount(value);

    private static void WriteInt64(Span<byte> buffer, ref int at, long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer[at..], value);
        at += 8;
    }

    /// <summary>As <see cref="WriteString"/> of the id's "D" form (36 ASCII characters).</summary>
    private static void WriteGuid(Span<byte> buffer, ref int at, Guid value)
    {
        WriteInt64(buffer, ref at, 36);
        value.TryFormat(buffer[at..], out var written, "D");
        at += written;
    }

    /// <summary>The UTF-8 length (8 bytes, big-endian) then the UTF-8 bytes; null as length -1.</summary>
    private static void WriteString(Span<byte> buffer, ref int at, string? value)
    {
        if (value is null)
        {
            WriteInt64(buffer, ref at, -1);
            return;
        }

        var length = Encoding.UTF8.GetBytes(value, buffer[(at + 8)..]);
        WriteInt64(buffer, ref at, length);
        at += length;
    }
}

public enum HistoryChainBreak
{
    None,

    /// <summary>A chained row's position is not the next one: a row before it was deleted (or rows reordered).</summary>
    PositionGap,

    /// <summary>A row's previous hash is not the prior row's hash.</summary>
    PreviousHashMismatch,

    /// <summary>A row's fields no longer hash to its stored hash: it was edited.</summary>
    ContentChanged,

    /// <summary>A row without chain columns after chained rows: written around the store, or its chain columns cleared.</summary>
    Unchained,

    /// <summary>A row after keyed chaining began hashes without a key: rewritten by someone who does not hold the key.</summary>
    Unkeyed,

    /// <summary>
    /// The verifier has keys but the database holds no record of when keyed chaining began that they can check: it was
    /// deleted or altered, or written under keys the verifier does not hold (or the keys were set after the upgrade).
    /// </summary>
    KeyRecordMissing,

    /// <summary>The row is keyed and the verifier holds no key (a verification without the key file).</summary>
    KeyUnavailable,

    /// <summary>The chain is shorter than, or ends elsewhere than, the instance row records: its last rows were deleted.</summary>
    Truncated,

    /// <summary>The history created a task whose row is gone.</summary>
    TaskMissing,

    /// <summary>A task row says another user completed it than the history does.</summary>
    TaskChanged,
}

/// <summary>
/// One instance's history chain: intact, or the first link that does not hold (<see cref="BrokenSequence"/> is the
/// history row's sequence when the break is at a row). <see cref="UnchainedRows"/> counts rows written before the
/// chain existed (upgraded databases), which cannot be checked.
/// </summary>
public sealed record HistoryChainReport(
    Guid InstanceId, bool IsIntact, long CheckedCount, long? BrokenSequence, HistoryChainBreak Break, long UnchainedRows, Guid? TaskId = null)
{
    public static HistoryChainReport Intact(Guid instanceId, long checkedCount, long unchained) =>
        new(instanceId, true, checkedCount, null, HistoryChainBreak.None, unchained);

    public static HistoryChainReport Broken(Guid instanceId, long checkedCount, long? sequence, HistoryChainBreak reason, long unchained, Guid? taskId = null) =>
        new(instanceId, false, checkedCount, sequence, reason, unchained, taskId);
}
