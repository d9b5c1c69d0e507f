using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Store;

/// <summary>
/// Where instances live. A command opens a session, loads the aggregates it touches (each a private copy), and
/// commits every change in one <see cref="WorkflowChangeSet"/>: all of it or none, each instance's Version checked.
/// </summary>
public interface IWorkflowStore
{
    ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default);

    ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<UserTaskInfo>> GetOpenTasksForUserAsync(string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<UserTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default);

    ValueTask<ProcessInstanceInfo?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Process-level variables (a copy).</summary>
    ValueTask<IReadOnlyDictionary<string, object?>?> GetVariablesAsync(Guid instanceId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>Pending timers, definition-level timer start events included when <paramref name="instanceId"/> is null.</summary>
    ValueTask<IReadOnlyList<TimerInfo>> GetTimersAsync(Guid? instanceId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<JobInfo>> GetJobsAsync(Guid? instanceId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<EventSubscriptionInfo>> GetSubscriptionsAsync(Guid? instanceId, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(Guid? instanceId, CancellationToken cancellationToken = default);
}

/// <summary>One command's unit of work.</summary>
public interface IWorkflowSession : IAsyncDisposable
{
    /// <summary>
    /// The store's transaction for handlers that write their own rows in the same commit, begun at the first call;
    /// null for the in-memory store.
    /// </summary>
    ValueTask<ICommandTransaction?> GetTransactionAsync(CancellationToken cancellationToken = default);

    /// <summary>A private copy of the instance, or null. Loading the same id twice in a session returns the same object.</summary>
    ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default);

    /// <summary>Where a task lives and its state, open or not; null if the store never saw it.</summary>
    ValueTask<TaskLocation?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default);

    /// <summary>The instance of a timer, or for a definition-level timer start event the timer itself; null if gone.</summary>
    ValueTask<TimerLocation?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default);

    ValueTask<Guid?> FindJobInstanceAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>Subscriptions waiting for the event; for messages filtered by correlation key or, when that is null, by business key.</summary>
    ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default);

    /// <summary>Timers due at or before <paramref name="now"/>, earliest first.</summary>
    ValueTask<IReadOnlyList<TimerInfo>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<JobInfo>> FindDueJobsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>Stores everything atomically; throws <see cref="WorkflowConflictException"/> when an instance's version moved.</summary>
    ValueTask CommitAsync(WorkflowChangeSet changes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether an instance came from the store's cache of committed instances rather than from the database. Another
    /// node may have committed it since, so a command that failed on it is run again (see <see cref="ForgetCachedState"/>).
    /// </summary>
    bool ReadCachedState => false;

    /// <summary>Drops from the cache the instances this session read from it, so that a rerun reads the database.</summary>
    void ForgetCachedState()
    {
    }
}

public sealed record TaskLocation(Guid TaskId, Guid InstanceId, UserTaskState State);

/// <summary>An instance timer (<see cref="InstanceId"/> set) or a definition-level start timer (<see cref="StartTimer"/> set).</summary>
public sealed record TimerLocation(Guid TimerId, Guid? InstanceId, TimerRecord? StartTimer);

/// <summary>What one command changed.</summary>
public sealed class WorkflowChangeSet
{
    public List<InstanceChange> Instances { get; } = [];

    /// <summary>New history, in order.</summary>
    // Sized for a typical start command (about 17 events) so the hot path does not regrow it.
    public List<HistoryEvent> History { get; } = new(24);

    /// <summary>Tasks that left the aggregates this command (completed or cancelled), final state.</summary>
    public List<UserTaskRecord> EndedTasks { get; } = [];

    /// <summary>Timer start events of deployed definitions, added or rescheduled.</summary>
    public List<TimerRecord> SavedStartTimers { get; } = [];

    public List<Guid> RemovedStartTimerIds { get; } = [];

    public bool IsEmpty => Instances.Count == 0 && History.Count == 0 && SavedStartTimers.Count == 0 && RemovedStartTimerIds.Count == 0;
}

/// <summary>
/// An instance after the command. <see cref="ExpectedVersion"/> is the version it was loaded with (0 for a new one);
/// the store saves it as <c>ExpectedVersion + 1</c> (the engine sets that on <see cref="Instance"/> too).
/// </summary>
public sealed record InstanceChange(ProcessInstanceRecord Instance, long ExpectedVersion, bool IsNew)
{
    /// <summary>
    /// A new instance started on what was its process's latest usable version when the command read it (possibly
    /// from a cache): the store commits it only while that version is still the latest usable one, else it fails
    /// with <see cref="WorkflowConflictException.LatestVersionMoved"/>.
    /// </summary>
    public bool OnLatestVersion { get; init; }
}
