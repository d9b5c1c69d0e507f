using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class StartEventTests
{
    [Fact]
    public async Task NoneStart_StartAsync_CreatesActiveInstanceWaitingAtFirstTask()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");

        var instance = await h.StartProcessAsync("startNone", businessKey: "ZB-2026-001");

        Assert.Equal(InstanceState.Active, instance.State);
        Assert.Equal("ZB-2026-001", instance.BusinessKey);
        Assert.Equal(["work"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task NoneStart_LastTaskCompleted_InstanceCompletes()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");

        await h.CompleteAsync(instance.Id, "work");

        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task MessageStart_CorrelatedMessage_StartsInstanceWithBusinessKeyAndVariables()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-message.bpmn");

        var result = await h.Engine.CorrelateMessageAsync(new MessageCorrelation("申请提交")
        {
            BusinessKey = "BK-7",
            Variables = new Dictionary<string, object?> { ["applicant"] = "华信公司" },
        });

        var id = Assert.Single(result.StartedInstanceIds);
        var instance = await h.InstanceAsync(id);
        Assert.Equal("startMessage", instance.ProcessId);
        Assert.Equal("BK-7", instance.BusinessKey);
        Assert.Equal("华信公司", (await h.VariablesAsync(id))["applicant"]);
        Assert.Equal(["handle"], await h.OpenTaskIdsAsync(id));
    }

    [Fact]
    public async Task TimerStartDate_BeforeDueDate_StartsNothing()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-timer-date.bpmn");

        await h.AdvanceAsync(TimeSpan.FromMinutes(119));

        // Unfiltered: no instance of any process started.
        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery()));
        Assert.Single(await h.TimersAsync());
    }

    [Fact]
    public async Task TimerStartDate_AtDueDate_StartsOneInstanceAndRemovesTimer()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-timer-date.bpmn");

        // Due 2026-03-02T03:00Z; the harness clock starts at 01:00Z.
        await h.AdvanceAsync(TimeSpan.FromHours(2));

        var instance = Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "startTimerDate" }));
        Assert.Equal(["work"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await h.TimersAsync());
    }

    [Fact]
    public async Task TimerStartDuration_AfterDurationFromDeployment_StartsOneInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-timer-duration.bpmn");

        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var before = await h.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "startTimerDuration" });
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var after = await h.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "startTimerDuration" });

        Assert.Empty(before);
        Assert.Single(after);
    }

    [Fact]
    public async Task TimerStartCycle_R3PT1H_StartsOneInstancePerHourThreeTimesThenStops()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-timer-cycle.bpmn");
        var counts = new List<int>();

        for (var hour = 1; hour <= 5; hour++)
        {
            await h.AdvanceAsync(TimeSpan.FromHours(1));
            counts.Add((await h.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "startTimerCycle" })).Count);
        }

        Assert.Equal([1, 2, 3, 3, 3], counts);
        Assert.Empty(await h.TimersAsync());
    }

    [Fact]
    public async Task TimerStartCycle_ClockJumpsPastAllRepetitions_FiresEachRepetitionOnce()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-timer-cycle.bpmn");

        await h.AdvanceAsync(TimeSpan.FromHours(10));

        Assert.Equal(3, (await h.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "startTimerCycle" })).Count);
    }

    [Fact]
    public async Task NonExecutableProcess_Start_IsRefusedAndCreatesNoInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("not-executable.bpmn");

        await Assert.ThrowsAnyAsync<WorkflowException>(async () => await h.StartProcessAsync("notExecutable"));

        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery()));
    }

    [Fact]
    public async Task SignalStart_Broadcast_StartsAnInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/signalStart.bpmn");

        await h.Engine.BroadcastSignalAsync("节假日调整");

        var instance = Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "signalStart" }));
        Assert.Equal(["recheck"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Start_WithExplicitVersion_RunsThatVersion()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "child-v2.bpmn"]);

        var instance = await h.Engine.StartAsync(new StartInstanceRequest("child") { Version = 1 });

        Assert.Equal(1, instance.ProcessVersion);
        Assert.Equal(["childTask"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Equal("Child task v1", (await h.SingleTaskAsync(instance.Id, "childTask")).Name);
    }
}
