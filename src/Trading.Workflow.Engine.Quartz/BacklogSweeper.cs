using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Quartz;

/// <summary>
/// Fires a backlog of overdue timers (thousands due at one instant: a statutory deadline shared by many projects, a
/// node back after an outage) without a Quartz firing for each. On a cluster every Quartz firing is a few locked
/// transactions on the shared lock row, so a burst drains at the speed of that lock; the sweep fires the engine's
/// due timers directly through the dispatcher (each firing is still one engine command: exactly once, since the
/// command removes the timer under the instance's version check) and removes their triggers in one Quartz
/// transaction per page. Woken by a timer job whose trigger fired late; starts only when at least
/// <see cref="QuartzTimerOptions.BacklogSweepThreshold"/> timers are overdue (then goes on down to a tenth of that), so
/// single timers keep their Quartz path.
/// Nodes sweeping the same backlog take its timers in their own random order, so they seldom meet on one.
/// </summary>
public sealed partial class BacklogSweeper(
    IWorkflowStore store, IWorkflowWorkDispatcher dispatcher, QuartzWorkflowScheduler scheduler, IOptions<QuartzTimerOptions> options, TimeProvider time,
    ILogger<BacklogSweeper> logger)
{
    private int _running;
    private long _fired;

    /// <summary>Timers this node fired by sweeping.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    /// <summary>Starts a sweep unless one runs or sweeping is off; returns the sweep's task (completed when none starts).</summary>
    public Task WakeAsync()
    {
        if (options.Value.BacklogSweepThreshold <= 0 || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
        {
            return Task.CompletedTask;
        }

        return Task.Run(async () =>
        {
            try
            {
                await SweepAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The timers keep their triggers: Quartz fires what the sweep did not.
                LogSweepFailed(e);
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        });
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;

        // A sweep starts at the threshold and, once started, goes on down to a tenth of it: the last pages of a
        // burst do not wait for Quartz's one-by-one firing.
        var needed = settings.BacklogSweepThreshold;
        while (true)
        {
            IReadOnlyList<TimerInfo> due;
            await using (var session = await store.OpenSessionAsync(cancellationToken))
            {
                // At least the threshold's worth, so a page smaller than the threshold can still start a sweep.
                due = await session.FindDueTimersAsync(time.GetUtcNow(), Math.Max(settings.BacklogSweepPage, needed), cancellationToken);
            }

            if (due.Count < needed)
            {
                return;
            }

            needed = Math.Max(1, settings.BacklogSweepThreshold / 10);

            var done = new ConcurrentBag<Guid>();
            using (var removed = QuartzWorkflowScheduler.Sweeping())
            {
                await Parallel.ForEachAsync(
                    due.OrderBy(_ => Random.Shared.Next()),
                    new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.MaxConcurrency), CancellationToken = cancellationToken },
                    async (timer, token) =>
                    {
                        var result = await dispatcher.FireTimerAsync(timer.Id, token);
                        switch (result.Outcome)
                        {
                            case TimerFireOutcome.Fired:
                                Interlocked.Increment(ref _fired);
                                done.Add(timer.Id);
                                break;
                            case TimerFireOutcome.Withdrawn or TimerFireOutcome.IncidentOpened:
                                done.Add(timer.Id);
                                break;
                            default:
                                // Not yet due, suspended or failed for a reason that may pass: its trigger handles it.
                                break;
                        }
                    });

                // The swept timers' triggers, and any other trigger the fired commands withdrew, in one transaction.
                var triggers = done.Concat(removed.Timers).Distinct().Select(WorkflowQuartzKeys.TimerTrigger)
                    .Concat(removed.Jobs.Distinct().Select(WorkflowQuartzKeys.AsyncJobTrigger));
                await scheduler.UnscheduleAsync(triggers, cancellationToken);
            }

            LogSwept(due.Count, done.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backlog sweep: {Due} overdue timers taken, {Done} fired or gone")]
    private partial void LogSwept(int due, int done);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backlog sweep failed; Quartz fires the remaining timers")]
    private partial void LogSweepFailed(Exception error);
}
