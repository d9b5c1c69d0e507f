using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using Trading.Workflow.Engine.Quartz.Jobs;

namespace Trading.Workflow.Engine.Quartz;

/// <summary>
/// At start: reconciles Quartz with the engine (nothing lost by a crash between a commit and its schedule call) and
/// schedules the periodic system jobs (reconciliation, due-date reminders), or removes them when switched off.
/// </summary>
public sealed class WorkflowQuartzStartup(
    QuartzWorkflowScheduler scheduler,
    WorkflowScheduleReconciler reconciler,
    IOptions<QuartzTimerOptions> options,
    IOptions<TaskReminderOptions> reminders,
    TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.ReconcileOnStart)
        {
            await reconciler.ReconcileAsync(cancellationToken);
        }

        var quartz = await scheduler.GetSchedulerAsync(cancellationToken);
        var now = time.GetUtcNow();
        await SchedulePeriodicAsync<ReconcileSchedulesJob>(quartz, WorkflowQuartzKeys.ReconcileJob, WorkflowQuartzKeys.ReconcileTrigger, settings.ReconcileInterval, now + settings.ReconcileInterval, cancellationToken);
        var reminder = reminders.Value;
        await SchedulePeriodicAsync<TaskReminderJob>(quartz, WorkflowQuartzKeys.ReminderJob, WorkflowQuartzKeys.ReminderTrigger, reminder.Enabled ? reminder.ScanInterval : TimeSpan.Zero, now, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async ValueTask SchedulePeriodicAsync<TJob>(IScheduler quartz, JobKey jobKey, TriggerKey triggerKey, TimeSpan interval, DateTimeOffset start, CancellationToken cancellationToken)
        where TJob : IJob
    {
        if (interval <= TimeSpan.Zero)
        {
            await quartz.UnscheduleJob(triggerKey, cancellationToken);
            return;
        }

        var job = JobBuilder.Create<TJob>().WithIdentity(jobKey).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(triggerKey)
            .ForJob(jobKey)
            .StartAt(start)
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        await quartz.ScheduleJob(job, trigger, ScheduleJobOptions.Replacing, cancellationToken);
    }
}
