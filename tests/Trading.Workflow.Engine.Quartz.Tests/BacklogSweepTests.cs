using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Runtime.Support;

namespace Trading.Workflow.Engine.Quartz.Tests;

/// <summary>
/// A backlog of overdue timers (issue 15 §3: thousands due at one instant) is swept: fired through the dispatcher
/// without a Quartz firing each, every timer once, and their triggers removed in pages.
/// </summary>
public sealed class BacklogSweepTests
{
    private const int Timers = 60;

    // The sweeping tests' backlog: large enough that one Quartz thread firing timers one by one (a few ms each on a fast
    // store) is still busy when the first late job's sweep looks; with 60 it sometimes drained them first.
    private const int LargeBacklog = 300;

    private static async Task<(WorkflowTestHost Host, List<Guid> Instances, List<Guid> TimerIds)> BacklogAsync(TempSqliteFile db, EngineState state, TestClock clock, int threshold, int page = 25, int concurrency = 10, int count = Timers)
    {
        Action<IServiceCollection> useClock = services => services.AddSingleton<TimeProvider>(clock);
        var instances = new List<Guid>();
        var timers = new List<Guid>();
        await using (var first = await WorkflowTestHost.StartAsync(state, db.Path, o => o.ReconcileOnStart = false, useClock))
        {
            await first.DeployAsync("timer.bpmn");
            for (var i = 0; i < count; i++)
            {
                var started = await first.Engine.StartAsync("timerProcess", variables: new Dictionary<string, object?> { ["wait"] = "PT2S" });
                instances.Add(started.Id);
                timers.Add(Assert.Single(await first.Engine.GetTimersAsync(started.Id)).Id);
            }

            await first.StopAsync();
        }

        // Every timer falls due while nothing runs: a backlog for the next start.
        clock.Advance(TimeSpan.FromSeconds(5));
        var second = await WorkflowTestHost.StartAsync(state, db.Path, o =>
        {
            o.ReconcileOnStart = false;
            o.BacklogLag = TimeSpan.FromMilliseconds(500);
            o.BacklogSweepThreshold = threshold;
            o.BacklogSweepPage = page;
            o.MaxConcurrency = concurrency;
            o.MaxBatchSize = Math.Min(o.MaxBatchSize, concurrency);
        }, useClock);
        return (second, instances, timers);
    }

    private static async Task AllFiredOnceAsync(WorkflowTestHost host, List<Guid> instances, List<Guid> timers)
    {
        await Eventually.HoldsAsync(
            async () =>
            {
                foreach (var id in instances)
                {
                    if ((await host.Engine.GetInstanceAsync(id))!.State != InstanceState.Completed)
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(60),
            "not every overdue timer fired");
        foreach (var id in instances)
        {
            Assert.Single(await host.Engine.GetHistoryAsync(id), h => h.Type == HistoryEventType.TimerFired);
        }

        var quartz = await host.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();
        await Eventually.HoldsAsync(
            async () =>
            {
                foreach (var id in timers)
                {
                    if (await quartz.Exists(WorkflowQuartzKeys.TimerTrigger(id)))
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(10),
            "a trigger of a fired timer is still scheduled");
    }

    [Fact]
    public async Task OverdueBacklog_IsSweptPastQuartz_EveryTimerFiresOnceAndItsTriggerGoes()
    {
        using var db = new TempSqliteFile();
        var state = new EngineState();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var (host, instances, timers) = await BacklogAsync(db, state, clock, threshold: 10, concurrency: 1, count: LargeBacklog);
        await using var _ = host;

        await AllFiredOnceAsync(host, instances, timers);

        var swept = host.Services.GetRequiredService<BacklogSweeper>().Fired;
        Assert.True(swept > 0, "the sweep fired nothing");
        // It stops once fewer than the threshold are overdue: Quartz fires the rest.
        Assert.True(swept <= LargeBacklog, $"swept {swept} of {LargeBacklog}");
        Assert.Contains(host.Logs.Entries, e => e.Message.StartsWith("Backlog sweep:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OverdueBacklog_WithAPageSmallerThanTheThreshold_IsSweptToo()
    {
        using var db = new TempSqliteFile();
        var state = new EngineState();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        // A threshold well below the backlog, so Quartz's own firings cannot drain it before the first late job wakes the sweep.
        var (host, instances, timers) = await BacklogAsync(db, state, clock, threshold: 10, page: 4, concurrency: 1, count: LargeBacklog);
        await using var _ = host;

        await AllFiredOnceAsync(host, instances, timers);

        Assert.True(host.Services.GetRequiredService<BacklogSweeper>().Fired > 0, "the sweep fired nothing");
    }

    [Fact]
    public async Task SweepingOff_TheSameBacklogFiresThroughQuartzAlone()
    {
        using var db = new TempSqliteFile();
        var state = new EngineState();
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var (host, instances, timers) = await BacklogAsync(db, state, clock, threshold: 0);
        await using var _ = host;

        await AllFiredOnceAsync(host, instances, timers);

        Assert.Equal(0, host.Services.GetRequiredService<BacklogSweeper>().Fired);
    }
}
