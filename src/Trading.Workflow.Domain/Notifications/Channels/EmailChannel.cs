using Microsoft.Extensions.Options;

namespace Trading.Workflow.Domain.Notifications.Channels;

/// <summary>The email channel: SMTP through MailKit when <c>Notifications:Smtp:Host</c> is set, the log otherwise.</summary>
public sealed class EmailChannel(IOptions<NotificationOptions> options, SmtpEmailChannel smtp, LoggingEmailChannel log) : INotificationChannel
{
    public string Name => NotificationChannels.Email;

    public ValueTask<ChannelResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        options.Value.Smtp.IsConfigured ? smtp.SendAsync(message, cancellationToken) : log.SendAsync(message, cancellationToken);
}
