using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class GatewayAndEventTests
{
    [Fact]
    public async Task InclusiveFork_TakesEveryTrueCondition()
    {
        await using var host = await EngineTestHost.StartAsync("inclusive.bpmn");

        var instance = await host.StartAsync("inclusive", new { a = true, b = true });

        Assert.Equal(["taskA", "taskB"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InclusiveFork_NoConditionTrue_TakesDefault()
    {
        await using var host = await EngineTestHost.StartAsync("inclusive.bpmn");

        var instance = await host.StartAsync("inclusive", new { a = false, b = false });

        Assert.Equal(["taskC"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InclusiveJoin_WaitsForTokensThatCanStillArrive()
    {
        await using var host = await EngineTestHost.StartAsync("inclusive.bpmn");
        var instance = await host.StartAsync("inclusive", new { a = true, b = true });

        await host.CompleteAsync(instance.Id, "taskA");

        Assert.Equal(["taskB"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InclusiveJoin_FiresOnceNoOtherTokenCanArrive()
    {
        await using var host = await EngineTestHost.StartAsync("inclusive.bpmn");
        var instance = await host.StartAsync("inclusive", new { a = true, b = true });

        await host.CompleteAsync(instance.Id, "taskA");
        await host.CompleteAsync(instance.Id, "taskB");

        Assert.Equal(["final"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InclusiveJoin_SingleBranch_PassesAtOnce()
    {
        await using var host = await EngineTestHost.StartAsync("inclusive.bpmn");
        var instance = await host.StartAsync("inclusive", new { a = false, b = true });

        await host.CompleteAsync(instance.Id, "taskB");

        Assert.Equal(["final"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task EventGateway_MessageFirst_WithdrawsTimerAndSignal()
    {
        await using var host = await EngineTestHost.StartAsync("event-gateway.bpmn");
        var instance = await host.StartAsync("eventGateway", businessKey: "P-1");

        var result = await host.Engine.CorrelateMessageAsync(new MessageCorrelation("approve") { BusinessKey = "P-1" });

        Assert.Equal(1, result.Delivered);
        Assert.Equal(["afterApproval"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await host.Engine.GetTimersAsync(instance.Id));
        Assert.Empty(await host.Engine.GetSubscriptionsAsync(instance.Id));
    }

    [Fact]
    public async Task EventGateway_TimerFirst_WithdrawsMessage()
    {
        await using var host = await EngineTestHost.StartAsync("event-gateway.bpmn");
        var instance = await host.StartAsync("eventGateway", businessKey: "P-1");
        host.Clock.Advance(TimeSpan.FromHours(1));

        var fired = await host.Engine.FireDueTimersAsync();

        Assert.Equal(1, fired);
        Assert.Equal(["afterTimeout"], await host.OpenTaskIdsAsync(instance.Id));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.Engine.CorrelateMessageAsync(new MessageCorrelation("approve") { BusinessKey = "P-1" }).AsTask());
    }

    [Fact]
    public async Task EventGateway_TimerNotYetDue_DoesNotFire()
    {
        await using var host = await EngineTestHost.StartAsync("event-gateway.bpmn");
        var instance = await host.StartAsync("eventGateway");
        host.Clock.Advance(TimeSpan.FromMinutes(59));

        var fired = await host.Engine.FireDueTimersAsync();

        Assert.Equal(0, fired);
        Assert.Single(await host.Engine.GetTimersAsync(instance.Id));
    }

    [Fact]
    public async Task EventGateway_Signal_EndsInstance()
    {
        await using var host = await EngineTestHost.StartAsync("event-gateway.bpmn");
        var instance = await host.StartAsync("eventGateway");

        var delivered = await host.Engine.BroadcastSignalAsync("stop");

        Assert.Equal(1, delivered);
        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task BoundaryTimer_Interrupting_CancelsTaskAndFollowsBoundary()
    {
        await using var host = await EngineTestHost.StartAsync("boundary.bpmn");
        var instance = await host.StartAsync("boundary");
        var review = await host.TaskAsync(instance.Id, "review");
        host.Clock.Advance(TimeSpan.FromHours(2));

        await host.Engine.FireDueTimersAsync();

        Assert.Equal(UserTaskState.Cancelled, (await host.Engine.GetTaskAsync(review.Id))!.State);
        Assert.Contains("escalated", await host.OpenTaskIdsAsync(instance.Id));
        Assert.DoesNotContain("review", await host.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await host.Engine.GetSubscriptionsAsync(instance.Id));
    }

    [Fact]
    public async Task BoundaryTimer_NonInterruptingCycle_KeepsTaskAndFiresTwice()
    {
        await using var host = await EngineTestHost.StartAsync("boundary.bpmn");
        var instance = await host.StartAsync("boundary");

        host.Clock.Advance(TimeSpan.FromMinutes(30));
        await host.Engine.FireDueTimersAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(30));
        await host.Engine.FireDueTimersAsync();

        var open = await host.OpenTasksAsync(instance.Id);
        Assert.Equal(2, open.Count(t => t.ElementId == "remind"));
        Assert.Contains(open, t => t.ElementId == "review");
        Assert.DoesNotContain(await host.Engine.GetTimersAsync(instance.Id), t => t.ElementId == "reminder");
    }

    [Fact]
    public async Task BoundaryMessage_Interrupting_EndsByBoundaryPath()
    {
        await using var host = await EngineTestHost.StartAsync("boundary.bpmn");
        var instance = await host.StartAsync("boundary", businessKey: "T-9");

        await host.Engine.CorrelateMessageAsync(new MessageCorrelation("withdraw") { CorrelationKey = "T-9" });

        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
        Assert.Empty(await host.Engine.GetTimersAsync(instance.Id));
    }

    [Fact]
    public async Task CompletingTask_RemovesItsBoundaryTimers()
    {
        await using var host = await EngineTestHost.StartAsync("boundary.bpmn");
        var instance = await host.StartAsync("boundary");

        await host.CompleteAsync(instance.Id, "review");

        Assert.Empty(await host.Engine.GetTimersAsync(instance.Id));
        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task SuspendedInstance_TimersWaitAndFireAfterResume()
    {
        await using var host = await EngineTestHost.StartAsync("boundary.bpmn");
        var instance = await host.StartAsync("boundary");
        await host.Engine.SuspendInstanceAsync(instance.Id);
        host.Clock.Advance(TimeSpan.FromHours(3));

        var whileSuspended = await host.Engine.FireDueTimersAsync();
        await host.Engine.ResumeInstanceAsync(instance.Id);
        var afterResume = await host.Engine.FireDueTimersAsync();

        Assert.Equal(0, whileSuspended);
        Assert.True(afterResume >= 1);
        Assert.Contains("escalated", await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task FireTimer_OnSuspendedInstance_IsRefused()
    {
        await using var host = await EngineTestHost.StartAsync("boundary.bpmn");
        var instance = await host.StartAsync("boundary");
        var timer = (await host.Engine.GetTimersAsync(instance.Id))[0];
        await host.Engine.SuspendInstanceAsync(instance.Id);

        await Assert.ThrowsAsync<InstanceSuspendedException>(() => host.Engine.FireTimerAsync(timer.Id).AsTask());
    }

    [Fact]
    public async Task UnbalancedParallelJoin_WaitsOnlyForItsOwnIncomingFlows()
    {
        await using var host = await EngineTestHost.StartAsync("unbalanced.bpmn");
        var instance = await host.StartAsync("unbalanced");

        await host.CompleteAsync(instance.Id, "a");
        await host.CompleteAsync(instance.Id, "b");

        Assert.Equal(["c", "joined"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingMessageBoundary_FiresEveryTimeAndKeepsTask()
    {
        await using var host = await EngineTestHost.StartAsync("unbalanced.bpmn");
        var instance = await host.StartAsync("unbalanced", businessKey: "Q-1");

        await host.Engine.CorrelateMessageAsync(new MessageCorrelation("question") { BusinessKey = "Q-1" });
        await host.Engine.CorrelateMessageAsync(new MessageCorrelation("question") { BusinessKey = "Q-1" });

        Assert.Equal(["a", "answer", "answer", "b", "c"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ManyInstancesInParallel_AllCompleteConsistently()
    {
        await using var host = await EngineTestHost.StartAsync("unbalanced.bpmn");

        await Parallel.ForAsync(0, 200, async (i, _) =>
        {
            var instance = await host.StartAsync("unbalanced");
            foreach (var task in await host.OpenTasksAsync(instance.Id))
            {
                await host.Engine.CompleteTaskAsync(task.Id);
            }

            await host.CompleteAsync(instance.Id, "joined");
        });

        Assert.Equal(200, (await host.Engine.GetInstancesAsync(new InstanceQuery { State = InstanceState.Completed })).Count);
        Assert.Empty(await host.Engine.GetTasksAsync(new TaskQuery()));
    }
}
