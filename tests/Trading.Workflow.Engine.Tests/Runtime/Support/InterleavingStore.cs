using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime.Support;

/// <summary>
/// A store that runs another command once at a chosen point of a session: after it read the message index and before
/// it loads the instance (<see cref="BetweenIndexAndLoad"/>), or right after it loaded an instance (<see cref="AfterLoad"/>),
/// so the two commands interleave exactly there. The other command runs on a thread of its own and is awaited.
/// </summary>
public sealed class InterleavingStore(IWorkflowStore inner) : ForwardingStore(inner)
{
    public Func<Task>? BetweenIndexAndLoad { get; set; }

    public Func<Task>? AfterLoad { get; set; }

    public bool Interleaved { get; private set; }

    public override async ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        new Session(this, await base.OpenSessionAsync(cancellationToken));

    private async Task RunOnceAsync(Func<Task>? other, Action clear, CancellationToken cancellationToken)
    {
        if (other is null)
        {
            return;
        }

        clear();
        await Task.Run(other, cancellationToken);
        Interleaved = true;
    }

    private sealed class Session(InterleavingStore store, IWorkflowSession inner) : ForwardingSession(inner)
    {
        public override async ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(
            EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default)
        {
            var found = await base.FindSubscriptionsAsync(kind, eventName, correlationKey, businessKey, cancellationToken);
            await store.RunOnceAsync(store.BetweenIndexAndLoad, () => store.BetweenIndexAndLoad = null, cancellationToken);
            return found;
        }

        public override async ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
        {
            var loaded = await base.LoadInstanceAsync(instanceId, cancellationToken);
            await store.RunOnceAsync(store.AfterLoad, () => store.AfterLoad = null, cancellationToken);
            return loaded;
        }
    }
}
