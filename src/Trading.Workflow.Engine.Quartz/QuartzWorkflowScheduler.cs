using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Trading.Workflow.Engine.Quartz.Jobs;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz;

/// <summary>
/// The engine's timers and async jobs on Quartz, told of them as a commit observer: every timer and async job
/// becomes a persistent Quartz job and trigger keyed by its id, fired by <see cref="FireTimerJob"/> or
/// <see cref="ExecuteAsyncJob"/>. Called after the engine's commit; a failure here is logged, never thrown into the
/// user's command, and repaired by <see cref="WorkflowScheduleReconciler"/>.
/// </summary>
public sealed partial class QuartzWorkflowScheduler(ISchedulerFactory schedulerFactory, IOptions<QuartzTimerOptions> options, ILogger<QuartzWorkflowScheduler> logger)
    : IWorkflowCommitObserver
{
    // The timer or job the current Quartz job is handing to the engine. Its trigger completes and is deleted by
    // Quartz itself, so the engine's "removed" notice for it needs no unschedule call (one locked transaction less
    // per firing on a cluster).
    private static readonly AsyncLocal<Guid?> _current = new();

    // A backlog sweep in progress on this async flow: the triggers its commands withdraw are collected and removed
    // together at the end of its page instead of one locked transaction each.
    private static readonly AsyncLocal<SweepRemovals?> _sweep = new();

    private IScheduler? _scheduler;

    public QuartzTimerOptions Options { get; } = options.Value;

    public async ValueTask<IScheduler> GetSchedulerAsync(CancellationToken cancellationToken = default) =>
        _scheduler ??= await schedulerFactory.GetScheduler(cancellationToken);

    public async ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken = default)
    {
        if (commit.ScheduledTimers.Count > 0 || commit.RemovedTimers.Count > 0)
        {
            await TimersChangedAsync(commit.ScheduledTimers, commit.RemovedTimers, cancellationToken);
        }

        if (commit.ScheduledJobs.Count > 0 || commit.RemovedJobs.Count > 0)
        {
            await JobsChangedAsync(commit.ScheduledJobs, commit.RemovedJobs, cancellationToken);
        }
    }

    public async ValueTask TimersChangedAsync(IReadOnlyList<TimerInfo> scheduled, IReadOnlyList<Guid> removed, CancellationToken cancellationToken = default)
    {
        try
        {
            await ScheduleTimersAsync(scheduled.Select(t => (t.Id, t.Due)), cancellationToken);
            if (_sweep.Value is { } sweep)
            {
                foreach (var id in removed)
                {
                    sweep.Timers.Add(id);
                }

                return;
            }

            await UnscheduleAsync(removed.Where(id => id != _current.Value).Select(WorkflowQuartzKeys.TimerTrigger), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogScheduleFailed(e, "timers", scheduled.Count, removed.Count);
        }
    }

    public async ValueTask JobsChangedAsync(IReadOnlyList<JobInfo> scheduled, IReadOnlyList<Guid> removed, CancellationToken cancellationToken = default)
    {
        try
        {
            await ScheduleJobsAsync(scheduled.Select(j => (j.Id, j.Due, 0)), cancellationToken);
            if (_sweep.Value is { } sweep)
            {
                foreach (var id in removed)
                {
                    sweep.Jobs.Add(id);
                }

                return;
            }

            await UnscheduleAsync(removed.Where(id => id != _current.Value).Select(WorkflowQuartzKeys.AsyncJobTrigger), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogScheduleFailed(e, "jobs", scheduled.Count, removed.Count);
        }
    }

    /// <summary>Collects, on this async flow, the timers and jobs whose triggers the commands withdraw (see <see cref="_sweep"/>).</summary>
    internal static SweepRemovals Sweeping()
    {
        var removals = new SweepRemovals();
        _sweep.Value = removals;
        return removals;
    }

    internal sealed class SweepRemovals : IDisposable
    {
        public System.Collections.Concurrent.ConcurrentBag<Guid> Timers { get; } = [];

        public System.Collections.Concurrent.ConcurrentBag<Guid> Jobs { get; } = [];

        public void Dispose() => _sweep.Value = null;
    }

    /// <summary>Marks the timer or job whose Quartz job is running on this async flow (see <see cref="_current"/>).</summary>
    internal static IDisposable Running(Guid id)
    {
        _current.Value = id;
        return new Reset();
    }

    /// <summary>Schedules (or moves) the triggers of these timers; one store transaction for the batch.</summary>
    public ValueTask ScheduleTimersAsync(IEnumerable<(Guid Id, DateTimeOffset Due)> timers, CancellationToken cancellationToken = default) =>
        ScheduleTimersAsync(timers.Select(t => (t.Id, t.Due, 0)), cancellationToken);

    /// <summary>Schedules (or moves) the triggers of these timers; <c>Attempt</c> counts retries of a failing firing.</summary>
    public async ValueTask ScheduleTimersAsync(IEnumerable<(Guid Id, DateTimeOffset Due, int Attempt)> timers, CancellationToken cancellationToken = default)
    {
        var batch = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var (id, due, attempt) in timers)
        {
            var job = JobBuilder.Create<FireTimerJob>()
                .WithIdentity(WorkflowQuartzKeys.TimerJob(id))
                .RequestRecovery()
                .Build();
            batch[job] = [Trigger(WorkflowQuartzKeys.TimerTrigger(id), job.Key, due, attempt)];
        }

        await StoreAsync(batch, cancellationToken);
    }

    /// <summary>Schedules (or moves) the triggers of these async jobs; <c>Attempt</c> counts retries for the backoff.</summary>
    public async ValueTask ScheduleJobsAsync(IEnumerable<(Guid Id, DateTimeOffset Due, int Attempt)> jobs, CancellationToken cancellationToken = default)
    {
        var batch = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>();
        foreach (var (id, due, attempt) in jobs)
        {
            var job = JobBuilder.Create<ExecuteAsyncJob>()
                .WithIdentity(WorkflowQuartzKeys.AsyncJob(id))
                .RequestRecovery()
                .Build();
            batch[job] = [Trigger(WorkflowQuartzKeys.AsyncJobTrigger(id), job.Key, due, attempt)];
        }

        await StoreAsync(batch, cancellationToken);
    }

    public async ValueTask UnscheduleAsync(IEnumerable<TriggerKey> keys, CancellationToken cancellationToken = default)
    {
        var list = keys.ToList();
        if (list.Count == 0)
        {
            return;
        }

        // Removing the only trigger of a non-durable job removes the job too.
        var scheduler = await GetSchedulerAsync(cancellationToken);
        await scheduler.UnscheduleJobs(list, cancellationToken);
    }

    private async ValueTask StoreAsync(Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var scheduler = await GetSchedulerAsync(cancellationToken);
        await scheduler.ScheduleJobs(batch, ScheduleJobOptions.Replacing, cancellationToken);
    }

    private static ITrigger Trigger(TriggerKey key, JobKey job, DateTimeOffset due, int? attempt)
    {
        var builder = TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(job)
            .StartAt(due)
            // A timer that fell due while every node was down fires as soon as one starts.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow));
        if (attempt is > 0)
        {
            builder = builder.UsingJobData(WorkflowQuartzKeys.AttemptKey, attempt.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.Build();
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose() => _current.Value = null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling engine {Kind} on Quartz failed ({Scheduled} scheduled, {Removed} removed); the reconciliation repairs it")]
    private partial void LogScheduleFailed(Exception error, string kind, int scheduled, int removed);
}
