namespace Trading.Workflow.Domain.Notifications;

/// <summary>A user's choices for notifications: the language they are written in (Chinese unless chosen).</summary>
public sealed class NotificationPreference
{
    private NotificationPreference()
    {
        UserId = Language = string.Empty;
    }

    public NotificationPreference(string userId, string language)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        UserId = userId;
        Language = NotificationLanguage.Normalize(language);
    }

    public string UserId { get; private set; }

    public string Language { get; private set; }

    public void ChangeLanguage(string language) => Language = NotificationLanguage.Normalize(language);
}

/// <summary>The languages notifications are written in.</summary>
public static class NotificationLanguage
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>English for any English culture name (en, en-US...), Chinese for everything else.</summary>
    public static string Normalize(string? language) =>
        language is not null && (language.Equals("en", StringComparison.OrdinalIgnoreCase) || language.StartsWith("en-", StringComparison.OrdinalIgnoreCase))
            ? English
            : Chinese;
}
