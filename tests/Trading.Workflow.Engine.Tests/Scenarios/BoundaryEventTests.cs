using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class BoundaryEventTests
{
    private static Task<EngineTestHost> StartAsync() => EngineTestHost.ScenarioAsync("boundary-events");

    [Fact]
    public async Task InterruptingTimer_Fires_CancelsTaskAndTakesBoundaryPath()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundaryTimer");

        await h.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal(["escalated"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingTimer_TaskCompletedFirst_TimerIsRemoved()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundaryTimer");

        await h.CompleteAsync(instance.Id, "work");

        Assert.Empty(await h.TimersAsync(instance.Id));
        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingTimerCycle_R3PT1H_CreatesThreeTokensAndKeepsTheTask()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundaryTimerCycle");

        for (var hour = 0; hour < 4; hour++)
        {
            await h.AdvanceAsync(TimeSpan.FromHours(1));
        }

        Assert.Equal(["reminder", "reminder", "reminder", "work"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingTimerCycle_TaskCompletedAfterFirstFire_StopsFurtherRepetitions()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundaryTimerCycle");
        await h.AdvanceAsync(TimeSpan.FromHours(1));

        await h.CompleteAsync(instance.Id, "work");
        await h.AdvanceAsync(TimeSpan.FromHours(3));

        Assert.Equal(["reminder"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingMessage_Delivered_CancelsTaskAndTakesBoundaryPath()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundaryMessage", businessKey: "BK-1");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("撤回") { BusinessKey = "BK-1" });

        Assert.Equal(["withdrawn"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingMessage_DeliveredTwice_AddsTwoTokensAndKeepsTheTask()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundaryMessageNonInterrupting", businessKey: "BK-1");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("催办") { BusinessKey = "BK-1" });
        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("催办") { BusinessKey = "BK-1" });

        Assert.Equal(["urged", "urged", "work"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingSignal_Broadcast_CancelsTaskAndTakesBoundaryPath()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundarySignal");

        await h.Engine.BroadcastSignalAsync("项目终止");

        Assert.Equal(["stopped"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingSignal_Broadcast_AddsTokenAndKeepsTheTask()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundarySignalNonInterrupting");

        await h.Engine.BroadcastSignalAsync("变更公告");

        Assert.Equal(["noticed", "work"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingBoundary_Fired_CancelledTaskCannotBeCompleted()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundarySignal");
        var work = await h.SingleTaskAsync(instance.Id, "work");

        await h.Engine.BroadcastSignalAsync("项目终止");

        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await h.Engine.CompleteTaskAsync(work.Id));
    }

    [Fact]
    public async Task InterruptingTimerOnSubProcess_Fires_CancelsEveryInnerTokenAndSubscription()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/subProcessTimeout.bpmn");
        var instance = await h.StartProcessAsync("subProcessTimeout", businessKey: "E-1");

        await h.AdvanceAsync(TimeSpan.FromDays(1));

        Assert.Equal(["overdue"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await h.SubscriptionsAsync(instance.Id));
        Assert.Empty(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingTimerOnSubProcess_SubProcessCompletesFirst_TimerIsRemoved()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/subProcessTimeout.bpmn");
        var instance = await h.StartProcessAsync("subProcessTimeout", businessKey: "E-1");

        await h.CompleteAsync(instance.Id, "technical");
        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("澄清提问") { BusinessKey = "E-1" });

        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
        Assert.Empty(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingTimerCycle_ClockJumpsPastAllRepetitions_FiresEachOnce()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("boundaryTimerCycle");

        await h.AdvanceAsync(TimeSpan.FromHours(5));

        Assert.Equal(["reminder", "reminder", "reminder", "work"], await h.OpenTaskIdsAsync(instance.Id));
    }
}
