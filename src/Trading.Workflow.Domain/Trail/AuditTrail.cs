using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Trail;

/// <summary>The trail's appends, keyed with the ring's current key (<see cref="TrailKeyRing"/>; unkeyed SM3 when it has none).</summary>
public sealed class AuditTrail(TimeProvider time, TrailKeyRing keys) : IAuditTrail
{
    public const string KeyAdopted = "trail.key.adopted";

    /// <summary>
    /// PostgreSQL: the lock of the chain's one writer, held to the end of the transaction. Locks taken in a transaction
    /// that also appends to the trail take this one first (<c>DepositSectionLock</c>), so no two take them in opposite orders.
    /// </summary>
    public const string PostgresWriterLockSql = "SELECT pg_advisory_xact_lock(7305001)";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public async Task<AuditEntry> AppendAsync(TradingDbContext db, AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(record);
        if (db.Database.CurrentTransaction is null)
        {
            // Without a transaction two writers could read the same last record and fork the chain.
            throw new InvalidOperationException("The trail is appended inside the transaction of the action it records.");
        }

        if (db.Database.IsNpgsql())
        {
            // One writer of the chain at a time; released when the caller's transaction ends. (SQLite's write
            // transactions begin IMMEDIATE and are already one at a time.)
            await db.Database.ExecuteSqlRawAsync(PostgresWriterLockSql, cancellationToken);
        }

        // The chain continues from its head: if the last records were deleted, the next record still follows the
        // head, so the verifier keeps reporting the gap instead of new records covering it.
        var head = db.ChangeTracker.Entries<AuditHead>().Select(e => e.Entity).FirstOrDefault(h => h.Chain == AuditHead.TradeChain)
            ?? await db.Set<AuditHead>().FirstOrDefaultAsync(h => h.Chain == AuditHead.TradeChain, cancellationToken);
        long previousSequence;
        byte[] previousHash;
        if (head is not null)
        {
            (previousSequence, previousHash) = (head.Length, head.Hash);
        }
        else
        {
            // A trail from before the head existed (or an empty one): continue from its last record.
            var last = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);
            (previousSequence, previousHash) = (last?.Sequence ?? 0, last?.Hash ?? AuditChain.Genesis);
        }

        var data = record.Data is null ? "{}" : record.Data as string ?? JsonSerializer.Serialize(record.Data, record.Data.GetType(), Json);
        // Whole microseconds: PostgreSQL keeps no finer time, and the hash covers it.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.UtcTicks % 10));
        var entry = AuditChain.Append(
            previousSequence, previousHash, now, record.Actor, record.CentreId, record.SubjectType, record.SubjectId, record.Action, data, keys.Current);
        db.Add(entry);
        if (ProjectOf(record.SubjectType, record.SubjectId, data) is { } projectId)
        {
            db.Add(new AuditProject(entry.Sequence, projectId));
        }

        if (head is null)
        {
            db.Add(new AuditHead(AuditHead.TradeChain, entry.Sequence, entry.Hash));
        }
        else
        {
            head.MoveTo(entry);
        }

        return entry;
    }

    /// <summary>
    /// The project a record concerns when it names it itself: its subject is the project, or its data has a top-level
    /// <c>projectId</c> (the trail's convention), in the "D" form the trail writes. Schema script 0004 derives the same
    /// for the records written before it.
    /// </summary>
    public static Guid? ProjectOf(string subjectType, string subjectId, string data)
    {
        if (subjectType == "project" && Guid.TryParseExact(subjectId, "D", out var subject))
        {
            return subject;
        }

        try
        {
            using var json = JsonDocument.Parse(data);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("projectId", out var named)
                && named.ValueKind == JsonValueKind.String
                && Guid.TryParseExact(named.GetString(), "D", out var id)
                ? id
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// When a key is in force and the chain ends in an unkeyed record (a trail from before keys, or before this key was
    /// configured for the first time), appends a keyed <see cref="KeyAdopted"/> record, so the chain ends keyed and a
    /// rewrite of the whole chain without the key shows. Called by the host at start; nothing happens otherwise.
    /// </summary>
    public async Task<AuditEntry?> AdoptKeyAsync(ITradingDatabase database, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (keys.Current is not { } key)
        {
            return null;
        }

        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var last = await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (last is null || last.KeyId is not null)
        {
            return null;
        }

        var entry = await AppendAsync(db, new AuditRecord("system", null, "trail", key.Id, KeyAdopted, new { keyId = key.Id, unkeyedThrough = last.Sequence }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return entry;
    }
}
