using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz;

public enum TimerFireOutcome
{
    /// <summary>The engine fired the timer.</summary>
    Fired,

    /// <summary>The timer is gone (fired already, or withdrawn: the task finished first, the instance ended or moved).</summary>
    Withdrawn,

    /// <summary>The timer is due later than the trigger that woke it (a stale or recovered trigger); it is rescheduled, not fired.</summary>
    NotYetDue,

    /// <summary>The instance is suspended; resuming it schedules its timers again.</summary>
    Suspended,
}

public sealed record TimerFireResult(TimerFireOutcome Outcome, DateTimeOffset? Due = null);

/// <summary>
/// What the Quartz jobs hand their work to. The default passes it to <see cref="IWorkflowEngine"/>; a host can replace
/// it (the cluster test counts firings with one) without touching the scheduling path.
/// </summary>
public interface IWorkflowWorkDispatcher
{
    ValueTask<TimerFireResult> FireTimerAsync(Guid timerId, CancellationToken cancellationToken);

    /// <summary>Runs the async job; null when the job is gone or cannot run now (suspended instance, no retries left).</summary>
    ValueTask<JobExecutionResult?> ExecuteJobAsync(Guid jobId, CancellationToken cancellationToken);
}
