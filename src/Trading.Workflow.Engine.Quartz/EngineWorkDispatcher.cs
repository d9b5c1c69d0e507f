using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz;

/// <summary>
/// Hands due work to the engine. A timer is fired by <see cref="IWorkflowEngine.FireTimerIfDueAsync"/>: one command that
/// loads the instance once, checks the timer is due (a trigger that woke too early, recovered after a crash between the
/// engine's commit and the reschedule of a cycle or left stale by a race, is moved to the real due time instead of
/// firing an occurrence twice) and fires it.
/// </summary>
public sealed partial class EngineWorkDispatcher(IWorkflowEngine engine, ILogger<EngineWorkDispatcher> logger)
    : IWorkflowWorkDispatcher
{
    /// <summary>Clock skew between nodes tolerated before a timer counts as not yet due.</summary>
    private static readonly TimeSpan _tolerance = TimeSpan.FromSeconds(1);

    public async ValueTask<TimerFireResult> FireTimerAsync(Guid timerId, CancellationToken cancellationToken)
    {
        var result = await engine.FireTimerIfDueAsync(timerId, _tolerance, cancellationToken);
        switch (result.Outcome)
        {
            case TimerFireOutcome.Withdrawn:
                LogTimerGone(timerId);
                break;
            case TimerFireOutcome.NotYetDue:
                LogTimerNotDue(timerId, result.Due!.Value);
                break;
            case TimerFireOutcome.Suspended:
                LogTimerSuspended(timerId);
                break;
            case TimerFireOutcome.IncidentOpened:
                LogTimerIncident(timerId, result.Error?.Message);
                break;
        }

        return result;
    }

    public ValueTask<bool> OpenTimerIncidentAsync(Guid timerId, string message, CancellationToken cancellationToken) =>
        engine.OpenTimerIncidentAsync(timerId, message, cancellationToken);

    public async ValueTask<JobExecutionResult?> ExecuteJobAsync(Guid jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.ExecuteJobAsync(jobId, cancellationToken);
        }
        catch (Exception e) when (e is WorkflowNotFoundException or WorkflowConflictException or InstanceSuspendedException or WorkflowStateException)
        {
            LogJobNotRunnable(jobId, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {TimerId} is gone (fired or withdrawn); nothing to fire")]
    private partial void LogTimerGone(Guid timerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {TimerId} is due at {Due}; its trigger woke early and is moved")]
    private partial void LogTimerNotDue(Guid timerId, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {TimerId} belongs to a suspended instance; resuming it schedules the timer again")]
    private partial void LogTimerSuspended(Guid timerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {TimerId} failed for good and is now an incident on its instance: {Reason}")]
    private partial void LogTimerIncident(Guid timerId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Async job {JobId} cannot run now: {Reason}")]
    private partial void LogJobNotRunnable(Guid jobId, string reason);
}
