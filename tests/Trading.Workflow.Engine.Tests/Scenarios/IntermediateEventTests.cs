using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class IntermediateEventTests
{
    [Fact]
    public async Task TimerCatch_Reached_CreatesTimerDueAfterDuration()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");

        var instance = await h.StartProcessAsync("catchTimer");

        var timer = Assert.Single(await h.TimersAsync(instance.Id));
        Assert.Equal(EngineTestHost.StartTime.AddMinutes(30), timer.Due);
        Assert.Empty(await h.OpenTasksAsync(instance.Id));
    }

    [Fact]
    public async Task TimerCatch_ClockBeforeDue_DoesNotFire()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchTimer");

        await h.AdvanceAsync(TimeSpan.FromMinutes(29));

        Assert.Empty(await h.OpenTasksAsync(instance.Id));
        Assert.Single(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task TimerCatch_ClockReachesDue_FiresAndContinues()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchTimer");

        await h.AdvanceAsync(TimeSpan.FromMinutes(30));

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task MessageCatch_Reached_SubscribesWithCorrelationKeyFromExpression()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");

        var instance = await h.StartProcessAsync("catchMessage", new { orderId = "ORD-9" });

        var subscription = Assert.Single(await h.SubscriptionsAsync(instance.Id));
        Assert.Equal("付款确认", subscription.EventName);
        Assert.Equal("ORD-9", subscription.CorrelationKey);
    }

    [Fact]
    public async Task MessageCatch_MessageDelivered_ContinuesAndCopiesMessageVariables()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchMessage", new { orderId = "ORD-9" });

        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("付款确认")
        {
            CorrelationKey = "ORD-9",
            Variables = new Dictionary<string, object?> { ["paidAmount"] = 1500.50m },
        });

        Assert.Equal(1, result.Delivered);
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Equal(1500.50m, (await h.VariablesAsync(instance.Id))["paidAmount"]);
    }

    [Fact]
    public async Task SignalCatch_SignalBroadcast_Continues()
    {
        await using var h = await EngineTestHost.ScenarioAsync("catch-events");
        var instance = await h.StartProcessAsync("catchSignal");

        await h.Engine.BroadcastSignalAsync("开标");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await h.SubscriptionsAsync(instance.Id));
    }

    [Fact]
    public async Task NoneThrow_PassesThroughAndRecordsTheEvent()
    {
        await using var h = await EngineTestHost.ScenarioAsync("throw-events");

        var instance = await h.StartProcessAsync("throwNone");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Contains("milestone", await h.CompletedActivitiesAsync(instance.Id));
    }

    [Fact]
    public async Task MessageThrow_PassesThrough()
    {
        await using var h = await EngineTestHost.ScenarioAsync("throw-events");

        var instance = await h.StartProcessAsync("throwMessage");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task SignalThrow_WakesEveryInstanceWaitingForTheSignal()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["catch-events", "throw-events"]);
        var waiting1 = await h.StartProcessAsync("catchSignal");
        var waiting2 = await h.StartProcessAsync("catchSignal");
        var thrower = await h.StartProcessAsync("throwSignal");

        await h.CompleteAsync(thrower.Id, "prepare");

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(waiting1.Id));
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(waiting2.Id));
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(thrower.Id));
    }

    [Fact]
    public async Task TimerCatchDateExpression_FiresAtTheDateHeldInTheVariable()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/timerDateExpression.bpmn");
        var opening = new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8));
        var instance = await h.StartProcessAsync("timerDateExpression", new { openingTime = opening });

        var due = Assert.Single(await h.TimersAsync(instance.Id)).Due;
        await h.AdvanceAsync(opening - h.Clock.GetUtcNow());

        Assert.Equal(opening, due);
        Assert.Equal(["open"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task TimerCatchDate_AlreadyPast_FiresAtTheNextDueRun()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/timerDateExpression.bpmn");
        var instance = await h.StartProcessAsync("timerDateExpression", new { openingTime = EngineTestHost.StartTime.AddDays(-1) });

        await h.Engine.FireDueTimersAsync();

        Assert.Equal(["open"], await h.OpenTaskIdsAsync(instance.Id));
    }
}
