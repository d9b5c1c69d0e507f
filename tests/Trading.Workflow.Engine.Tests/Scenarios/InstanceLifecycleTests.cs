using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Suspend, resume and cancel.</summary>
public sealed class InstanceLifecycleTests
{
    [Fact]
    public async Task Suspend_ActiveInstance_StateIsSuspended()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");

        await h.Engine.SuspendInstanceAsync(instance.Id, "投诉处理中");

        Assert.Equal(InstanceState.Suspended, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task Suspended_CompleteTask_IsRefusedAndTaskStaysOpen()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");
        await h.Engine.SuspendInstanceAsync(instance.Id);

        await Assert.ThrowsAsync<InstanceSuspendedException>(async () => await h.CompleteAsync(instance.Id, "work"));

        Assert.Equal(["work"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Suspended_MessageForIt_IsNotDelivered()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchMessage", new { orderId = "O-5" });
        await h.Engine.SuspendInstanceAsync(instance.Id);

        try
        {
            var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("付款确认") { CorrelationKey = "O-5" });
            Assert.Equal(0, result.Delivered);
        }
        catch (WorkflowException)
        {
            // Refusing the correlation outright is as good as not delivering it.
        }

        Assert.Empty(await h.OpenTasksAsync(instance.Id));
    }

    [Fact]
    public async Task Suspended_TimerComesDue_DoesNotFire()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchTimer");
        await h.Engine.SuspendInstanceAsync(instance.Id);

        await h.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Empty(await h.OpenTasksAsync(instance.Id));
        Assert.Single(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task Resume_TimerBecameDueWhileSuspended_FiresAfterResume()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchTimer");
        await h.Engine.SuspendInstanceAsync(instance.Id);
        await h.AdvanceAsync(TimeSpan.FromHours(1));

        await h.Engine.ResumeInstanceAsync(instance.Id);
        await h.Engine.FireDueTimersAsync();

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Resume_SuspendedInstance_AcceptsCommandsAgain()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");
        await h.Engine.SuspendInstanceAsync(instance.Id);

        await h.Engine.ResumeInstanceAsync(instance.Id);
        await h.CompleteAsync(instance.Id, "work");

        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task Cancel_ActiveInstance_CancelsTasksAndRemovesTimersAndSubscriptions()
    {
        await using var h = await EngineTestHost.ScenarioAsync("boundary-events");
        var instance = await h.StartProcessAsync("boundaryTimer");
        var work = await h.SingleTaskAsync(instance.Id, "work");

        await h.Engine.CancelInstanceAsync(instance.Id, "项目撤销");

        Assert.Equal(InstanceState.Cancelled, await h.StateAsync(instance.Id));
        Assert.Equal(UserTaskState.Cancelled, (await h.Engine.GetTaskAsync(work.Id))!.State);
        Assert.Empty(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task Cancel_CompletedInstance_ThrowsConflict()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");
        await h.CompleteAsync(instance.Id, "work");

        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await h.Engine.CancelInstanceAsync(instance.Id));
    }

    [Fact]
    public async Task Suspended_ClaimTask_IsRefused()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");
        var task = await h.SingleTaskAsync(instance.Id, "work");
        await h.Engine.SuspendInstanceAsync(instance.Id);

        // Camunda 7: SuspendedEntityInteractionException for any task operation of a suspended instance.
        await Assert.ThrowsAsync<InstanceSuspendedException>(async () => await h.Engine.ClaimTaskAsync(task.Id, "zhang"));

        Assert.Null((await h.Engine.GetTaskAsync(task.Id))!.Assignee);
    }

    [Fact]
    public async Task Suspended_Signal_IsNotDeliveredAndStillWaitsAfterResume()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchSignal");
        await h.Engine.SuspendInstanceAsync(instance.Id);

        await h.Engine.BroadcastSignalAsync("开标");
        await h.Engine.ResumeInstanceAsync(instance.Id);

        Assert.Empty(await h.OpenTasksAsync(instance.Id));
        Assert.Single(await h.SubscriptionsAsync(instance.Id));
    }

    [Fact]
    public async Task Cancelled_CompleteItsTask_ThrowsConflict()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");
        var task = await h.SingleTaskAsync(instance.Id, "work");
        await h.Engine.CancelInstanceAsync(instance.Id);

        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await h.Engine.CompleteTaskAsync(task.Id));
    }

    [Fact]
    public async Task Completed_SetVariables_IsRefused()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone", new { price = 1m });
        await h.CompleteAsync(instance.Id, "work");

        await Assert.ThrowsAnyAsync<WorkflowException>(async () =>
            await h.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["price"] = 2m }));

        Assert.Equal(1m, (await h.VariablesAsync(instance.Id))["price"]);
    }

    [Fact]
    public async Task Cancel_RecordsTheReasonInHistory()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");

        await h.Engine.CancelInstanceAsync(instance.Id, "项目撤销", "admin");

        var history = await h.Engine.GetHistoryAsync(instance.Id);
        Assert.Contains(history, e => e.Type == History.HistoryEventType.InstanceCancelled && e.UserId == "admin" && e.Details!.Contains("项目撤销"));
    }
}
