using System.Collections.Concurrent;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Runtime.Support;

namespace Trading.Workflow.Engine.Quartz.Tests.Support;

/// <summary>A store that records every instance load of its sessions, to count what one command reads.</summary>
public sealed class CountingStore(IWorkflowStore inner) : ForwardingStore(inner)
{
    public ConcurrentQueue<Guid> Loads { get; } = new();

    public override async ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        new Session(await base.OpenSessionAsync(cancellationToken), Loads);

    private sealed class Session(IWorkflowSession inner, ConcurrentQueue<Guid> loads) : ForwardingSession(inner)
    {
        public override ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default)
        {
            loads.Enqueue(instanceId);
            return base.LoadInstanceAsync(instanceId, cancellationToken);
        }
    }
}
