using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime.Support;

/// <summary>
/// A store that runs another command once at a chosen point of a session: after it read the message index and before
/// it loads the instance (<see cref="BetweenIndexAndLoad"/>), or right after it loaded an instance (<see cref="AfterLoad"/>),
/// so the two commands interleave exactly there. The other command runs on a thread of its own and is awaited.
/// </summary>
public sealed class InterleavingStore(IWorkflowStore inner) : ForwardingStore(inner)
{
    private Func<Task>? _betweenIndexAndLoad;
    private Func<Task>? _afterLoad;

    public Func<Task>? BetweenIndexAndLoad { get => _betweenIndexAndLoad; set => _betweenIndexAndLoad = value; }

    public Func<Task>? AfterLoad { get => _afterLoad; set => _afterLoad = value; }

    public bool Interleaved { get; private set; }

    public override async ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        new Session(this, await base.OpenSessionAsync(cancellationToken));

    private async Task RunOnceAsync(Func<Task>? other, CancellationToken cancellationToken)
    {
        if (other is not null)
        {
            await Task.Run(other, cancellationToken);
            Interleaved = true;
        }
    }

    private sealed class Session(InterleavingStore store, IWorkflowSession inner) : ForwardingSession(inner)
    {
        public override async ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(
            EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default)
        {
            var found = await base.FindSubscriptionsAsync(kind, eventName, correlationKey, businessKey, cancellationToken);
            await store.RunOnceAsync(Interlocked.Exchange(ref store._betweenIndexAndLoad, null), cancellationToken);
            return found;
        }

        public override async ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
        {
            var loaded = await base.LoadInstanceAsync(instanceId, cancellationToken);
            await store.RunOnceAsync(Interlocked.Exchange(ref store._afterLoad, null), cancellationToken);
            return loaded;
        }
    }
}
