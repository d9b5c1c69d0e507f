using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime.Support;

/// <summary>
/// A store that hands everything to another one; a test store overrides only what it watches (commits, loads...).
/// Shared by the engine tests and, linked, by the persistence and Quartz tests.
/// </summary>
public abstract class ForwardingStore(IWorkflowStore inner) : IWorkflowStore
{
    public virtual ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) => inner.OpenSessionAsync(cancellationToken);

    public ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default) => inner.GetTaskAsync(taskId, cancellationToken);

    public ValueTask<IReadOnlyList<UserTaskInfo>> GetOpenTasksForUserAsync(string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default) =>
        inner.GetOpenTasksForUserAsync(userId, roles, cancellationToken);

    public ValueTask<IReadOnlyList<UserTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) => inner.QueryTasksAsync(query, cancellationToken);

    public ValueTask<ProcessInstanceInfo?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.GetInstanceAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) => inner.QueryInstancesAsync(query, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, object?>?> GetVariablesAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.GetVariablesAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.GetHistoryAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<TimerInfo>> GetTimersAsync(Guid? instanceId, CancellationToken cancellationToken = default) => inner.GetTimersAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<JobInfo>> GetJobsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => inner.GetJobsAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<EventSubscriptionInfo>> GetSubscriptionsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => inner.GetSubscriptionsAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => inner.GetIncidentsAsync(instanceId, cancellationToken);
}

/// <summary>A session that hands everything to another one; override what the test watches.</summary>
public abstract class ForwardingSession(IWorkflowSession inner) : IWorkflowSession
{
    public virtual ValueTask<ICommandTransaction?> GetTransactionAsync(CancellationToken cancellationToken = default) => inner.GetTransactionAsync(cancellationToken);

    public virtual ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.LoadInstanceAsync(instanceId, cancellationToken);

    public ValueTask<TaskLocation?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default) => inner.FindTaskAsync(taskId, cancellationToken);

    public ValueTask<TimerLocation?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default) => inner.FindTimerAsync(timerId, cancellationToken);

    public ValueTask<Guid?> FindJobInstanceAsync(Guid jobId, CancellationToken cancellationToken = default) => inner.FindJobInstanceAsync(jobId, cancellationToken);

    public virtual ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default) =>
        inner.FindSubscriptionsAsync(kind, eventName, correlationKey, businessKey, cancellationToken);

    public ValueTask<IReadOnlyList<TimerInfo>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => inner.FindDueTimersAsync(now, max, cancellationToken);

    public ValueTask<IReadOnlyList<JobInfo>> FindDueJobsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => inner.FindDueJobsAsync(now, max, cancellationToken);

    public virtual ValueTask CommitAsync(WorkflowChangeSet changes, CancellationToken cancellationToken = default) => inner.CommitAsync(changes, cancellationToken);

    public virtual ValueTask DisposeAsync() => inner.DisposeAsync();
}
