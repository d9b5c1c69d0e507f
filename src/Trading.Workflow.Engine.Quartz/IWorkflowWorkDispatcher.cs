using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz;

/// <summary>
/// What the Quartz jobs hand their work to. The default passes it to <see cref="IWorkflowEngine"/>; a host can replace
/// it (the cluster test counts firings with one) without touching the scheduling path.
/// </summary>
public interface IWorkflowWorkDispatcher
{
    /// <summary>Fires the timer if it is due (see <see cref="IWorkflowEngine.FireTimerIfDueAsync"/>); never throws for the timer's own failures.</summary>
    ValueTask<TimerFireResult> FireTimerAsync(Guid timerId, CancellationToken cancellationToken);

    /// <summary>Gives up on a timer that kept failing: an incident on its instance (see <see cref="IWorkflowEngine.OpenTimerIncidentAsync"/>).</summary>
    ValueTask<bool> OpenTimerIncidentAsync(Guid timerId, string message, CancellationToken cancellationToken);

    /// <summary>Runs the async job; null when the job is gone or cannot run now (suspended instance, no retries left).</summary>
    ValueTask<JobExecutionResult?> ExecuteJobAsync(Guid jobId, CancellationToken cancellationToken);
}
