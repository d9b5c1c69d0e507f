using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class CallActivityTests
{
    private static Task<EngineTestHost> StartAsync() =>
        EngineTestHost.ScenarioAsync(["child-v1.bpmn", "child-v2.bpmn", "call-activities"]);

    private static async Task<ProcessInstanceInfo> ChildOfAsync(EngineTestHost h, Guid parentId) =>
        Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parentId }));

    [Fact]
    public async Task LatestBinding_StartsNewestVersionOfCalledProcess()
    {
        await using var h = await StartAsync();

        var parent = await h.StartProcessAsync("parentLatest", new { amount = 10m });

        var child = await ChildOfAsync(h, parent.Id);
        Assert.Equal("child", child.ProcessId);
        Assert.Equal(2, child.ProcessVersion);
    }

    [Fact]
    public async Task VersionBinding_StartsTheBoundVersion()
    {
        await using var h = await StartAsync();

        var parent = await h.StartProcessAsync("parentBound");

        Assert.Equal(1, (await ChildOfAsync(h, parent.Id)).ProcessVersion);
    }

    [Fact]
    public async Task Child_IsOwnInstanceLinkedToParentAndParentWaits()
    {
        await using var h = await StartAsync();

        var parent = await h.StartProcessAsync("parentLatest", new { amount = 10m }, "BK-P");

        var child = await ChildOfAsync(h, parent.Id);
        Assert.NotEqual(parent.Id, child.Id);
        Assert.Equal(parent.Id, child.ParentInstanceId);
        Assert.Equal(["childTask"], await h.OpenTaskIdsAsync(child.Id));
        Assert.Equal(["callChild"], (await h.InstanceAsync(parent.Id)).ActiveElementIds);
    }

    [Fact]
    public async Task InMapping_CopiesOnlyMappedVariablesIntoChild()
    {
        await using var h = await StartAsync();

        var parent = await h.StartProcessAsync("parentLatest", new { amount = 10m, secret = "x" });

        var variables = await h.VariablesAsync((await ChildOfAsync(h, parent.Id)).Id);
        Assert.Equal(10m, variables["childAmount"]);
        Assert.False(variables.ContainsKey("secret"));
        Assert.False(variables.ContainsKey("amount"));
    }

    [Fact]
    public async Task OutMapping_ChildCompletes_CopiesMappedVariableBackAndParentContinues()
    {
        await using var h = await StartAsync();
        var parent = await h.StartProcessAsync("parentLatest", new { amount = 10m });
        var child = await ChildOfAsync(h, parent.Id);

        await h.CompleteAsync(child.Id, "childTask", new { result = "合格", other = 1 });

        var variables = await h.VariablesAsync(parent.Id);
        Assert.Equal("合格", variables["childResult"]);
        Assert.False(variables.ContainsKey("other"));
        Assert.Equal(InstanceState.Completed, await h.StateAsync(child.Id));
        Assert.Equal(["afterCall"], await h.OpenTaskIdsAsync(parent.Id));
    }

    [Fact]
    public async Task ChildErrorEnd_PropagatesToBoundaryOnCallActivity()
    {
        await using var h = await StartAsync();
        var parent = await h.StartProcessAsync("parentOfFailing");
        var child = await ChildOfAsync(h, parent.Id);

        await h.CompleteAsync(child.Id, "review");

        Assert.Equal(["childFailed"], await h.OpenTaskIdsAsync(parent.Id));
        Assert.NotEqual(InstanceState.Active, await h.StateAsync(child.Id));
    }

    [Fact]
    public async Task ChildCancelledDirectly_ParentIsCancelledToo()
    {
        // Camunda 7: deleting a called instance propagates to its call activity and the caller, which would
        // otherwise wait forever for a child that never returns.
        await using var h = await StartAsync();
        var parent = await h.StartProcessAsync("parentLatest", new { amount = 10m });
        var child = await ChildOfAsync(h, parent.Id);

        await h.Engine.CancelInstanceAsync(child.Id, "withdrawn");

        Assert.Equal((InstanceState.Cancelled, InstanceState.Cancelled), (await h.StateAsync(child.Id), await h.StateAsync(parent.Id)));
    }

    [Fact]
    public async Task ParentCancelled_ChildIsCancelledToo()
    {
        await using var h = await StartAsync();
        var parent = await h.StartProcessAsync("parentLatest", new { amount = 10m });
        var child = await ChildOfAsync(h, parent.Id);

        await h.Engine.CancelInstanceAsync(parent.Id, "withdrawn");

        Assert.Equal(InstanceState.Cancelled, await h.StateAsync(child.Id));
        Assert.Empty(await h.OpenTasksAsync(child.Id));
    }

    [Fact]
    public async Task ChildTerminateEnd_EndsOnlyChildAndParentContinues()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/terminatingChild.bpmn");
        var parent = await h.StartProcessAsync("parentOfTerminating");
        var child = await ChildOfAsync(h, parent.Id);

        await h.CompleteAsync(child.Id, "decide");

        Assert.Empty(await h.OpenTasksAsync(child.Id));
        Assert.Equal(["afterCall"], await h.OpenTaskIdsAsync(parent.Id));
    }

    [Fact]
    public async Task InterruptingTimerOnCallActivity_Fires_CancelsChildInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/terminatingChild.bpmn");
        var parent = await h.StartProcessAsync("parentOfTerminating");
        var child = await ChildOfAsync(h, parent.Id);

        await h.AdvanceAsync(TimeSpan.FromDays(2));

        Assert.Equal(["late"], await h.OpenTaskIdsAsync(parent.Id));
        Assert.Equal(InstanceState.Cancelled, await h.StateAsync(child.Id));
        Assert.Empty(await h.OpenTasksAsync(child.Id));
    }

    [Fact]
    public async Task InstanceIds_ReadsExactlyTheNamedInstances_InOneQuery()
    {
        await using var h = await StartAsync();
        var first = await h.StartProcessAsync("parentLatest", new { amount = 1m });
        var second = await h.StartProcessAsync("parentLatest", new { amount = 2m });
        var child = await ChildOfAsync(h, first.Id);

        var read = await h.Engine.GetInstancesAsync(new InstanceQuery { InstanceIds = [child.Id, second.Id, Guid.NewGuid()] });

        Assert.Equal(new[] { child.Id, second.Id }.Order(), read.Select(i => i.Id).Order());
        Assert.Equal(first.Id, Assert.Single(read, i => i.Id == child.Id).ParentInstanceId);
        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery { InstanceIds = [] }));
        Assert.Equal([child.Id], (await h.Engine.GetInstancesAsync(new InstanceQuery { InstanceIds = [child.Id, second.Id], ParentInstanceId = first.Id })).Select(i => i.Id));
    }
}
