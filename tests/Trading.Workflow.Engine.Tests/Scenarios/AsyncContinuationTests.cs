using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class AsyncContinuationTests
{
    [Fact]
    public async Task AsyncServiceTask_Start_ReturnsBeforeHandlerRunsAndLeavesAJob()
    {
        var handler = TestHandlers.Noop("calcFee");
        await using var h = await EngineTestHost.ScenarioAsync("tasks/asyncService.bpmn", handler);

        var instance = await h.StartProcessAsync("asyncService");

        Assert.Equal(0, handler.Calls);
        Assert.Equal("calc", Assert.Single(await h.Engine.GetJobsAsync(instance.Id)).ElementId);
        Assert.Empty(await h.OpenTasksAsync(instance.Id));
    }

    [Fact]
    public async Task AsyncServiceTask_JobExecuted_RunsHandlerOnceAndContinues()
    {
        var handler = TestHandlers.Noop("calcFee");
        await using var h = await EngineTestHost.ScenarioAsync("tasks/asyncService.bpmn", handler);
        var instance = await h.StartProcessAsync("asyncService");

        await h.RunJobsAsync();

        Assert.Equal(1, handler.Calls);
        Assert.Equal(["check"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await h.Engine.GetJobsAsync(instance.Id));
    }

    [Fact]
    public async Task AsyncFailingHandler_FirstFailure_KeepsJobWithOneRetryLess()
    {
        var handler = new DelegateHandler("flaky", (ServiceTaskContext _) => throw new InvalidOperationException("bank timeout"));
        await using var h = await EngineTestHost.ScenarioAsync("tasks/asyncFlaky.bpmn", handler);
        var instance = await h.StartProcessAsync("asyncFlaky");
        var job = Assert.Single(await h.Engine.GetJobsAsync(instance.Id));

        var result = await h.Engine.ExecuteJobAsync(job.Id);

        Assert.Equal(JobExecutionOutcome.FailedWillRetry, result.Outcome);
        var after = Assert.Single(await h.Engine.GetJobsAsync(instance.Id));
        Assert.Equal(job.RetriesLeft - 1, after.RetriesLeft);
        Assert.Contains("bank timeout", after.LastError);
        Assert.Empty(await h.Engine.GetIncidentsAsync(instance.Id));
    }

    [Fact]
    public async Task AsyncFailingHandler_ASweepThatListedTheJobBeforeItFailed_DoesNotRunItAgainBeforeTheRetryDelay()
    {
        var calls = 0;
        var handler = new DelegateHandler("flaky", (ServiceTaskContext _) =>
        {
            calls++;
            throw new InvalidOperationException("bank timeout");
        });
        await using var h = await EngineTestHost.ScenarioAsync(["tasks/asyncFlaky.bpmn"], [handler], o => o.JobRetryDelay = TimeSpan.FromHours(1));
        var instance = await h.StartProcessAsync("asyncFlaky");
        var job = Assert.Single(await h.Engine.GetJobsAsync(instance.Id));
        var listedAt = h.Clock.GetUtcNow();

        // Another executor (the scheduler, another node) ran the attempt after the sweep listed the job as due.
        Assert.Equal(JobExecutionOutcome.FailedWillRetry, (await h.Engine.ExecuteJobAsync(job.Id)).Outcome);
        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await ((WorkflowEngine)h.Engine).ExecuteJobAsync(job.Id, listedAt, CancellationToken.None));

        Assert.Equal(1, calls);
        Assert.Equal(job.RetriesLeft - 1, Assert.Single(await h.Engine.GetJobsAsync(instance.Id)).RetriesLeft);
        Assert.Equal(0, await h.Engine.ExecuteDueJobsAsync());
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task AsyncFailingHandler_RetriesExhausted_OpensIncidentAndOtherInstancesStillRun()
    {
        var handler = new DelegateHandler("flaky", (ServiceTaskContext c) =>
        {
            if (c.BusinessKey == "bad")
            {
                throw new InvalidOperationException("bank timeout");
            }
        });
        await using var h = await EngineTestHost.ScenarioAsync(["tasks/asyncFlaky.bpmn"], [handler], o => o.DefaultJobRetries = 2);
        var bad = await h.StartProcessAsync("asyncFlaky", businessKey: "bad");
        var good = await h.StartProcessAsync("asyncFlaky", businessKey: "good");

        for (var round = 0; round < 3; round++)
        {
            await h.Engine.ExecuteDueJobsAsync();
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(await h.Engine.GetIncidentsAsync(bad.Id));
        Assert.Equal(["check"], await h.OpenTaskIdsAsync(good.Id));
    }

    [Fact]
    public async Task IncidentJob_RetriedAfterFix_RunsAndResolvesIncident()
    {
        var fail = true;
        var handler = new DelegateHandler("flaky", (ServiceTaskContext _) =>
        {
            if (fail)
            {
                throw new InvalidOperationException("bank timeout");
            }
        });
        await using var h = await EngineTestHost.ScenarioAsync(["tasks/asyncFlaky.bpmn"], [handler], o => o.DefaultJobRetries = 1);
        var instance = await h.StartProcessAsync("asyncFlaky");
        var job = Assert.Single(await h.Engine.GetJobsAsync(instance.Id));
        await h.Engine.ExecuteJobAsync(job.Id);

        fail = false;
        await h.Engine.RetryJobAsync(job.Id);
        await h.RunJobsAsync();

        Assert.Equal(["check"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.All(await h.Engine.GetIncidentsAsync(instance.Id), i => Assert.NotNull(i.ResolvedAt));
    }

    [Fact]
    public async Task SuspendedInstance_DueJobs_AreSkippedUntilResume()
    {
        var handler = TestHandlers.Noop("calcFee");
        await using var h = await EngineTestHost.ScenarioAsync("tasks/asyncService.bpmn", handler);
        var instance = await h.StartProcessAsync("asyncService");
        await h.Engine.SuspendInstanceAsync(instance.Id);

        await h.RunJobsAsync();
        var callsWhileSuspended = handler.Calls;
        await h.Engine.ResumeInstanceAsync(instance.Id);
        await h.RunJobsAsync();

        Assert.Equal(0, callsWhileSuspended);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(["check"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task CancelledInstance_PendingJobIsRemovedAndNeverRuns()
    {
        var handler = TestHandlers.Noop("calcFee");
        await using var h = await EngineTestHost.ScenarioAsync("tasks/asyncService.bpmn", handler);
        var instance = await h.StartProcessAsync("asyncService");

        await h.Engine.CancelInstanceAsync(instance.Id);
        await h.RunJobsAsync();

        Assert.Empty(await h.Engine.GetJobsAsync(instance.Id));
        Assert.Equal(0, handler.Calls);
    }
}
