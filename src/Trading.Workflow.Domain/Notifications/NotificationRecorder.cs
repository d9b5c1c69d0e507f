using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>
/// Records notifications: one per recipient and cause (<c>source key</c>), rendered in the recipient's language,
/// with a pending delivery for each external channel the recipient has an address for. Recording the same cause for
/// the same user again adds nothing, so a dispatcher that re-reads a record after a crash sends nothing twice.
/// </summary>
public sealed class NotificationRecorder(
    NotificationTemplates templates,
    INotificationRecipientDirectory directory,
    IEnumerable<INotificationChannel> channels,
    TimeProvider time)
{
    private readonly HashSet<string> _channelNames = channels.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Adds the notifications and deliveries to <paramref name="db"/> (the caller saves and commits) and returns the
    /// notifications added; requests for users who already have a notification from this source are skipped.
    /// </summary>
    public async Task<IReadOnlyList<Notification>> RecordAsync(
        TradingDbContext db, string sourceKey, Guid? centreId, IEnumerable<NotificationRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceKey);
        // Rules may name a user by user name or by account id: the directory gives the one name notifications use.
        var wanted = new List<(NotificationRequest Request, NotificationRecipient Recipient)>();
        foreach (var request in requests.Where(r => !string.IsNullOrWhiteSpace(r.UserId)))
        {
            var recipient = await directory.FindAsync(request.UserId, cancellationToken);
            if (!wanted.Any(w => string.Equals(w.Recipient.UserId, recipient.UserId, StringComparison.Ordinal)))
            {
                wanted.Add((request, recipient));
            }
        }

        if (wanted.Count == 0)
        {
            return [];
        }

        var users = wanted.Select(w => w.Recipient.UserId).ToList();
        var existing = await db.Set<Notification>().AsNoTracking()
            .Where(n => n.SourceKey == sourceKey && users.Contains(n.UserId))
            .Select(n => n.UserId)
            .ToListAsync(cancellationToken);
        var skip = existing.ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var added = new List<Notification>();
        foreach (var (request, recipient) in wanted.Where(w => !skip.Contains(w.Recipient.UserId)))
        {
            var template = templates.Get(request.Template);
            var preference = await db.Set<NotificationPreference>().FindAsync([recipient.UserId], cancellationToken);
            var language = preference?.Language ?? NotificationLanguage.Normalize(recipient.Language);
            var notification = Notification.Create(
                recipient.UserId, sourceKey, template.Key, language, template.Render(language, request.Values), request.Link, centreId, now);
            db.Add(notification);
            added.Add(notification);
            foreach (var channel in (request.Channels ?? template.DefaultChannels).Distinct(StringComparer.Ordinal))
            {
                if (_channelNames.Contains(channel) && NotificationChannels.AddressFor(channel, recipient) is { Length: > 0 } address)
                {
                    db.Add(NotificationDelivery.Create(notification.Id, channel, address, now));
                }
            }
        }

        return added;
    }
}
