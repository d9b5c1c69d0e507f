using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Messages reach exactly the instance they are meant for; signals reach every waiting instance.</summary>
public sealed class CorrelationTests
{
    [Fact]
    public async Task Message_ByCorrelationKey_ReachesOnlyTheMatchingInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var first = await h.StartProcessAsync("catchMessage", new { orderId = "A1" });
        var second = await h.StartProcessAsync("catchMessage", new { orderId = "A2" });

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("付款确认") { CorrelationKey = "A2" });

        Assert.Empty(await h.OpenTasksAsync(first.Id));
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(second.Id));
    }

    [Fact]
    public async Task Message_ByBusinessKey_ReachesOnlyTheMatchingInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var first = await h.StartProcessAsync("catchMessageByBusinessKey", businessKey: "BK-1");
        var second = await h.StartProcessAsync("catchMessageByBusinessKey", businessKey: "BK-2");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("澄清答复") { BusinessKey = "BK-1" });

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(first.Id));
        Assert.Empty(await h.OpenTasksAsync(second.Id));
    }

    [Fact]
    public async Task Message_WrongName_DoesNotAdvanceTheInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchMessage", new { orderId = "A1" });

        try
        {
            await h.Engine.CorrelateMessageAsync(new MessageCorrelation("澄清答复") { CorrelationKey = "A1" });
        }
        catch (WorkflowException)
        {
            // Camunda 7 refuses a message nobody waits for; delivering nothing is equally right.
        }

        Assert.Empty(await h.OpenTasksAsync(instance.Id));
        Assert.Single(await h.SubscriptionsAsync(instance.Id));
    }

    [Fact]
    public async Task Message_Delivered_SubscriptionIsConsumed()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchMessage", new { orderId = "A1" });

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("付款确认") { CorrelationKey = "A1" });

        Assert.Empty(await h.SubscriptionsAsync(instance.Id));
    }

    [Fact]
    public async Task Signal_Broadcast_ReachesEveryWaitingInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instances = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            instances.Add((await h.StartProcessAsync("catchSignal")).Id);
        }

        var delivered = await h.Engine.BroadcastSignalAsync("开标");

        Assert.Equal(3, delivered);
        foreach (var id in instances)
        {
            Assert.Equal(["after"], await h.OpenTaskIdsAsync(id));
        }
    }

    [Fact]
    public async Task Signal_BroadcastWithVariables_VariablesReachEveryReceiver()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var first = await h.StartProcessAsync("catchSignal");
        var second = await h.StartProcessAsync("catchSignal");

        await h.Engine.BroadcastSignalAsync("开标", new Dictionary<string, object?> { ["openedAt"] = "09:30" });

        Assert.Equal("09:30", (await h.VariablesAsync(first.Id))["openedAt"]);
        Assert.Equal("09:30", (await h.VariablesAsync(second.Id))["openedAt"]);
    }

    [Fact]
    public async Task Signal_Broadcast_DoesNotReachInstancesThatStartWaitingLater()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        await h.Engine.BroadcastSignalAsync("开标");

        var late = await h.StartProcessAsync("catchSignal");

        Assert.Empty(await h.OpenTasksAsync(late.Id));
    }

    [Fact]
    public async Task Message_SeveralInstancesMatchAndAllRequested_ReachesEveryOne()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var first = await h.StartProcessAsync("catchMessageByBusinessKey", businessKey: "BK-1");
        var second = await h.StartProcessAsync("catchMessageByBusinessKey", businessKey: "BK-1");

        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("澄清答复") { BusinessKey = "BK-1", All = true });

        Assert.Equal(2, result.Delivered);
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(first.Id));
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(second.Id));
    }

    [Fact]
    public async Task Message_SeveralInstancesMatchAndOneRequested_NeverReachesMoreThanOne()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var first = await h.StartProcessAsync("catchMessageByBusinessKey", businessKey: "BK-1");
        var second = await h.StartProcessAsync("catchMessageByBusinessKey", businessKey: "BK-1");

        try
        {
            await h.Engine.CorrelateMessageAsync(new MessageCorrelation("澄清答复") { BusinessKey = "BK-1" });
        }
        catch (WorkflowException)
        {
            // Camunda 7 refuses an ambiguous correlation (MismatchingMessageCorrelationException).
        }

        var advanced = (await h.OpenTasksAsync(first.Id)).Count + (await h.OpenTasksAsync(second.Id)).Count;
        Assert.True(advanced <= 1, $"{advanced} instances received one message");
    }

    [Fact]
    public async Task Message_InstanceWaitsAndStartEventExists_DeliveredToWaitingInstanceWithoutStartingAnother()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/messageStartAndCatch.bpmn");
        var waiter = await h.StartProcessAsync("depositWaiter", businessKey: "ZB-1");

        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("保证金到账") { BusinessKey = "ZB-1" });

        Assert.Equal(1, result.Delivered);
        Assert.Empty(result.StartedInstanceIds);
        Assert.Equal(["depositReceived"], await h.OpenTaskIdsAsync(waiter.Id));
    }

    [Fact]
    public async Task Message_NobodyWaitsButStartEventExists_StartsNewInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/messageStartAndCatch.bpmn");
        await h.StartProcessAsync("depositWaiter", businessKey: "ZB-1");

        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("保证金到账") { BusinessKey = "ZB-404" });

        var started = Assert.Single(result.StartedInstanceIds);
        Assert.Equal("unmatchedDeposit", (await h.InstanceAsync(started)).ProcessId);
        Assert.Equal("ZB-404", (await h.InstanceAsync(started)).BusinessKey);
    }
}
