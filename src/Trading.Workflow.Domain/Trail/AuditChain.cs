using System.Buffers.Binary;
using System.Text;

namespace Trading.Workflow.Domain.Trail;

/// <summary>
/// Builds and checks the hash chain of the trail: hash(n) = HMAC-SM3(key, hash(n-1) ‖ fields of n ‖ key id), with the
/// first record chained to 32 zero bytes; a record written before the trail had a key has hash(n) = SM3(hash(n-1) ‖
/// fields of n). Fields are length-prefixed so no two different records serialise alike. Without the key (kept outside
/// the database) an edited record cannot be given a hash that verifies, nor can keyed records be turned into unkeyed ones:
/// once a record is keyed every later one must be, and with a key configured the last record must be keyed.
/// </summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[Sm3.HashSize];

    /// <summary>The record that follows <paramref name="previous"/> (null for the first record of the chain).</summary>
    public static AuditEntry Append(
        AuditEntry? previous, DateTimeOffset occurredAt, string actor, Guid? centreId,
        string subjectType, string subjectId, string action, string data, TrailKey? key = null) =>
        Append(previous?.Sequence ?? 0, previous?.Hash ?? Genesis, occurredAt, actor, centreId, subjectType, subjectId, action, data, key);

    /// <summary>The record that follows the record numbered <paramref name="previousSequence"/> with hash <paramref name="previousHash"/> (0 and <see cref="Genesis"/> for the first).</summary>
    public static AuditEntry Append(
        long previousSequence, byte[] previousHash, DateTimeOffset occurredAt, string actor, Guid? centreId,
        string subjectType, string subjectId, string action, string data, TrailKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        var sequence = previousSequence + 1;
        var at = occurredAt.ToUniversalTime();
        var hash = Compute(sequence, at, actor, centreId, subjectType, subjectId, action, data, previousHash, key);
        return new AuditEntry(sequence, at, actor, centreId, subjectType, subjectId, action, data, previousHash, hash, key?.Id);
    }

    /// <summary>The hash a record must carry given its fields and its stored previous hash (<paramref name="key"/>: the key its <see cref="AuditEntry.KeyId"/> names).</summary>
    public static byte[] Compute(AuditEntry entry, TrailKey? key = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.KeyId != key?.Id)
        {
            throw new ArgumentException($"Record {entry.Sequence} is keyed with '{entry.KeyId}', not '{key?.Id}'.", nameof(key));
        }

        return Compute(entry.Sequence, entry.OccurredAt, entry.Actor, entry.CentreId, entry.SubjectType, entry.SubjectId,
            entry.Action, entry.Data, entry.PreviousHash, key);
    }

    /// <summary>
    /// Walks records in sequence order and reports the first that does not hold: a gap or repeat in the sequence, a
    /// previous hash that is not the prior record's hash, or a hash that does not match the record's fields.
    /// </summary>
    public static ChainVerification Verify(IEnumerable<AuditEntry> entries, TrailKeyRing? keys = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var walk = new ChainWalk(keys);
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
    public sealed class ChainWalk(TrailKeyRing? keys = null)
    {
        private readonly TrailKeyRing _keys = keys ?? TrailKeyRing.None;
        private byte[] _expectedPrevious = Genesis;
        private long _expectedSequence = 1;
        private ChainVerification? _broken;
        private bool _keyedSeen;
        private bool _lastKeyed;

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
            else if (entry.KeyId is null && _keyedSeen)
            {
                // A keyed record cannot be rewritten without the key; turning it into an unkeyed one is refused here.
                _broken = ChainVerification.Broken(CheckedCount, entry.Sequence, ChainBreak.Unkeyed);
            }
            else if (entry.KeyId is { } keyId && _keys.Find(keyId) is null)
            {
                _broken = ChainVerification.Broken(CheckedCount, entry.Sequence, ChainBreak.KeyUnavailable);
            }
            else if (!Compute(entry, entry.KeyId is null ? null : _keys.Find(entry.KeyId)).AsSpan().SequenceEqual(entry.Hash))
            {
                _broken = ChainVerification.Broken(CheckedCount, entry.Sequence, ChainBreak.ContentChanged);
            }

            if (_broken is not null)
            {
                return false;
            }

            _keyedSeen |= entry.KeyId is not null;
            _lastKeyed = entry.KeyId is not null;
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

            if (_keys.Current is not null && LastSequence > 0 && !_lastKeyed)
            {
                // With a key in force the chain ends in a keyed record (the host appends one when it adopts a key), so
                // a chain rewritten whole without keys does not verify.
                return ChainVerification.Broken(CheckedCount, LastSequence, ChainBreak.Unkeyed);
            }

            return ChainVerification.Intact(CheckedCount);
        }
    }

    private static byte[] Compute(
        long sequence, DateTimeOffset occurredAt, string actor, Guid? centreId,
        string subjectType, string subjectId, string action, string data, byte[] previousHash, TrailKey? key)
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
        if (key is null)
        {
            return Sm3.Hash(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }

        WriteString(buffer, key.Id);
        return key.Mac(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
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

    /// <summary>A record without a key after a keyed one, or a chain that ends unkeyed while a key is in force.</summary>
    Unkeyed,

    /// <summary>A record keyed with a key the verifier does not have (configure it, or pass it to the CLI).</summary>
    KeyUnavailable,
}

/// <summary>What a walk of the chain found: intact, or the first broken record and why.</summary>
public sealed record ChainVerification(bool IsIntact, long CheckedCount, long? FirstBrokenSequence, ChainBreak Break)
{
    public static ChainVerification Intact(long checkedCount) => new(true, checkedCount, null, ChainBreak.None);

    public static ChainVerification Broken(long checkedCount, long sequence, ChainBreak reason) => new(false, checkedCount, sequence, reason);
}
