using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class EndEventTests
{
    [Fact]
    public async Task NoneEnd_OneOfTwoBranchesEnds_InstanceStaysActive()
    {
        await using var h = await EngineTestHost.ScenarioAsync("end-terminate-process.bpmn");
        var instance = await h.StartProcessAsync("terminateProcess");

        await h.CompleteAsync(instance.Id, "a");

        Assert.Equal(InstanceState.Active, await h.StateAsync(instance.Id));
        Assert.Equal(["b"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task TerminateEnd_InProcess_EndsInstanceAndCancelsOtherTokens()
    {
        await using var h = await EngineTestHost.ScenarioAsync("end-terminate-process.bpmn");
        var instance = await h.StartProcessAsync("terminateProcess");

        await h.CompleteAsync(instance.Id, "b");

        Assert.NotEqual(InstanceState.Active, await h.StateAsync(instance.Id));
        Assert.Empty(await h.OpenTasksAsync(instance.Id));
    }

    [Fact]
    public async Task TerminateEnd_InSubProcess_EndsOnlyTheSubProcessWhichThenCompletesNormally()
    {
        await using var h = await EngineTestHost.ScenarioAsync("end-terminate-subprocess.bpmn");

        // BPMN 2.0 §10.5.3 (terminate): all activities of the sub-process end; the sub-process completes and the parent continues.
        var instance = await h.StartProcessAsync("terminateSub");

        Assert.Equal(InstanceState.Active, await h.StateAsync(instance.Id));
        Assert.Equal(["after", "outer"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorEnd_InSubProcess_IsCaughtByBoundaryOnSubProcess()
    {
        await using var h = await EngineTestHost.ScenarioAsync("end-error.bpmn");
        var instance = await h.StartProcessAsync("endError");

        await h.CompleteAsync(instance.Id, "check", new { rejected = true });

        Assert.Equal(["handled"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorEnd_NotReached_SubProcessLeavesThroughNormalFlow()
    {
        await using var h = await EngineTestHost.ScenarioAsync("end-error.bpmn");
        var instance = await h.StartProcessAsync("endError");

        await h.CompleteAsync(instance.Id, "check", new { rejected = false });

        Assert.Equal(["normal"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task MessageEnd_Reached_CompletesInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("end-message.bpmn");
        var instance = await h.StartProcessAsync("endMessage");

        await h.CompleteAsync(instance.Id, "work");

        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task SignalEnd_Reached_CompletesInstanceAndWakesOtherInstancesWaitingForTheSignal()
    {
        await using var h = await EngineTestHost.ScenarioAsync("end-signal");
        var listener = await h.StartProcessAsync("signalListener");
        var thrower = await h.StartProcessAsync("endSignal");

        await h.CompleteAsync(thrower.Id, "work");

        Assert.Equal(InstanceState.Completed, await h.StateAsync(thrower.Id));
        Assert.Equal(["notified"], await h.OpenTaskIdsAsync(listener.Id));
    }
}
