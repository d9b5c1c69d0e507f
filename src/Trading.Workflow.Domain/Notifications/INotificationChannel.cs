namespace Trading.Workflow.Domain.Notifications;

/// <summary>The names of the external channels.</summary>
public static class NotificationChannels
{
    public const string Sms = "sms";
    public const string Email = "email";
    public const string Voice = "voice";

    /// <summary>The address a recipient gives for a channel (phone for SMS and voice, email for email), or null.</summary>
    public static string? AddressFor(string channel, NotificationRecipient recipient) => channel switch
    {
        Sms or Voice => recipient.Phone,
        Email => recipient.Email,
        _ => null,
    };
}

/// <summary>A notification on its way out through a channel.</summary>
public sealed record OutgoingMessage(Guid DeliveryId, string Address, string Language, string Title, string Body, string? Link);

/// <summary>What a channel did with a message. A permanent failure (a malformed address) is not retried.</summary>
public sealed record ChannelResult(bool Success, string? Reference, string? Error, bool Permanent)
{
    public static ChannelResult Sent(string? reference) => new(true, reference, null, false);

    public static ChannelResult Failed(string error, bool permanent = false) => new(false, null, error, permanent);
}

/// <summary>
/// Sends a notification to an address outside the application. The platform ships SMS, email and voice channels
/// that only write the message to the log (labelled as such), and an SMTP email channel used when
/// <c>Notifications:Smtp:Host</c> is set. A gateway for a real SMS or voice provider is one more implementation.
/// </summary>
public interface INotificationChannel
{
    /// <summary>One of <see cref="NotificationChannels"/>.</summary>
    string Name { get; }

    ValueTask<ChannelResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Who a notification goes to: <see cref="UserId"/> is the user name notifications are kept under (what the engine
/// and the signed-in user's name use), with the language and the addresses for the external channels.
/// </summary>
public sealed record NotificationRecipient(string UserId, string Language, string? Email, string? Phone, string? DisplayName = null);

/// <summary>
/// Finds recipients: their language and addresses, and the users holding a role (for tasks offered to a role). The
/// web project implements it over the accounts; the domain's default knows no addresses and no role members.
/// </summary>
public interface INotificationRecipientDirectory
{
    /// <summary>The recipient named by user name or account id; an unknown user is returned as given, with no addresses.</summary>
    ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken);
}
