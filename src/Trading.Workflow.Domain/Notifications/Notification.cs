namespace Trading.Workflow.Domain.Notifications;

/// <summary>
/// One in-app notification for one user, rendered once in the recipient's language when it was recorded. Its
/// <see cref="SourceKey"/> names what caused it (a trail record, a task event); together with the user it is unique,
/// so processing the same cause twice records nothing new.
/// </summary>
public sealed class Notification
{
    public const int MaxUserIdLength = 256;
    public const int MaxSourceKeyLength = 200;
    public const int MaxTemplateLength = 100;
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 2000;
    public const int MaxLinkLength = 500;

    private Notification()
    {
        UserId = SourceKey = Template = Language = Title = Body = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>The user name the engine and the trail know the recipient by.</summary>
    public string UserId { get; private set; }

    /// <summary>What caused it: <c>trail:&lt;sequence&gt;</c>, <c>task:&lt;task id&gt;:offered</c>...</summary>
    public string SourceKey { get; private set; }

    /// <summary>The template it was rendered from, e.g. <c>market.entity.approved</c>.</summary>
    public string Template { get; private set; }

    /// <summary><see cref="NotificationLanguage.Chinese"/> or <see cref="NotificationLanguage.English"/>.</summary>
    public string Language { get; private set; }

    public string Title { get; private set; }

    public string Body { get; private set; }

    /// <summary>A local path in the application that shows the subject (e.g. <c>/inbox/{taskId}</c>), or null.</summary>
    public string? Link { get; private set; }

    public Guid? CentreId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    public bool IsRead => ReadAt is not null;

    public static Notification Create(
        string userId, string sourceKey, string template, string language, RenderedNotification text, string? link,
        Guid? centreId, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(template);
        ArgumentNullException.ThrowIfNull(text);
        if (link is not null && !(link.StartsWith('/') && !link.StartsWith("//", StringComparison.Ordinal)))
        {
            throw new DomainRuleException("notifications.link.not-local", $"A notification links only to a local path, not '{link}'.");
        }

        return new Notification
        {
            Id = Guid.CreateVersion7(createdAt),
            UserId = Cut(userId, MaxUserIdLength),
            SourceKey = Cut(sourceKey, MaxSourceKeyLength),
            Template = Cut(template, MaxTemplateLength),
            Language = NotificationLanguage.Normalize(language),
            Title = Cut(text.Title, MaxTitleLength),
            Body = Cut(text.Body, MaxBodyLength),
            Link = link is null ? null : Cut(link, MaxLinkLength),
            CentreId = centreId,
            CreatedAt = createdAt,
        };
    }

    /// <summary>Marks it read; returns false when it already was.</summary>
    public bool MarkRead(DateTimeOffset at)
    {
        if (ReadAt is not null)
        {
            return false;
        }

        ReadAt = at;
        return true;
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
