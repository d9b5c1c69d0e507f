using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class ErrorAndScopeTests
{
    private static Task<EngineTestHost> ErrorsHostAsync() =>
        EngineTestHost.StartAsync(["errors.bpmn"], b => b.AddHandler(new ErrorHandler()));

    [Fact]
    public async Task HandlerError_MatchingCode_CaughtByBoundary()
    {
        await using var host = await ErrorsHostAsync();

        var instance = await host.StartAsync("errors", new { errorCode = "REJECTED" });

        Assert.Equal(["handleRejected"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Contains(await host.Engine.GetHistoryAsync(instance.Id), e => e.Type == HistoryEventType.ErrorCaught && e.ElementId == "onRejected");
    }

    [Fact]
    public async Task HandlerError_NoMatchingCatch_FailsCommandWithoutTrace()
    {
        await using var host = await ErrorsHostAsync();

        var error = await Assert.ThrowsAsync<BpmnErrorException>(() => host.StartAsync("errors", new { errorCode = "OTHER" }));

        Assert.Equal("OTHER", error.ErrorCode);
        Assert.Equal(0, host.Store.InstanceCount);
    }

    [Fact]
    public async Task ErrorEndInSubProcess_CaughtByCatchAllBoundaryOnSubProcess()
    {
        await using var host = await ErrorsHostAsync();
        var instance = await host.StartAsync("errors", new { errorCode = "REJECTED" });
        await host.CompleteAsync(instance.Id, "handleRejected");

        await host.CompleteAsync(instance.Id, "subTask");

        Assert.Equal(["afterInner"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingMessageEventSubProcess_CancelsMainFlow()
    {
        await using var host = await EngineTestHost.StartAsync("event-subprocess.bpmn");
        var instance = await host.StartAsync("eventSub", businessKey: "E-1");
        var work = await host.TaskAsync(instance.Id, "work");

        await host.Engine.CorrelateMessageAsync(new MessageCorrelation("abort") { BusinessKey = "E-1" });

        Assert.Equal(["aborted"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Equal(UserTaskState.Cancelled, (await host.Engine.GetTaskAsync(work.Id))!.State);
        Assert.Empty(await host.Engine.GetSubscriptionsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingEventSubProcess_Completes_InstanceCompletes()
    {
        await using var host = await EngineTestHost.StartAsync("event-subprocess.bpmn");
        var instance = await host.StartAsync("eventSub", businessKey: "E-1");
        await host.Engine.CorrelateMessageAsync(new MessageCorrelation("abort") { BusinessKey = "E-1" });

        await host.CompleteAsync(instance.Id, "aborted");

        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task NonInterruptingSignalEventSubProcess_RunsBesideMainFlow()
    {
        await using var host = await EngineTestHost.StartAsync("event-subprocess.bpmn");
        var instance = await host.StartAsync("eventSub");

        await host.Engine.BroadcastSignalAsync("notify");
        await host.Engine.BroadcastSignalAsync("notify");

        Assert.Equal(["notified", "notified", "work"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorEndEvent_CaughtByErrorEventSubProcess()
    {
        await using var host = await EngineTestHost.StartAsync("event-subprocess.bpmn");
        var instance = await host.StartAsync("eventSub");

        await host.CompleteAsync(instance.Id, "work", new { fail = true });

        Assert.Equal(["cleanup"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task MainFlowEnds_InstanceCompletesAndEventSubscriptionsGo()
    {
        await using var host = await EngineTestHost.StartAsync("event-subprocess.bpmn");
        var instance = await host.StartAsync("eventSub");

        await host.CompleteAsync(instance.Id, "work", new { fail = false });

        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
        Assert.Empty(await host.Engine.GetSubscriptionsAsync(instance.Id));
        Assert.Empty(await host.Engine.GetTimersAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingTimerEventSubProcess_FiresBesideMainFlow()
    {
        await using var host = await EngineTestHost.StartAsync("event-subprocess.bpmn");
        var instance = await host.StartAsync("eventSub");
        host.Clock.Advance(TimeSpan.FromHours(1));

        await host.Engine.FireDueTimersAsync();

        Assert.Equal(["chase", "work"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await host.Engine.GetTimersAsync(instance.Id));
    }

    [Fact]
    public async Task TerminateInSubProcess_EndsOnlyTheSubProcess()
    {
        await using var host = await EngineTestHost.StartAsync("terminate.bpmn");
        var instance = await host.StartAsync("terminate");

        await host.CompleteAsync(instance.Id, "quick");

        Assert.Equal(["afterSub", "longTask"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task TerminateAtProcessLevel_EndsWholeInstance()
    {
        await using var host = await EngineTestHost.StartAsync("terminate.bpmn");
        var instance = await host.StartAsync("terminate");
        var longTask = await host.TaskAsync(instance.Id, "longTask");
        await host.CompleteAsync(instance.Id, "quick");

        await host.CompleteAsync(instance.Id, "afterSub");

        Assert.Equal(InstanceState.Terminated, (await host.InstanceAsync(instance.Id)).State);
        Assert.Equal(UserTaskState.Cancelled, (await host.Engine.GetTaskAsync(longTask.Id))!.State);
        Assert.Empty(await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task CallActivity_ChildGetsInputAndParentGetsOutput()
    {
        await using var host = await EngineTestHost.StartAsync("call-activity.bpmn");
        var parent = await host.StartAsync("parent", new { amount = 12.5m }, businessKey: "C-1");
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent.Id }));
        var childTask = await host.TaskAsync(child.Id, "childTask");

        await host.Engine.CompleteTaskAsync(childTask.Id, EngineTestHost.Vars(new { childResult = "approved" }));

        Assert.Equal("Child 12.5", childTask.Name);
        Assert.Equal("C-1", child.BusinessKey);
        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(child.Id)).State);
        Assert.Equal(["afterCall"], await host.OpenTaskIdsAsync(parent.Id));
        Assert.Equal("approved", (await host.VariablesAsync(parent.Id))["result"]);
    }

    [Fact]
    public async Task CallActivity_ChildErrorCaughtByBoundaryOnCallActivity()
    {
        await using var host = await EngineTestHost.StartAsync("call-activity.bpmn");
        var parent = await host.StartAsync("parent", new { amount = 1 });
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent.Id }));

        await host.CompleteAsync(child.Id, "childTask", new { childResult = "fail" });

        Assert.Equal(["onChildError"], await host.OpenTaskIdsAsync(parent.Id));
        Assert.Equal(InstanceState.Cancelled, (await host.InstanceAsync(child.Id)).State);
    }

    [Fact]
    public async Task CancelParent_CancelsCalledChild()
    {
        await using var host = await EngineTestHost.StartAsync("call-activity.bpmn");
        var parent = await host.StartAsync("parent", new { amount = 1 });
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent.Id }));

        await host.Engine.CancelInstanceAsync(parent.Id, "stop", "admin");

        Assert.Equal(InstanceState.Cancelled, (await host.InstanceAsync(child.Id)).State);
        Assert.Empty(await host.OpenTaskIdsAsync(child.Id));
    }

    [Fact]
    public async Task SuspendParent_SuspendsCalledChildUntilResumed()
    {
        await using var host = await EngineTestHost.StartAsync("call-activity.bpmn");
        var parent = await host.StartAsync("parent", new { amount = 1 });
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent.Id }));
        await host.Engine.SuspendInstanceAsync(parent.Id, "audit", "admin");

        await Assert.ThrowsAsync<InstanceSuspendedException>(() => host.CompleteAsync(child.Id, "childTask", new { childResult = "ok" }));
        await host.Engine.ResumeInstanceAsync(parent.Id, "audit done", "admin");
        await host.CompleteAsync(child.Id, "childTask", new { childResult = "ok" });

        Assert.Equal(["afterCall"], await host.OpenTaskIdsAsync(parent.Id));
    }
}
