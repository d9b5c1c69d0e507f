using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Service, send, receive and manual tasks and the embedded sub-process.</summary>
public sealed class ActivityTests
{
    [Fact]
    public async Task ServiceTask_Handler_SeesVariablesAndBusinessKey()
    {
        object? seenAmount = null;
        string? seenKey = null;
        var handler = new DelegateHandler("calcFee", (ServiceTaskContext c) =>
        {
            seenAmount = c.GetVariable("amount");
            seenKey = c.BusinessKey;
        });
        await using var h = await EngineTestHost.ScenarioAsync("tasks/serviceTask.bpmn", handler);

        await h.StartProcessAsync("serviceTask", new { amount = 2000000.00m }, "ZB-88");

        Assert.Equal(1, handler.Calls);
        Assert.Equal(2000000.00m, seenAmount);
        Assert.Equal("ZB-88", seenKey);
    }

    [Fact]
    public async Task ServiceTask_HandlerWritesVariable_VisibleOnProcessAfterward()
    {
        var handler = new DelegateHandler("calcFee", (ServiceTaskContext c) => c.SetVariable("fee", (decimal)c.GetVariable("amount")! * 0.015m));
        await using var h = await EngineTestHost.ScenarioAsync("tasks/serviceTask.bpmn", handler);

        var instance = await h.StartProcessAsync("serviceTask", new { amount = 2000000.00m });

        Assert.Equal(30000.00000m, (await h.VariablesAsync(instance.Id))["fee"]);
        Assert.Equal(["check"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ServiceTask_HandlerThrowsBpmnError_CaughtByMatchingBoundary()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/serviceTaskError.bpmn", TestHandlers.Raiser());

        var instance = await h.StartProcessAsync("serviceTaskError", new { code = "E_FUNDS" });

        Assert.Equal(["fundsTask"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ServiceTask_HandlerThrowsPlainException_StartFailsAndNothingIsStored()
    {
        var handler = new DelegateHandler("calcFee", (ServiceTaskContext _) => throw new InvalidOperationException("bank down"));
        await using var h = await EngineTestHost.ScenarioAsync("tasks/serviceTask.bpmn", handler);

        await Assert.ThrowsAnyAsync<Exception>(async () => await h.StartProcessAsync("serviceTask", new { amount = 1m }));

        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task SendTask_Handler_IsCalledWithTheMessageName()
    {
        string? message = null;
        var handler = new DelegateHandler("notifier", (ServiceTaskContext c) => message = c.MessageName);
        await using var h = await EngineTestHost.ScenarioAsync("tasks/sendTask.bpmn", handler);

        var instance = await h.StartProcessAsync("sendTask");

        Assert.Equal("中标通知", message);
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ReceiveTask_Reached_WaitsForItsMessage()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/receiveTask.bpmn");

        var instance = await h.StartProcessAsync("receiveTask", new { orderId = "O-1" });

        Assert.Equal(["waitPayment"], (await h.InstanceAsync(instance.Id)).ActiveElementIds);
        Assert.Equal("O-1", Assert.Single(await h.SubscriptionsAsync(instance.Id)).CorrelationKey);
    }

    [Fact]
    public async Task ReceiveTask_MessageWithItsCorrelationKey_Continues()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/receiveTask.bpmn");
        var instance = await h.StartProcessAsync("receiveTask", new { orderId = "O-1" });

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("付款确认") { CorrelationKey = "O-1" });

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ManualTask_PassesThroughAndIsRecordedAsCompleted()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/manualTask.bpmn");

        var instance = await h.StartProcessAsync("manualTask");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Contains("sign", await h.CompletedActivitiesAsync(instance.Id));
    }

    [Fact]
    public async Task EmbeddedSubProcess_Entered_RunsItsStartEventToTheInnerTask()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/embeddedSubProcess.bpmn");

        var instance = await h.StartProcessAsync("embeddedSubProcess");

        Assert.Equal(["inner"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Contains("sub", (await h.InstanceAsync(instance.Id)).ActiveElementIds);
    }

    [Fact]
    public async Task EmbeddedSubProcess_InnerEndReached_CompletesSubProcessAndContinuesAfterIt()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/embeddedSubProcess.bpmn");
        var instance = await h.StartProcessAsync("embeddedSubProcess");

        await h.CompleteAsync(instance.Id, "inner");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        var history = await h.Engine.GetHistoryAsync(instance.Id);
        Assert.Contains(history, e => e.Type == HistoryEventType.ActivityCompleted && e.ElementId == "sub");
    }

    [Fact]
    public async Task EmbeddedSubProcess_TaskCompletedWithVariable_VariableIsSetOnProcessInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("tasks/embeddedSubProcess.bpmn");
        var instance = await h.StartProcessAsync("embeddedSubProcess");

        // Camunda 7 setVariable: a new variable goes to the highest scope, the process instance.
        await h.CompleteAsync(instance.Id, "inner", new { score = 92 });

        Assert.Equal(92m, (await h.VariablesAsync(instance.Id))["score"]);
    }

    [Fact]
    public async Task Deploy_ServiceTaskWithUnregisteredHandler_IsRefusedNamingTheElement()
    {
        await using var h = await EngineTestHost.ScenarioAsync([]);

        // Issue 3 item 3: the validator runs before a definition can be used and names the element.
        var error = await Assert.ThrowsAnyAsync<WorkflowException>(async () => await h.DeployAsync("tasks/serviceTask.bpmn"));

        Assert.Contains("calc", error.Message);
        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery()));
    }
}
