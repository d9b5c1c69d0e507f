using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

/// <summary>A retired version starts no new instance, however the start is asked for; what already runs on it goes on.</summary>
public sealed class RetiredVersionTests
{
    private static async Task<EngineTestHost> TwoVersionsAsync()
    {
        var host = await EngineTestHost.StartAsync("retire.bpmn");
        await host.DeployAsync("retire.bpmn");
        return host;
    }

    [Fact]
    public async Task StartNamingVersion_WhenRetired_ThrowsStateErrorAndStartsNothing()
    {
        await using var host = await TwoVersionsAsync();
        await host.RetireAsync("versioned", 1);

        var error = await Assert.ThrowsAsync<WorkflowStateException>(() => host.Engine.StartAsync(new StartInstanceRequest("versioned") { Version = 1 }).AsTask());

        Assert.Contains("已停用", error.MessageZh, StringComparison.Ordinal);
        Assert.Contains("retired", error.MessageEn, StringComparison.Ordinal);
        Assert.Equal(0, host.Store.InstanceCount);
    }

    [Fact]
    public async Task StartNamingVersion_WhenAnotherVersionIsRetired_Starts()
    {
        await using var host = await TwoVersionsAsync();
        await host.RetireAsync("versioned", 2);

        var instance = await host.Engine.StartAsync(new StartInstanceRequest("versioned") { Version = 1 });

        Assert.Equal(1, instance.ProcessVersion);
    }

    [Fact]
    public async Task StartById_WhenLatestRetired_UsesThePreviousVersion()
    {
        await using var host = await TwoVersionsAsync();
        await host.RetireAsync("versioned", 2);

        var instance = await host.StartAsync("versioned");

        Assert.Equal(1, instance.ProcessVersion);
    }

    [Fact]
    public async Task StartById_WhenEveryVersionRetired_ThrowsStateError()
    {
        await using var host = await TwoVersionsAsync();
        await host.RetireAsync("versioned", 1);
        await host.RetireAsync("versioned", 2);

        await Assert.ThrowsAsync<WorkflowStateException>(() => host.StartAsync("versioned"));

        Assert.Equal(0, host.Store.InstanceCount);
    }

    [Fact]
    public async Task CallActivityBoundToVersion_WhenRetired_RefusesTheCallerStart()
    {
        await using var host = await TwoVersionsAsync();
        await host.RetireAsync("versioned", 1);

        await Assert.ThrowsAsync<WorkflowStateException>(() => host.StartAsync("pinnedCaller"));

        Assert.Equal(0, host.Store.InstanceCount);
    }

    [Fact]
    public async Task MessageStart_WhenItsOnlyVersionIsRetired_StartsNothing()
    {
        await using var host = await EngineTestHost.StartAsync("retire.bpmn");
        await host.RetireAsync("messageStarted", 1);

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.Engine.CorrelateMessageAsync(new MessageCorrelation("kickOff") { BusinessKey = "K-1" }).AsTask());

        Assert.Equal(0, host.Store.InstanceCount);
    }

    [Fact]
    public async Task MessageStart_WhenLatestRetired_StartsThePreviousVersion()
    {
        await using var host = await TwoVersionsAsync();
        await host.RetireAsync("messageStarted", 2);

        var result = await host.Engine.CorrelateMessageAsync(new MessageCorrelation("kickOff") { BusinessKey = "K-2" });

        Assert.Equal(1, (await host.InstanceAsync(Assert.Single(result.StartedInstanceIds))).ProcessVersion);
    }

    [Fact]
    public async Task SignalStart_WhenItsOnlyVersionIsRetired_StartsNothing()
    {
        await using var host = await EngineTestHost.StartAsync("retire.bpmn");
        await host.RetireAsync("signalStarted", 1);

        var delivered = await host.Engine.BroadcastSignalAsync("goLive");

        Assert.Equal((0, 0), (delivered, host.Store.InstanceCount));
    }

    [Fact]
    public async Task RunningInstance_OnRetiredVersion_TimerFiresAndTaskCompletes()
    {
        await using var host = await EngineTestHost.StartAsync("retire.bpmn");
        var instance = await host.StartAsync("versioned");
        await host.RetireAsync("versioned", 1);

        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.Engine.FireDueTimersAsync();
        await host.CompleteAsync(instance.Id, "work");

        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task RunningCallActivity_CalledVersionRetiredMeanwhile_ChildFinishesAndCallerGoesOn()
    {
        await using var host = await EngineTestHost.StartAsync("retire.bpmn");
        var caller = await host.StartAsync("pinnedCaller");
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "versioned" }));
        await host.RetireAsync("versioned", 1);

        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.Engine.FireDueTimersAsync();
        await host.CompleteAsync(child.Id, "work");

        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(child.Id)).State);
        Assert.Equal(["afterCall"], await host.OpenTaskIdsAsync(caller.Id));
    }
}
