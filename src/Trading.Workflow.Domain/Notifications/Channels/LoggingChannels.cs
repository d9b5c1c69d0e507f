using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Domain.Notifications.Channels;

/// <summary>
/// A channel that writes the message to the log instead of sending it, labelled so nobody takes it for a sent
/// message: the delivery is recorded as sent with the reference <see cref="Reference"/>. The platform ships these for
/// SMS and voice (no provider is contracted) and for email while no SMTP server is configured.
/// </summary>
public abstract partial class LoggingChannel(ILogger logger) : INotificationChannel
{
    public const string Reference = "logged only, not sent (no provider configured) / 仅记录日志，未实际发送";

    public abstract string Name { get; }

    public ValueTask<ChannelResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        LogMessage(Name, message.Address, message.DeliveryId, message.Title, message.Body);
        return ValueTask.FromResult(ChannelResult.Sent(Reference));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "[{Channel} - LOGGED ONLY, NOT SENT] to {Address} (delivery {DeliveryId}): {Title} | {Body}")]
    private partial void LogMessage(string channel, string address, Guid deliveryId, string title, string body);
}

public sealed class LoggingSmsChannel(ILogger<LoggingSmsChannel> logger) : LoggingChannel(logger)
{
    public override string Name => NotificationChannels.Sms;
}

public sealed class LoggingVoiceChannel(ILogger<LoggingVoiceChannel> logger) : LoggingChannel(logger)
{
    public override string Name => NotificationChannels.Voice;
}

public sealed class LoggingEmailChannel(ILogger<LoggingEmailChannel> logger) : LoggingChannel(logger)
{
    public override string Name => NotificationChannels.Email;
}
