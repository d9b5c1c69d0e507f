using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class ErrorTests
{
    private static Task<EngineTestHost> StartAsync() => EngineTestHost.ScenarioAsync(["errors"], [TestHandlers.Raiser()]);

    [Fact]
    public async Task HandlerError_MatchingCodeOnNearestScope_IsCaughtThere()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("errorScopes", new { code = "E_FUNDS" });

        Assert.Equal(["fundsTask"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task HandlerError_NoMatchingCodeInside_IsCaughtByOuterCatchAll()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("errorScopes", new { code = "E_OTHER" });

        Assert.Equal(["catchAllTask"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task HandlerError_CaughtInside_OuterScopeContinuesNormally()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("errorScopes", new { code = "E_FUNDS" });

        await h.CompleteAsync(instance.Id, "fundsTask");

        Assert.Equal(["done"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task HandlerError_SpecificAndCatchAllOnSameActivity_SpecificWins()
    {
        await using var h = await StartAsync();

        // Flowable ErrorPropagation.getCatchEventFromList: on one activity a boundary with the error code beats a catch-all.
        var instance = await h.StartProcessAsync("errorSpecificBeforeCatchAll", new { code = "E_FUNDS" });

        Assert.Equal(["fundsTask"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task HandlerError_OtherCodeWithCatchAllOnSameActivity_CatchAllCatches()
    {
        await using var h = await StartAsync();

        var instance = await h.StartProcessAsync("errorSpecificBeforeCatchAll", new { code = "E_LATE" });

        Assert.Equal(["catchAllTask"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task UncaughtError_InSynchronousCommand_CommandFailsWithTheCode()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("errorUncaught", new { code = "E_FUNDS" });

        var error = await Assert.ThrowsAsync<BpmnErrorException>(async () => await h.CompleteAsync(instance.Id, "prepare"));

        Assert.Equal("E_FUNDS", error.ErrorCode);
    }

    [Fact]
    public async Task UncaughtError_InSynchronousCommand_LeavesNoTrace()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("errorUncaught", new { code = "E_FUNDS" });
        var before = await h.SnapshotAsync(instance.Id);

        await Assert.ThrowsAsync<BpmnErrorException>(async () => await h.CompleteAsync(instance.Id, "prepare"));

        Assert.Equal(before, await h.SnapshotAsync(instance.Id));
    }

    [Fact]
    public async Task UncaughtError_InAsyncStep_OpensIncidentAndInstanceStaysActive()
    {
        await using var h = await StartAsync();
        var instance = await h.StartProcessAsync("errorUncaughtAsync", new { code = "E_FUNDS" });
        var job = Assert.Single(await h.Engine.GetJobsAsync(instance.Id));
        var outcomes = new List<JobExecutionOutcome>();

        // Issue 3 item 4: an uncaught error of an async step becomes an incident. The engine may retry first
        // (Camunda 7 decrements retries) or open it at once (a business error is deterministic): both are accepted.
        for (var attempt = 0; attempt < 3 && !outcomes.Contains(JobExecutionOutcome.FailedIncidentOpened); attempt++)
        {
            outcomes.Add((await h.Engine.ExecuteJobAsync(job.Id)).Outcome);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(JobExecutionOutcome.FailedIncidentOpened, outcomes[^1]);
        var incident = Assert.Single(await h.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal("pay", incident.ElementId);
        Assert.Contains("E_FUNDS", incident.Message);
        Assert.Equal(InstanceState.Active, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorInSubProcess_EventSubProcessInsideAndBoundaryOutside_InsideHandlerWins()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["extra/errorPrecedence.bpmn"], [TestHandlers.Raiser()]);

        // The error event sub-process is in the scope where the error is thrown, nearer than the sub-process boundary.
        var instance = await h.StartProcessAsync("errorPrecedence", new { code = "E_A" });

        Assert.Equal(["innerHandled"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ErrorInSubProcess_BoundaryOnSubProcessAndProcessEventSubProcess_BoundaryWins()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["extra/errorPrecedence.bpmn"], [TestHandlers.Raiser()]);

        // Propagation goes outwards scope by scope: the boundary of the sub-process comes before the process's handlers.
        var instance = await h.StartProcessAsync("errorPrecedence", new { code = "E_B" });

        Assert.Equal(["boundaryB"], await h.OpenTaskIdsAsync(instance.Id));
    }
}
