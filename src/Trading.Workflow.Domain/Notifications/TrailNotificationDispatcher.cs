using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>
/// Turns trail records into notifications, outbox-style: reads the records after the stored cursor in sequence order,
/// asks the rules registered for each record's action who to notify, and records the notifications and moves the
/// cursor in one transaction. A crash before the commit leaves the cursor where it was, so the records are read again;
/// recording is idempotent per record and recipient (<c>trail:&lt;sequence&gt;</c>), so nothing is lost or doubled.
/// Several nodes may run it: the cursor row is locked for the batch.
/// </summary>
public sealed partial class TrailNotificationDispatcher(
    ITradingDatabase database,
    NotificationRuleSet rules,
    NotificationRecorder recorder,
    NotificationEvents events,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<TrailNotificationDispatcher> logger)
{
    public static string SourceKeyFor(long sequence) => $"trail:{sequence}";

    /// <summary>Processes up to <paramref name="maxRecords"/> records; returns how many trail records were read.</summary>
    public async Task<int> DispatchAsync(int maxRecords = 200, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        var notified = new List<string>();
        int read;
        await using (var scope = scopes.CreateAsyncScope())
        await using (var db = database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var cursor = await LockCursorAsync(db, cancellationToken);
            var entries = await db.Set<AuditEntry>().AsNoTracking()
                .Where(e => e.Sequence > cursor.Position)
                .OrderBy(e => e.Sequence)
                .Take(maxRecords)
                .ToListAsync(cancellationToken);
            read = entries.Count;
            if (read == 0)
            {
                return 0;
            }

            foreach (var entry in entries)
            {
                var requests = new List<NotificationRequest>();
                foreach (var rule in rules.For(entry.Action))
                {
                    try
                    {
                        requests.AddRange(await rule.MapAsync(new NotificationRuleContext(entry, db, scope.ServiceProvider), cancellationToken));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException and not DbUpdateException)
                    {
                        // A rule that cannot read its record (a defect or malformed data) must not hold back every
                        // later record: it is logged with the sequence so the notification can be sent by hand.
                        LogRuleFailed(ex, rule.GetType().Name, entry.Action, entry.Sequence);
                    }
                }

                var added = await recorder.RecordAsync(db, SourceKeyFor(entry.Sequence), entry.CentreId, requests, cancellationToken);
                notified.AddRange(added.Select(n => n.UserId));
            }

            cursor.MoveTo(entries[^1].Sequence, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        if (notified.Count > 0)
        {
            LogDispatched(read, notified.Count);
            events.Publish(notified);
        }

        return read;
    }

    /// <summary>The trail cursor, created at 0 the first time and locked (an update of its row) until the commit.</summary>
    private static async Task<NotificationCursor> LockCursorAsync(TradingDbContext db, CancellationToken cancellationToken)
    {
        var touched = await db.Set<NotificationCursor>()
            .Where(c => c.Name == NotificationCursor.Trail)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, c => c.Position), cancellationToken);
        if (touched == 0)
        {
            db.Add(new NotificationCursor(NotificationCursor.Trail, 0));
            await db.SaveChangesAsync(cancellationToken);
        }

        return await db.Set<NotificationCursor>().SingleAsync(c => c.Name == NotificationCursor.Trail, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification rule {Rule} failed for trail record {Sequence} ({Action}); the record is passed over by this rule")]
    private partial void LogRuleFailed(Exception exception, string rule, string action, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Read {Records} trail records and recorded {Notifications} notifications")]
    private partial void LogDispatched(int records, int notifications);
}
