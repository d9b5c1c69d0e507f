using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Trading.Workflow.Domain.Notifications.Channels;

/// <summary>
/// Sends email notifications through the SMTP server of <c>Notifications:Smtp</c> with MailKit. A refused recipient
/// or a malformed address is a permanent failure; a connection or server problem is retried.
/// </summary>
public sealed class SmtpEmailChannel(IOptions<NotificationOptions> options) : INotificationChannel
{
    public string Name => NotificationChannels.Email;

    public async ValueTask<ChannelResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (!MailboxAddress.TryParse(message.Address, out var to))
        {
            return ChannelResult.Failed($"'{message.Address}' is not an email address.", permanent: true);
        }

        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress(smtp.FromName, smtp.From!));
        mail.To.Add(to);
        mail.Subject = message.Title;
        mail.Body = new TextPart("plain") { Text = message.Body };

        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, Security(smtp.Security), cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
            }

            var response = await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(true, cancellationToken);
            return ChannelResult.Sent($"{mail.MessageId} {response}".Trim());
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted)
        {
            return ChannelResult.Failed($"SMTP {(int)ex.StatusCode}: {ex.Message}", permanent: true);
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException
            or AuthenticationException or IOException or System.Net.Sockets.SocketException)
        {
            return ChannelResult.Failed($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    public static SecureSocketOptions Security(string value) => value.ToUpperInvariant() switch
    {
        "NONE" => SecureSocketOptions.None,
        "STARTTLS" => SecureSocketOptions.StartTls,
        "SSLONCONNECT" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
