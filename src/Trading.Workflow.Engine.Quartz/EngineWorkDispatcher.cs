using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Quartz;

/// <summary>
/// Hands due work to the engine. Before firing it reads the timer's due time from the store: a trigger that woke too
/// early (recovered after a crash between the engine's commit and the reschedule of a cycle, or left stale by a race)
/// is moved to the real due time instead of firing an occurrence twice.
/// </summary>
public sealed partial class EngineWorkDispatcher(IWorkflowEngine engine, IWorkflowStore store, TimeProvider time, ILogger<EngineWorkDispatcher> logger)
    : IWorkflowWorkDispatcher
{
    /// <summary>Clock skew between nodes tolerated before a timer counts as not yet due.</summary>
    private static readonly TimeSpan _tolerance = TimeSpan.FromSeconds(1);

    public async ValueTask<TimerFireResult> FireTimerAsync(Guid timerId, CancellationToken cancellationToken)
    {
        var due = await FindDueAsync(timerId, cancellationToken);
        if (due is null)
        {
            LogTimerGone(timerId);
            return new TimerFireResult(TimerFireOutcome.Withdrawn);
        }

        if (due.Value > time.GetUtcNow() + _tolerance)
        {
            LogTimerNotDue(timerId, due.Value);
            return new TimerFireResult(TimerFireOutcome.NotYetDue, due);
        }

        try
        {
            await engine.FireTimerAsync(timerId, cancellationToken);
            return new TimerFireResult(TimerFireOutcome.Fired, due);
        }
        catch (Exception e) when (e is WorkflowNotFoundException or WorkflowConflictException)
        {
            // Another node or command got there first: the effect already happened once.
            LogTimerGone(timerId);
            return new TimerFireResult(TimerFireOutcome.Withdrawn);
        }
        catch (InstanceSuspendedException)
        {
            LogTimerSuspended(timerId);
            return new TimerFireResult(TimerFireOutcome.Suspended);
        }
    }

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

    private async ValueTask<DateTimeOffset?> FindDueAsync(Guid timerId, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        var location = await session.FindTimerAsync(timerId, cancellationToken);
        if (location is null)
        {
            return null;
        }

        if (location.StartTimer is { } startTimer)
        {
            return startTimer.Due;
        }

        var instance = await session.LoadInstanceAsync(location.InstanceId!.Value, cancellationToken);
        return instance?.Timers.Find(t => t.Id == timerId)?.Due;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {TimerId} is gone (fired or withdrawn); nothing to fire")]
    private partial void LogTimerGone(Guid timerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {TimerId} is due at {Due}; its trigger woke early and is moved")]
    private partial void LogTimerNotDue(Guid timerId, DateTimeOffset due);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {TimerId} belongs to a suspended instance; resuming it schedules the timer again")]
    private partial void LogTimerSuspended(Guid timerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Async job {JobId} cannot run now: {Reason}")]
    private partial void LogJobNotRunnable(Guid jobId, string reason);
}
