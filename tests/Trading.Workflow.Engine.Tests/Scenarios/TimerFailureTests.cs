using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>A timer whose firing fails for good becomes an incident on its instance, as an async job does (issue 15, point 3).</summary>
public sealed class TimerFailureTests
{
    [Fact]
    public async Task FireDueTimers_FiringThatFailsForGood_OpensAFailedTimerIncidentAndDoesNotThrow()
    {
        await using var h = await EngineTestHost.ScenarioAsync("timer-failures/catchThenBadCondition.bpmn");
        var instance = await h.StartProcessAsync("catchThenBadCondition");

        await h.AdvanceAsync(TimeSpan.FromHours(1));

        var incident = Assert.Single(await h.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal(("failedTimer", "wait"), (incident.Type, incident.ElementId));
        Assert.Contains("approved", incident.Message, StringComparison.Ordinal);
        Assert.Empty(await h.TimersAsync(instance.Id));
        Assert.Equal(InstanceState.Active, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task FireTimerIfDue_AfterTheIncident_TheTimerIsNoLongerFiredOrDue()
    {
        await using var h = await EngineTestHost.ScenarioAsync("timer-failures/catchThenBadCondition.bpmn");
        var instance = await h.StartProcessAsync("catchThenBadCondition");
        var timer = Assert.Single(await h.TimersAsync(instance.Id));
        h.Clock.Advance(TimeSpan.FromHours(1));

        var first = await h.Engine.FireTimerIfDueAsync(timer.Id);
        var second = await h.Engine.FireTimerIfDueAsync(timer.Id);

        Assert.Equal(TimerFireOutcome.IncidentOpened, first.Outcome);
        Assert.IsType<UnknownVariableException>(first.Error);
        Assert.Equal(TimerFireOutcome.Withdrawn, second.Outcome);
        Assert.Equal(0, await h.Engine.FireDueTimersAsync());
        Assert.Single(await h.Engine.GetIncidentsAsync(instance.Id));
    }

    [Fact]
    public async Task RetryJob_OnTheTimerIncident_FiresTheTimersEventAndResolvesTheIncident()
    {
        await using var h = await EngineTestHost.ScenarioAsync("timer-failures/catchThenBadCondition.bpmn");
        var instance = await h.StartProcessAsync("catchThenBadCondition");
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        var incident = Assert.Single(await h.Engine.GetIncidentsAsync(instance.Id));

        await h.Engine.RetryJobAsync(incident.JobId!.Value, variables: new Dictionary<string, object?> { ["approved"] = true }, userId: "admin");
        await h.RunJobsAsync();

        Assert.Equal(["approved"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await h.Engine.GetIncidentsAsync(instance.Id));
        Assert.Empty(await h.Engine.GetJobsAsync(instance.Id));
    }

    [Fact]
    public async Task FireTimerIfDue_TimerNotYetDue_ChangesNothingAndSaysWhenItIsDue()
    {
        await using var h = await EngineTestHost.ScenarioAsync("timer-failures/catchThenBadCondition.bpmn");
        var instance = await h.StartProcessAsync("catchThenBadCondition");
        var timer = Assert.Single(await h.TimersAsync(instance.Id));
        var before = await h.SnapshotAsync(instance.Id);

        var result = await h.Engine.FireTimerIfDueAsync(timer.Id, TimeSpan.FromMinutes(59));

        Assert.Equal((TimerFireOutcome.NotYetDue, timer.Due), (result.Outcome, result.Due));
        Assert.Equal(before, await h.SnapshotAsync(instance.Id));
    }

    [Fact]
    public async Task BoundaryTimerIncident_WhenTheTaskIsCompletedMeanwhile_GoesWithTheTask()
    {
        await using var h = await EngineTestHost.ScenarioAsync("timer-failures/boundaryThenBadCondition.bpmn");
        var instance = await h.StartProcessAsync("boundaryThenBadCondition");
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Single(await h.Engine.GetJobsAsync(instance.Id));

        await h.CompleteAsync(instance.Id, "work");

        Assert.Equal(InstanceState.Completed, await h.StateAsync(instance.Id));
        Assert.Empty(await h.Engine.GetJobsAsync(instance.Id));
    }

    [Fact]
    public async Task OpenTimerIncident_OnAPendingTimer_TurnsItIntoAFailedJobWithAnIncident()
    {
        await using var h = await EngineTestHost.ScenarioAsync("timer-failures/boundaryThenBadCondition.bpmn");
        var instance = await h.StartProcessAsync("boundaryThenBadCondition");
        var timer = Assert.Single(await h.TimersAsync(instance.Id));

        Assert.True(await h.Engine.OpenTimerIncidentAsync(timer.Id, "SMS gateway unreachable 10 times"));

        Assert.Empty(await h.TimersAsync(instance.Id));
        var job = Assert.Single(await h.Engine.GetJobsAsync(instance.Id));
        var incident = Assert.Single(await h.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal((job.Id, "deadline", "SMS gateway unreachable 10 times"), (incident.JobId, incident.ElementId, incident.Message));
        Assert.False(await h.Engine.OpenTimerIncidentAsync(timer.Id, "again"));
    }
}
