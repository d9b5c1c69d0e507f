using System.Collections.Concurrent;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>
/// Tells open pages on this node that a user's notifications changed (recorded, read), after the change committed.
/// A page subscribes for its signed-in user with <see cref="Subscribe"/> and disposes the handle when it goes away.
/// Other nodes learn of it by polling the unread count (cheap: one indexed count).
/// </summary>
public sealed class NotificationEvents
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Func<Task>>> _byUser = new(StringComparer.Ordinal);

    /// <summary>Calls <paramref name="onChanged"/> whenever the user's notifications change on this node.</summary>
    public IDisposable Subscribe(string userId, Func<Task> onChanged)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(onChanged);
        var id = Guid.NewGuid();
        _byUser.GetOrAdd(userId, _ => new ConcurrentDictionary<Guid, Func<Task>>())[id] = onChanged;
        return new Subscription(this, userId, id);
    }

    /// <summary>Runs the handlers of these users; a failing handler (a closed circuit) does not stop the others.</summary>
    public void Publish(IEnumerable<string> userIds)
    {
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            if (!_byUser.TryGetValue(userId, out var handlers))
            {
                continue;
            }

            foreach (var handler in handlers.Values)
            {
                _ = RunAsync(handler);
            }
        }
    }

    public int SubscriberCount(string userId) => _byUser.TryGetValue(userId, out var handlers) ? handlers.Count : 0;

    private static async Task RunAsync(Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (Exception)
        {
            // The subscriber's own problem (a disconnected circuit); the notification is stored and shows on reload.
        }
    }

    private sealed class Subscription(NotificationEvents owner, string userId, Guid id) : IDisposable
    {
        public void Dispose()
        {
            if (owner._byUser.TryGetValue(userId, out var handlers))
            {
                handlers.TryRemove(id, out _);
            }
        }
    }
}
