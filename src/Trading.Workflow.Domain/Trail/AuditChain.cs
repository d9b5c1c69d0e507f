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
        string subjectType, string subjectId, string action, string data)
    {
        var sequence = (previous?.Sequence ?? 0) + 1;
        var previousHash = previous?.Hash ?? Genesis;
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
        var expectedPrevious = Genesis;
        long expectedSequence = 1;
        long checkedCount = 0;
        foreach (var entry in entries)
        {
            if (entry.Sequence != expectedSequence)
            {
                return ChainVerification.Broken(checkedCount, expectedSequence, ChainBreak.SequenceGap);
            }

            if (!entry.PreviousHash.AsSpan().SequenceEqual(expectedPrevious))
            {
                return ChainVerification.Broken(checkedCount, entry.Sequence, ChainBreak.PreviousHashMismatch);
            }

            if (!Compute(entry).AsSpan().SequenceEqual(entry.Hash))
            {
                return ChainVerification.Broken(checkedCount, entry.Sequence, ChainBreak.ContentChanged);
            }

            expectedPrevious = entry.Hash;
            expectedSequence++;
            checkedCount++;
        }

        return ChainVerification.Intact(checkedCount);
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
}

/// <summary>What a walk of the chain found: intact, or the first broken record and why.</summary>
public sealed record ChainVerification(bool IsIntact, long CheckedCount, long? FirstBrokenSequence, ChainBreak Break)
{
    public static ChainVerification Intact(long checkedCount) => new(true, checkedCount, null, ChainBreak.None);

    public static ChainVerification Broken(long checkedCount, long sequence, ChainBreak reason) => new(false, checkedCount, sequence, reason);
}
