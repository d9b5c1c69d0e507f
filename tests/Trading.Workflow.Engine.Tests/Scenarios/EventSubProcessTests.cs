using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class EventSubProcessTests
{
    private static Task<EngineTestHost> StartAsync() => EngineTestHost.ScenarioAsync("event-subprocesses", TestHandlers.Raiser());

    [Fact]
    public async Task InterruptingMessageStart_Delivered_CancelsMainPathAndRunsEventSubProcess()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espMessageInterrupting", businessKey: "P-1");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("终止采购") { BusinessKey = "P-1" });

        Assert.Equal(["stopped"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingMessageStart_DeliveredTwice_RunsTwoEventSubProcessesBesideMainPath()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espMessageNonInterrupting", businessKey: "P-1");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("补充材料") { BusinessKey = "P-1" });
        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("补充材料") { BusinessKey = "P-1" });

        Assert.Equal(["supplement", "supplement", "work"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingTimerStart_Due_CancelsMainPathAndRunsEventSubProcess()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espTimerInterrupting");

        await h.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal(["timedOut"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingTimerStart_Due_RunsEventSubProcessBesideMainPath()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espTimerNonInterrupting");

        await h.AdvanceAsync(TimeSpan.FromHours(2));

        Assert.Equal(["remind", "work"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingSignalStart_Broadcast_CancelsMainPath()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espSignalInterrupting");

        await h.Engine.BroadcastSignalAsync("变更公告");

        Assert.Equal(["changedStop"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingSignalStart_Broadcast_RunsBesideMainPath()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espSignalNonInterrupting");

        await h.Engine.BroadcastSignalAsync("变更公告");

        Assert.Equal(["changed", "work"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task EventSubProcess_ScopeEnds_ItsTriggersAreRemoved()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espTimerNonInterrupting");

        await h.CompleteAsync(instance.Id, "work");

        Assert.Empty(await h.TimersAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorStart_HandlerRaisesMatchingError_InterruptsEveryTokenOfTheScope()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espError", new { code = "E_X" });

        await h.CompleteAsync(instance.Id, "check");

        // An error event sub-process is always interrupting (BPMN 2.0 §10.3.6): the parallel "work" token is cancelled too.
        Assert.Equal(["recover"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorStart_InSubProcessAndProcess_ErrorIsCaughtByInnermostScope()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("espErrorScopes", new { code = "E_X" });

        Assert.Equal(["subLevel"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorStart_CaughtInSubProcess_SubProcessCompletesAndParentContinues()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espErrorScopes", new { code = "E_X" });

        await h.CompleteAsync(instance.Id, "subLevel");

        Assert.Equal(["afterSub"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorStart_CodeNotCaughtInSubProcess_PropagatesToProcessLevelCatchAll()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("espErrorScopes", new { code = "E_Y" });

        Assert.Equal(["processLevel"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingEventSubProcessRunning_MainPathEnds_InstanceWaitsForIt()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espMessageNonInterrupting", businessKey: "P-1");
        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("补充材料") { BusinessKey = "P-1" });

        await h.CompleteAsync(instance.Id, "work");

        Assert.Equal(Store.InstanceState.Active, await h.StateAsync(instance.Id));
        Assert.Equal(["supplement"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NonInterruptingEventSubProcessRunning_MainPathEnded_InstanceCompletesWithIt()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("espMessageNonInterrupting", businessKey: "P-1");
        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("补充材料") { BusinessKey = "P-1" });
        await h.CompleteAsync(instance.Id, "work");

        await h.CompleteAsync(instance.Id, "supplement");

        Assert.Equal(Store.InstanceState.Completed, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingMessageStartInSubProcess_Delivered_CancelsOnlyTheSubProcessContent()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/subProcessMessageEventSub.bpmn");
        var instance = await h.StartProcessAsync("subProcessMessageEventSub", businessKey: "R-1");

        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("重新评审") { BusinessKey = "R-1" });

        Assert.Equal(["outer", "restarted"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task InterruptingMessageStartInSubProcess_HandlerEnds_SubProcessCompletesAndContinues()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/subProcessMessageEventSub.bpmn");
        var instance = await h.StartProcessAsync("subProcessMessageEventSub", businessKey: "R-1");
        await h.Engine.CorrelateMessageAsync(new MessageCorrelation("重新评审") { BusinessKey = "R-1" });

        await h.CompleteAsync(instance.Id, "restarted");

        Assert.Equal(["afterSub", "outer"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task EventSubProcessInSubProcess_SubProcessEnded_SubscriptionIsRemoved()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/subProcessMessageEventSub.bpmn");
        var instance = await h.StartProcessAsync("subProcessMessageEventSub", businessKey: "R-1");

        await h.CompleteAsync(instance.Id, "inner");

        Assert.Empty(await h.SubscriptionsAsync(instance.Id));
    }
}
