using System.ComponentModel.DataAnnotations;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>Settings of the notification dispatcher and the channels (section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How often the trail is read for new records and due deliveries are sent (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per delivery before it is marked failed (default 5).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait after the first failed attempt; doubles with each further failure (default 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a claimed delivery is held before another node may retry it (default 5 min).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How old an engine task event must be before the sweep over the engine's history reads it (default 2 min): longer
    /// than any command stays open, so a command that committed after a later one is not passed over. Task
    /// notifications normally come at once after the commit; the sweep records those a crash lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TaskSweepSettle { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The SMTP server; email is only logged while <see cref="SmtpOptions.Host"/> is empty.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    public TimeSpan RetryDelay(int attemptsMade) =>
        TimeSpan.FromTicks(FirstRetryDelay.Ticks * (1L << Math.Clamp(attemptsMade - 1, 0, 16)));
}

/// <summary>The SMTP server email notifications go through (section <c>Notifications:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name; empty means email is written to the log only.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Auto (STARTTLS when offered), StartTls, SslOnConnect or None.</summary>
    public string Security { get; set; } = "Auto";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender address, required when <see cref="Host"/> is set.</summary>
    public string? From { get; set; }

    public string FromName { get; set; } = "公共资源交易平台";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
