using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz.Jobs;

/// <summary>
/// Hands an async engine job (the job's name is its id) to the engine. The engine decides whether a failure is retried
/// (<see cref="JobExecutionOutcome.FailedWillRetry"/>) or opens an incident; a retry is rescheduled here with the
/// exponential backoff of <see cref="QuartzTimerOptions"/>.
/// </summary>
public sealed partial class ExecuteAsyncJob(IWorkflowWorkDispatcher dispatcher, QuartzWorkflowScheduler scheduler, IOptions<QuartzTimerOptions> options, TimeProvider time, ILogger<ExecuteAsyncJob> logger)
    : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var jobId = WorkflowQuartzKeys.IdOf(context.JobDetail.Key);
        var attempt = WorkflowQuartzKeys.AttemptOf(context.Trigger);
        using var running = QuartzWorkflowScheduler.Running(jobId);
        try
        {
            var result = await dispatcher.ExecuteJobAsync(jobId, cancellationToken);
            if (result?.Outcome == JobExecutionOutcome.FailedWillRetry)
            {
                var next = attempt + 1;
                var retryAt = time.GetUtcNow() + options.Value.RetryDelay(next);
                LogRetry(jobId, next, retryAt, result.Error);
                await scheduler.ScheduleJobsAsync([(jobId, retryAt, next)], cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var retryAt = time.GetUtcNow() + options.Value.TimerRetryDelay;
            LogExecuteFailed(e, jobId, retryAt);
            await scheduler.ScheduleJobsAsync([(jobId, retryAt, attempt)], cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Async job {JobId} failed; retry {Attempt} at {RetryAt}: {Error}")]
    private partial void LogRetry(Guid jobId, int attempt, DateTimeOffset retryAt, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handing async job {JobId} to the engine failed; trying again at {RetryAt}")]
    private partial void LogExecuteFailed(Exception error, Guid jobId, DateTimeOffset retryAt);
}
