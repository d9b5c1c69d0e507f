using Microsoft.Extensions.Logging;
using Quartz;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz;

public sealed record ReconcileResult(int TimersScheduled, int JobsScheduled, int TriggersRemoved);

/// <summary>
/// Makes Quartz's triggers match the engine's timers and jobs, which are the truth: a timer or job without a trigger
/// (the process died between the engine's commit and the schedule call) gets one, a trigger without a timer or job
/// (the unschedule call was lost) is removed, and a timer trigger later than its timer is moved forward.
/// Triggers are read before the engine's state, so a timer committed meanwhile is never taken for an orphan.
/// </summary>
public sealed partial class WorkflowScheduleReconciler(IWorkflowEngine engine, QuartzWorkflowScheduler scheduler, ILogger<WorkflowScheduleReconciler> logger)
{
    public async ValueTask<ReconcileResult> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var quartz = await scheduler.GetSchedulerAsync(cancellationToken);
        var timerTriggers = await ReadTriggersAsync(quartz, WorkflowQuartzKeys.TimerGroup, cancellationToken);
        var jobTriggers = await ReadTriggersAsync(quartz, WorkflowQuartzKeys.JobGroup, cancellationToken);

        var timers = await engine.GetTimersAsync(null, cancellationToken);
        var jobs = await engine.GetJobsAsync(null, cancellationToken);

        var timersToSchedule = new List<(Guid, DateTimeOffset)>();
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var timer in timers)
        {
            var name = timer.Id.ToString("D");
            live.Add(name);
            if (!timerTriggers.TryGetValue(name, out var next) || next is null || next > timer.Due + TimeSpan.FromSeconds(1))
            {
                timersToSchedule.Add((timer.Id, timer.Due));
            }
        }

        var orphans = timerTriggers.Keys.Where(name => !live.Contains(name)).Select(name => new TriggerKey(name, WorkflowQuartzKeys.TimerGroup)).ToList();

        var jobsToSchedule = new List<(Guid, DateTimeOffset, int)>();
        live.Clear();
        foreach (var job in jobs)
        {
            if (job.RetriesLeft <= 0)
            {
                // Waits for an administrator's retry (incident), which schedules it again.
                continue;
            }

            var name = job.Id.ToString("D");
            live.Add(name);
            if (!jobTriggers.ContainsKey(name))
            {
                jobsToSchedule.Add((job.Id, job.Due, 0));
            }
        }

        orphans.AddRange(jobTriggers.Keys.Where(name => !live.Contains(name)).Select(name => new TriggerKey(name, WorkflowQuartzKeys.JobGroup)));

        await scheduler.ScheduleTimersAsync(timersToSchedule, cancellationToken);
        await scheduler.ScheduleJobsAsync(jobsToSchedule, cancellationToken);
        await scheduler.UnscheduleAsync(orphans, cancellationToken);
        var result = new ReconcileResult(timersToSchedule.Count, jobsToSchedule.Count, orphans.Count);
        LogReconciled(timers.Count, jobs.Count, result.TimersScheduled, result.JobsScheduled, result.TriggersRemoved);
        return result;
    }

    private static async ValueTask<Dictionary<string, DateTimeOffset?>> ReadTriggersAsync(IScheduler quartz, string group, CancellationToken cancellationToken)
    {
        var keys = await quartz.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(group), cancellationToken);
        var result = new Dictionary<string, DateTimeOffset?>(keys.Count, StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return result;
        }

        var triggers = await quartz.GetTriggers(keys.ToList(), cancellationToken);
        foreach (var trigger in triggers)
        {
            result[trigger.Key.Name] = trigger.NextFireTimeUtc;
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled Quartz with the engine: {Timers} timers, {Jobs} jobs; scheduled {TimersScheduled} timers and {JobsScheduled} jobs, removed {Removed} orphan triggers")]
    private partial void LogReconciled(int timers, int jobs, int timersScheduled, int jobsScheduled, int removed);
}
