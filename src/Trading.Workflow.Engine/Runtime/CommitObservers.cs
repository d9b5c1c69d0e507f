using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// What one engine command committed: its change set (instances, history, ended tasks) and the timers and async
/// jobs it created, moved or removed, for a scheduler. Observers must not change it.
/// </summary>
public sealed class WorkflowCommit(
    WorkflowChangeSet changes,
    IReadOnlyList<TimerInfo> scheduledTimers,
    IReadOnlyList<Guid> removedTimers,
    IReadOnlyList<JobInfo> scheduledJobs,
    IReadOnlyList<Guid> removedJobs)
{
    public WorkflowChangeSet Changes { get; } = changes;

    /// <summary>Timers created or rescheduled (instance timers and timer start events of deployed definitions).</summary>
    public IReadOnlyList<TimerInfo> ScheduledTimers { get; } = scheduledTimers;

    public IReadOnlyList<Guid> RemovedTimers { get; } = removedTimers;

    /// <summary>Async jobs created or rescheduled that may still run (retries left, instance not suspended).</summary>
    public IReadOnlyList<JobInfo> ScheduledJobs { get; } = scheduledJobs;

    public IReadOnlyList<Guid> RemovedJobs { get; } = removedJobs;
}

/// <summary>
/// Told after each engine command committed, never for a failed one: the one seam through which the rest of the
/// platform learns of commits (the Quartz scheduler of timers and jobs, the task notifier of inboxes). Called on the
/// committing flow, in registration order; an observer must only schedule slow work, never block. An exception is
/// logged and does not fail the command, which is committed already. Register with
/// <c>AddWorkflowCommitObserver</c>.
/// </summary>
public interface IWorkflowCommitObserver
{
    ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken = default);
}
