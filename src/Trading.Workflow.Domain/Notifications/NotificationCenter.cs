using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>One notification as a list shows it, with the state of its channel deliveries.</summary>
public sealed record NotificationItem(
    Guid Id,
    string Template,
    string Title,
    string Body,
    string? Link,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt,
    IReadOnlyList<DeliveryItem> Deliveries);

public sealed record DeliveryItem(string Channel, string Address, DeliveryState State, int Attempts, string? LastError, string? Reference, DateTimeOffset? SentAt);

public sealed record NotificationPage(IReadOnlyList<NotificationItem> Items, int Total);

/// <summary>
/// A user's notifications: the unread count for the bell, the list, marking read, and the language they are written
/// in. Every method takes the signed-in user's id and touches only that user's rows.
/// </summary>
public sealed class NotificationCenter(ITradingDatabase database, NotificationEvents events, TimeProvider time)
{
    public const int MaxPageSize = 100;

    public async Task<int> CountUnreadAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Notification>().CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);
    }

    /// <summary>Newest first.</summary>
    public async Task<NotificationPage> ListAsync(string userId, bool unreadOnly, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        take = Math.Clamp(take, 1, MaxPageSize);
        await using var db = database.Create();
        var query = db.Set<Notification>().AsNoTracking().Where(n => n.UserId == userId);
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        var ids = rows.Select(n => n.Id).ToList();
        var deliveries = (await db.Set<NotificationDelivery>().AsNoTracking().Where(d => ids.Contains(d.NotificationId)).ToListAsync(cancellationToken))
            .ToLookup(d => d.NotificationId);
        var items = rows.Select(n => new NotificationItem(
            n.Id, n.Template, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt,
            deliveries[n.Id].OrderBy(d => d.Channel, StringComparer.Ordinal)
                .Select(d => new DeliveryItem(d.Channel, d.Address, d.State, d.Attempts, d.LastError, d.Reference, d.SentAt)).ToList())).ToList();
        return new NotificationPage(items, total);
    }

    /// <summary>Marks one of the user's notifications read; false when it is not theirs or was read already.</summary>
    public async Task<bool> MarkReadAsync(string userId, Guid notificationId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var notification = await db.Set<Notification>().SingleOrDefaultAsync(n => n.Id == notificationId && n.UserId == userId, cancellationToken);
        if (notification is null || !notification.MarkRead(time.GetUtcNow()))
        {
            return false;
        }

        await db.SaveChangesAsync(cancellationToken);
        events.Publish([userId]);
        return true;
    }

    /// <summary>Marks every unread notification of the user read; returns how many.</summary>
    public async Task<int> MarkAllReadAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var now = time.GetUtcNow();
        var count = await db.Set<Notification>()
            .Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        if (count > 0)
        {
            events.Publish([userId]);
        }

        return count;
    }

    /// <summary>The language the user's notifications are written in (Chinese until they choose).</summary>
    public async Task<string> GetLanguageAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var preference = await db.Set<NotificationPreference>().AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        return preference?.Language ?? NotificationLanguage.Chinese;
    }

    public async Task SetLanguageAsync(string userId, string language, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var preference = await db.Set<NotificationPreference>().SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (preference is null)
        {
            db.Add(new NotificationPreference(userId, language));
        }
        else
        {
            preference.ChangeLanguage(language);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
