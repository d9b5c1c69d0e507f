using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Runtime.Support;

namespace Trading.Workflow.Engine.Quartz.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Timer_WhenItFellDueWhileThePlatformWasDown_FiresRightAfterStartExactlyOnce()
    {
        using var db = new TempSqliteFile();
        var state = new EngineState();
        // Engine and Quartz on one test clock: the downtime is a clock move, not a wait.
        var clock = new TestClock(DateTimeOffset.UtcNow);
        Action<IServiceCollection> useClock = services => services.AddSingleton<TimeProvider>(clock);
        Guid instanceId;
        Guid timerId;

        // Reconciliation off: the timer must come back from Quartz's own SQLite tables, not be rebuilt from the engine.
        await using (var first = await WorkflowTestHost.StartAsync(state, db.Path, o => o.ReconcileOnStart = false, useClock))
        {
            await first.DeployAsync("timer.bpmn");
            var started = await first.Engine.StartAsync("timerProcess", variables: new Dictionary<string, object?> { ["wait"] = "PT2S" });
            instanceId = started.Id;
            timerId = Assert.Single(await first.Engine.GetTimersAsync(instanceId)).Id;
            await first.StopAsync();
        }

        // Past the due time and past the misfire threshold (1 s) while nothing runs.
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(InstanceState.Active, (await state.Store.GetInstanceAsync(instanceId))!.State);

        var restartedAt = clock.GetUtcNow();
        await using var second = await WorkflowTestHost.StartAsync(state, db.Path, o => o.ReconcileOnStart = false, useClock);
        await Eventually.HoldsAsync(
            async () => (await second.Engine.GetInstanceAsync(instanceId))!.State == InstanceState.Completed,
            TimeSpan.FromSeconds(15),
            "the timer did not fire after the restart");

        var fired = (await second.Engine.GetHistoryAsync(instanceId)).Where(h => h.Type == HistoryEventType.TimerFired).ToList();
        var firing = Assert.Single(fired);
        Assert.Equal(restartedAt, firing.Timestamp);
        // Exactly once: Quartz holds nothing more for this timer that could fire it again.
        var quartz = await second.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();
        await Eventually.HoldsAsync(
            async () => !await quartz.Exists(WorkflowQuartzKeys.TimerTrigger(timerId)),
            TimeSpan.FromSeconds(5),
            "a trigger for the fired timer is still scheduled");
    }
}
