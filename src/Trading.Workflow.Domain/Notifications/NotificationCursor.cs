namespace Trading.Workflow.Domain.Notifications;

/// <summary>How far a dispatcher has read its source (for the trail: the last sequence turned into notifications).</summary>
public sealed class NotificationCursor
{
    public const string Trail = "trail";

    private NotificationCursor()
    {
        Name = string.Empty;
    }

    public NotificationCursor(string name, long position)
    {
        Name = name;
        Position = position;
    }

    public string Name { get; private set; }

    public long Position { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    public void MoveTo(long position, DateTimeOffset at)
    {
        if (position < Position)
        {
            throw new InvalidOperationException($"The {Name} cursor cannot move back from {Position} to {position}.");
        }

        Position = position;
        UpdatedAt = at;
    }
}
