using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz.Jobs;

/// <summary>
/// Hands a due engine timer (the job's name is its id) to the engine. A trigger that woke early is moved to the due
/// time; a firing that failed in a way that may pass is tried again <see cref="QuartzTimerOptions.TimerRetryDelay"/>
/// later, at most <see cref="QuartzTimerOptions.TimerMaxAttempts"/> times, then becomes an incident on the instance
/// (the engine opens one at once for a failure that would repeat), so no timer retries forever.
/// </summary>
public sealed partial class FireTimerJob(
    IWorkflowWorkDispatcher dispatcher, QuartzWorkflowScheduler scheduler, IOptions<QuartzTimerOptions> options, TimeProvider time, ILogger<FireTimerJob> logger,
    BacklogSweeper? sweeper = null)
    : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var timerId = WorkflowQuartzKeys.IdOf(context.JobDetail.Key);
        var attempt = WorkflowQuartzKeys.AttemptOf(context.Trigger);
        if (sweeper is not null && context.ScheduledFireTimeUtc is { } scheduled && time.GetUtcNow() - scheduled > options.Value.BacklogLag)
        {
            // Late: other timers may be waiting behind this one. The sweep runs beside this job.
            _ = sweeper.WakeAsync();
        }

        using var running = QuartzWorkflowScheduler.Running(timerId);
        try
        {
            var result = await dispatcher.FireTimerAsync(timerId, cancellationToken);
            if (result is { Outcome: TimerFireOutcome.NotYetDue, Due: { } due })
            {
                await scheduler.ScheduleTimersAsync([(timerId, due, attempt)], cancellationToken);
            }
            else if (result.Outcome == TimerFireOutcome.Failed)
            {
                await RetryOrGiveUpAsync(timerId, attempt, result.Error, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RetryOrGiveUpAsync(timerId, attempt, e, cancellationToken);
        }
    }

    private async ValueTask RetryOrGiveUpAsync(Guid timerId, int attempt, Exception? error, CancellationToken cancellationToken)
    {
        var next = attempt + 1;
        if (next < options.Value.TimerMaxAttempts)
        {
            var retryAt = time.GetUtcNow() + options.Value.TimerRetryDelay;
            LogFireFailed(error, timerId, next, retryAt);
            await scheduler.ScheduleTimersAsync([(timerId, retryAt, next)], cancellationToken);
            return;
        }

        try
        {
            if (await dispatcher.OpenTimerIncidentAsync(timerId, error?.Message ?? "timer firing failed", cancellationToken))
            {
                LogIncident(error, timerId, next);
            }
            else
            {
                // A process's start timer has no instance to hold an incident: it waits for the reconciliation or a redeploy.
                LogGaveUp(error, timerId, next);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var retryAt = time.GetUtcNow() + options.Value.TimerRetryDelay;
            LogFireFailed(e, timerId, next, retryAt);
            await scheduler.ScheduleTimersAsync([(timerId, retryAt, attempt)], cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firing timer {TimerId} failed (attempt {Attempt}); trying again at {RetryAt}")]
    private partial void LogFireFailed(Exception? error, Guid timerId, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing timer {TimerId} failed {Attempts} times; it is now an incident on its instance")]
    private partial void LogIncident(Exception? error, Guid timerId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing timer {TimerId} failed {Attempts} times and has no instance to hold an incident; it is not tried again until the next reconciliation")]
    private partial void LogGaveUp(Exception? error, Guid timerId, int attempts);
}
