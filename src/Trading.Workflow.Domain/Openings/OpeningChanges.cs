using System.Collections.Concurrent;

namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// Tells pages in this process that an opening changed (a bid decrypted, the session closed, an objection), so the
/// host console and the bidders' rooms re-render at once. It is in-process only: on a cluster the pages also poll,
/// which is how a change made on another node reaches them (within the poll interval).
/// </summary>
public sealed class OpeningChanges
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, Func<Task>>> _subscribers = new();

    public IDisposable Subscribe(Guid sessionId, Func<Task> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var id = Guid.NewGuid();
        _subscribers.GetOrAdd(sessionId, _ => new()).TryAdd(id, onChange);
        return new Subscription(() =>
        {
            if (_subscribers.TryGetValue(sessionId, out var list))
            {
                list.TryRemove(id, out _);
            }
        });
    }

    public void Publish(Guid sessionId)
    {
        if (!_subscribers.TryGetValue(sessionId, out var list))
        {
            return;
        }

        foreach (var callback in list.Values)
        {
            // A page that has gone away must not stop the others from hearing it.
            _ = Task.Run(async () =>
            {
                try
                {
                    await callback();
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
                {
                }
            });
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
