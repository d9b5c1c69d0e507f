using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Trading.Workflow.Engine.Quartz.Jobs;

/// <summary>Hands a due engine timer (the job's name is its id) to the engine. Nothing else happens here.</summary>
public sealed partial class FireTimerJob(IWorkflowWorkDispatcher dispatcher, QuartzWorkflowScheduler scheduler, IOptions<QuartzTimerOptions> options, TimeProvider time, ILogger<FireTimerJob> logger)
    : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var timerId = WorkflowQuartzKeys.IdOf(context.JobDetail.Key);
        using var running = QuartzWorkflowScheduler.Running(timerId);
        try
        {
            var result = await dispatcher.FireTimerAsync(timerId, cancellationToken);
            if (result is { Outcome: TimerFireOutcome.NotYetDue, Due: { } due })
            {
                await scheduler.ScheduleTimersAsync([(timerId, due)], cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var retryAt = time.GetUtcNow() + options.Value.TimerRetryDelay;
            LogFireFailed(e, timerId, retryAt);
            await scheduler.ScheduleTimersAsync([(timerId, retryAt)], cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Firing timer {TimerId} failed; trying again at {RetryAt}")]
    private partial void LogFireFailed(Exception error, Guid timerId, DateTimeOffset retryAt);
}
