using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>
/// Sends the pending deliveries that are due through their channels and records the outcome: sent, pending again
/// after a back-off, or failed with the reason once the failure is permanent or the attempts are used up. Each
/// delivery is claimed first (its attempt counter moves on only if nobody else moved it), so two nodes never send
/// the same attempt; a node that dies mid-send leaves the delivery to be retried after the lease.
/// </summary>
public sealed partial class NotificationDeliverySender(
    ITradingDatabase database,
    IEnumerable<INotificationChannel> channels,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationDeliverySender> logger)
{
    private readonly Dictionary<string, INotificationChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>Sends up to <paramref name="max"/> due deliveries; returns how many were attempted.</summary>
    public async Task<int> SendDueAsync(int max = 50, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var db = database.Create())
        {
            due = await db.Set<NotificationDelivery>().AsNoTracking()
                .Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => d.Id)
                .Take(max)
                .ToListAsync(cancellationToken);
        }

        var attempted = 0;
        foreach (var id in due)
        {
            if (await TrySendAsync(id, settings, cancellationToken))
            {
                attempted++;
            }
        }

        return attempted;
    }

    private async Task<bool> TrySendAsync(Guid id, NotificationOptions settings, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var delivery = await db.Set<NotificationDelivery>().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        var now = time.GetUtcNow();
        if (delivery is null || delivery.State != DeliveryState.Pending || delivery.NextAttemptAt > now)
        {
            return false;
        }

        var attempts = delivery.Attempts;
        var leaseUntil = now + settings.SendLease;
        var claimed = await db.Set<NotificationDelivery>()
            .Where(d => d.Id == id && d.State == DeliveryState.Pending && d.Attempts == attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, attempts + 1).SetProperty(d => d.NextAttemptAt, leaseUntil), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }

        await db.Entry(delivery).ReloadAsync(cancellationToken);
        var notification = await db.Set<Notification>().AsNoTracking().SingleAsync(n => n.Id == delivery.NotificationId, cancellationToken);
        ChannelResult result;
        if (!_channels.TryGetValue(delivery.Channel, out var channel))
        {
            result = ChannelResult.Failed($"No channel '{delivery.Channel}' is registered on this node.");
        }
        else
        {
            try
            {
                result = await channel.SendAsync(
                    new OutgoingMessage(delivery.Id, delivery.Address, notification.Language, notification.Title, notification.Body, notification.Link),
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = ChannelResult.Failed($"{ex.GetType().Name}: {ex.Message}");
            }
        }

        var after = time.GetUtcNow();
        if (result.Success)
        {
            delivery.MarkSent(after, result.Reference);
        }
        else
        {
            delivery.MarkFailed(result.Error ?? "unknown error", result.Permanent, settings.MaxAttempts, after, settings.RetryDelay(delivery.Attempts));
            LogFailed(delivery.Channel, delivery.Id, delivery.Attempts, delivery.State, result.Error);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery through {Channel} {DeliveryId} failed (attempt {Attempts}, now {State}): {Error}")]
    private partial void LogFailed(string channel, Guid deliveryId, int attempts, DeliveryState state, string? error);
}
