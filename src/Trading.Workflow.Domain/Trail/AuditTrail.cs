using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Trail;

public sealed class AuditTrail(TimeProvider time) : IAuditTrail
{
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
            // One writer of the chain at a time; released when the caller's transaction ends.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7305001)", cancellationToken);
        }

        var previous = db.ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .OrderByDescending(e => e.Sequence)
            .FirstOrDefault()
            ?? await db.Set<AuditEntry>().AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken);
        var data = record.Data is null ? "{}" : record.Data as string ?? JsonSerializer.Serialize(record.Data, record.Data.GetType(), Json);
        // Whole microseconds: PostgreSQL keeps no finer time, and the hash covers it.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.UtcTicks % 10));
        var entry = AuditChain.Append(
            previous, now, record.Actor, record.CentreId, record.SubjectType, record.SubjectId, record.Action, data);
        db.Add(entry);
        return entry;
    }
}
