namespace Trading.Workflow.Domain.Notifications;

public enum DeliveryState
{
    /// <summary>Waiting for its first attempt or for a retry at <see cref="NotificationDelivery.NextAttemptAt"/>.</summary>
    Pending = 0,
    Sent = 1,

    /// <summary>Given up: a permanent failure, or the last allowed attempt failed. <see cref="NotificationDelivery.LastError"/> says why.</summary>
    Failed = 2,
}

/// <summary>
/// One notification sent through one channel (SMS, email, voice) to one address, with its state: pending, sent, or
/// failed with the reason, and how many attempts were made. The in-app notification itself needs no delivery.
/// </summary>
public sealed class NotificationDelivery
{
    public const int MaxChannelLength = 32;
    public const int MaxAddressLength = 320;
    public const int MaxErrorLength = 1000;

    private NotificationDelivery()
    {
        Channel = Address = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid NotificationId { get; private set; }

    /// <summary>The channel's name (<see cref="NotificationChannels"/>).</summary>
    public string Channel { get; private set; }

    /// <summary>Phone number or email address.</summary>
    public string Address { get; private set; }

    public DeliveryState State { get; private set; }

    public int Attempts { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The channel's own note on the message sent (e.g. the SMTP server's message id, or "logged only").</summary>
    public string? Reference { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset NextAttemptAt { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public static NotificationDelivery Create(Guid notificationId, string channel, string address, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        return new NotificationDelivery
        {
            Id = Guid.CreateVersion7(createdAt),
            NotificationId = notificationId,
            Channel = channel,
            Address = address.Length <= MaxAddressLength ? address : address[..MaxAddressLength],
            State = DeliveryState.Pending,
            CreatedAt = createdAt,
            NextAttemptAt = createdAt,
        };
    }

    public void MarkSent(DateTimeOffset at, string? reference)
    {
        State = DeliveryState.Sent;
        SentAt = at;
        LastError = null;
        Reference = reference is { Length: > MaxErrorLength } ? reference[..MaxErrorLength] : reference;
    }

    /// <summary>
    /// Records a failed attempt (already counted in <see cref="Attempts"/> when it was claimed): pending again after
    /// the back-off, or failed for good when the failure is permanent or no attempt is left.
    /// </summary>
    public void MarkFailed(string reason, bool permanent, int maxAttempts, DateTimeOffset at, TimeSpan retryAfter)
    {
        LastError = reason.Length <= MaxErrorLength ? reason : reason[..MaxErrorLength];
        if (permanent || Attempts >= maxAttempts)
        {
            State = DeliveryState.Failed;
            return;
        }

        State = DeliveryState.Pending;
        NextAttemptAt = at + retryAfter;
    }
}
