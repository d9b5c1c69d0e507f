using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>
/// Message throw and end events that name an implementation run it like a send task (Camunda 7 semantics): the
/// handler sends the message, sees the message name and the variables, and may raise a BPMN error.
/// </summary>
public sealed class MessageSenderTests
{
    [Fact]
    public async Task MessageThrow_WithCamundaClassOnDefinition_CallsMappedHandlerThenContinues()
    {
        string? sentMessage = null;
        var sender = new DelegateHandler("NoticeSender", c => sentMessage = c.MessageName);
        await using var h = await EngineTestHost.ScenarioAsync("message-senders/throwMessageCamunda.bpmn", sender);

        var instance = await h.StartProcessAsync("throwMessageCamunda");

        Assert.Equal(1, sender.Calls);
        Assert.Equal("中标通知", sentMessage);
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task MessageEnd_WithHandlerOnEvent_CallsHandlerWithVariablesThenCompletes()
    {
        object? seenProject = null;
        var sender = new DelegateHandler("notice.send", c => seenProject = c.GetVariable("projectCode"));
        await using var h = await EngineTestHost.ScenarioAsync("message-senders/endMessageHandler.bpmn", sender);

        var instance = await h.StartProcessAsync("endMessageHandler", new { projectCode = "ZB-2026-001" });

        Assert.Equal("ZB-2026-001", seenProject);
        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
        Assert.Contains("publish", await h.CompletedActivitiesAsync(instance.Id));
    }

    [Fact]
    public async Task MessageThrow_HandlerRaisesBpmnError_CaughtByErrorBoundaryOfEnclosingSubProcess()
    {
        var sender = new DelegateHandler("notice.send", c => c.ThrowBpmnError("UNDELIVERABLE"));
        await using var h = await EngineTestHost.ScenarioAsync("message-senders/throwMessageError.bpmn", sender);

        var instance = await h.StartProcessAsync("throwMessageError");

        Assert.Equal(["sendByPost"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.DoesNotContain("subEnd", await h.CompletedActivitiesAsync(instance.Id));
    }

    [Fact]
    public async Task MessageThrow_HandlerFails_CommandFailsAndNoInstanceIsLeft()
    {
        var sender = new DelegateHandler("notice.send", _ => throw new InvalidOperationException("mail server down"));
        await using var h = await EngineTestHost.ScenarioAsync("message-senders/throwMessageError.bpmn", sender);

        var error = await Assert.ThrowsAsync<WorkflowHandlerException>(() => h.StartProcessAsync("throwMessageError"));

        Assert.Contains("notice", error.Message);
        // Unfiltered: no instance of any process is left.
        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery()));
    }
}
