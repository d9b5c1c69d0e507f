namespace Trading.Workflow.Engine.Quartz.Reminders;

public enum NotificationKind
{
    TaskNearDue,
    TaskOverdue,
}

/// <summary>
/// A message for one recipient: a user id, or <c>role:NAME</c> for a candidate role. Times keep their offset;
/// the messages show them in China Standard Time.
/// </summary>
public sealed record NotificationRecord(
    Guid Id,
    string Recipient,
    NotificationKind Kind,
    Guid TaskId,
    Guid InstanceId,
    string? TaskName,
    DateTimeOffset Due,
    DateTimeOffset CreatedAt,
    string MessageZh,
    string MessageEn);

/// <summary>Where notifications go. Adding is idempotent per task, kind and recipient.</summary>
public interface INotificationSink
{
    /// <summary>Stores the notifications not stored before for the same task, kind and recipient; returns how many were new.</summary>
    ValueTask<int> AddAsync(IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<NotificationRecord>> GetForRecipientAsync(string recipient, CancellationToken cancellationToken = default);
}

/// <summary>Keeps notifications in memory (tests, single-process demos).</summary>
public sealed class InMemoryNotificationSink : INotificationSink
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(Guid, NotificationKind, string), NotificationRecord> _records = [];

    public ValueTask<int> AddAsync(IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken = default)
    {
        var added = 0;
        lock (_lock)
        {
            foreach (var n in notifications)
            {
                if (_records.TryAdd((n.TaskId, n.Kind, n.Recipient), n))
                {
                    added++;
                }
            }
        }

        return ValueTask.FromResult(added);
    }

    public ValueTask<IReadOnlyList<NotificationRecord>> GetForRecipientAsync(string recipient, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<NotificationRecord> result = _records.Values.Where(r => r.Recipient == recipient).OrderBy(r => r.CreatedAt).ToList();
            return ValueTask.FromResult(result);
        }
    }
}
