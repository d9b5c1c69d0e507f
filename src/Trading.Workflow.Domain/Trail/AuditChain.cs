using System.Buffers.Binary;
using System.Text;

namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// Builds and checks the hash chain of the trail: hash(n) = SM3(hash(n-1) ‖ fields of n), with the first record
/// chained to 32 zero bytes. Fields are length-prefixed so no two different records serialise alike.
/// </summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[Sm3.HashSize];

    /// <summary>The record that follows <paramref name="previous"/> (null for the first record of the chain).</summary>
    public static AuditEntry Append(
        AuditEntry? previous, DateTimeOffset occurredAt, string actor, Guid? centreId,
        string subjectType, string subjectId, string action, string data) =>
        Append(previous?.Sequence ?? 0, previous?.Hash ?? Genesis, occurredAt, actor, centreId, subjectType, subjectId, action, data);

    /// <summary>The record that follows the record numbered <paramref name="previousSequence"/> with hash <paramref name="previousHash"/> (0 and <see cref="Genesis"/> for the first).</summary>
    public static AuditEntry Append(
        long previousSequence, byte[] previousHash, DateTimeOffset occurredAt, string actor, Guid? centreId,
        string subjectType, string subjectId, string action, string data)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        var sequence = previousSequence + 1;
        var at = occurredAt.ToUniversalTime();
        var hash = Compute(sequence, at, actor, centreId, subjectType, subjectId, action, data, previousHash);
        return new AuditEntry(sequence, at, actor, centreId, subjectType, subjectId, action, data, previousHash, hash);
    }

    /// <summary>The hash a record must carry given its fields and its stored previous hash.</summary>
    public static byte[] Compute(AuditEntry entry) =>
        Compute(entry.Sequence, entry.OccurredAt, entry.Actor, entry.CentreId, entry.SubjectType, entry.SubjectId,
            entry.Action, entry.Data, entry.PreviousHash);

    /// <summary>
    /// Walks records in sequence order and reports the first that does not hold: a gap or repeat in the sequence, a
    /// previous hash that is not the prior record's hash, or a hash that does not match the record's fields.
    /// </summary>
    public static ChainVerification Verify(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var walk = new ChainWalk();
        foreach (var entry in entries)
        {
            if (!walk.Check(entry))
            {
                break;
            }
        }

        return walk.Result();
    }

    /// <summary>
    /// A walk of the chain one record at a time (so a long trail is read in pages, never whole): <see cref="Check"/>
    /// each record in sequence order until it returns false, then <see cref="Result"/>, optionally against the head.
    /// </summary>
    public sealed class ChainWalk
    {
        private byte[] _expectedPrevious = Genesis;
        private long _expectedSequence = 1;
        private ChainVerification? _broken;

        public long CheckedCount { get; private set; }

        public long LastSequence => _expectedSequence - 1;

        public bool Check(AuditEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (_broken is not null)
            {
                return false;
            }

            if (entry.Sequence != _expectedSequence)
            {
                _broken = ChainVerification.Broken(CheckedCount, _expectedSequence, ChainBreak.SequenceGap);
            }
            else if (!entry.PreviousHash.AsSpan().SequenceEqual(_expectedPrevious))
            {
                _broken = ChainVerification.Broken(CheckedCount, entry.Sequence, ChainBreak.PreviousHashMismatch);
            }
            else if (!Compute(entry).AsSpan().SequenceEqual(entry.Hash))
            {
                _broken = ChainVerification.Broken(CheckedCount, entry.Sequence, ChainBreak.ContentChanged);
            }

            if (_broken is not null)
            {
                return false;
            }

            _expectedPrevious = entry.Hash;
            _expectedSequence++;
            CheckedCount++;
            return true;
        }

        /// <summary>The outcome; with a head, a chain that ends before it (its last records deleted) is broken too.</summary>
        public ChainVerification Result(long? headLength = null, byte[]? headHash = null)
        {
            if (_broken is not null)
            {
                return _broken;
            }

            if (headLength is { } length && (length != LastSequence || (headHash is not null && length > 0 && !headHash.AsSpan().SequenceEqual(_expectedPrevious))))
            {
                return ChainVerification.Broken(CheckedCount, LastSequence + 1, ChainBreak.Truncated);
            }

            return ChainVerification.Intact(CheckedCount);
        }
    }

    private static byte[] Compute(
        long sequence, DateTimeOffset occurredAt, string actor, Guid? centreId,
        string subjectType, string subjectId, string action, string data, byte[] previousHash)
    {
        using var buffer = new MemoryStream();
        buffer.Write(previousHash);
        WriteInt64(buffer, sequence);
        WriteInt64(buffer, occurredAt.ToUniversalTime().UtcTicks);
        WriteString(buffer, actor);
        WriteString(buffer, centreId?.ToString("D") ?? string.Empty);
        WriteString(buffer, subjectType);
        WriteString(buffer, subjectId);
        WriteString(buffer, action);
        WriteString(buffer, data);
        return Sm3.Hash(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static void WriteInt64(Stream stream, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteString(Stream stream, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteInt64(stream, bytes.Length);
        stream.Write(bytes);
    }
}

public enum ChainBreak
{
    None,
    SequenceGap,
    PreviousHashMismatch,
    ContentChanged,

    /// <summary>The chain ends before its head: its last records were deleted.</summary>
    Truncated,
}

/// <summary>What a walk of the chain found: intact, or the first broken record and why.</summary>
public sealed record ChainVerification(bool IsIntact, long CheckedCount, long? FirstBrokenSequence, ChainBreak Break)
{
    public static ChainVerification Intact(long checkedCount) => new(true, checkedCount, null, ChainBreak.None);

    public static ChainVerification Broken(long checkedCount, long sequence, ChainBreak reason) => new(false, checkedCount, sequence, reason);
}
