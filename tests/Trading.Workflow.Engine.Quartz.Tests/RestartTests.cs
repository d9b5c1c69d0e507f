using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Quartz.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Timer_WhenItFellDueWhileThePlatformWasDown_FiresRightAfterStartExactlyOnce()
    {
        using var db = new TempSqliteFile();
        var state = new EngineState();
        Guid instanceId;

        // Reconciliation off: the timer must come back from Quartz's own SQLite tables, not be rebuilt from the engine.
        await using (var first = await WorkflowTestHost.StartAsync(state, db.Path, o => o.ReconcileOnStart = false))
        {
            await first.DeployAsync("timer.bpmn");
            var started = await first.Engine.StartAsync("timerProcess", variables: new Dictionary<string, object?> { ["wait"] = "PT2S" });
            instanceId = started.Id;
            await first.StopAsync();
        }

        // Past the due time and past the misfire threshold (1 s) while nothing runs.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(InstanceState.Active, (await state.Store.GetInstanceAsync(instanceId))!.State);

        var restartedAt = DateTimeOffset.UtcNow;
        await using var second = await WorkflowTestHost.StartAsync(state, db.Path, o => o.ReconcileOnStart = false);
        await Eventually.HoldsAsync(
            async () => (await second.Engine.GetInstanceAsync(instanceId))!.State == InstanceState.Completed,
            TimeSpan.FromSeconds(15),
            "the timer did not fire after the restart");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var fired = (await second.Engine.GetHistoryAsync(instanceId)).Where(h => h.Type == HistoryEventType.TimerFired).ToList();
        var firing = Assert.Single(fired);
        Assert.InRange(firing.Timestamp - restartedAt, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }
}
