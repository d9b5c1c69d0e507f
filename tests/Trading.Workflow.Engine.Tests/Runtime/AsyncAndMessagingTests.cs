using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class AsyncAndMessagingTests
{
    private static Task<EngineTestHost> AsyncHostAsync(FlakyHandler handler, RecordingScheduler? scheduler = null) =>
        EngineTestHost.StartAsync(["async.bpmn"], b =>
        {
            b.AddHandler(handler);
            if (scheduler is not null)
            {
                b.Services.AddSingleton<IWorkflowCommitObserver>(scheduler);
            }
        });

    [Fact]
    public async Task AsyncBefore_CreatesJobAndDoesNotRunHandlerInStartCommand()
    {
        var handler = new FlakyHandler();
        await using var host = await AsyncHostAsync(handler);

        var instance = await host.StartAsync("async");

        Assert.Equal(0, handler.Calls);
        Assert.Single(await host.Engine.GetJobsAsync(instance.Id));
        Assert.Equal(["other"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ExecuteJob_RunsHandlerAndContinues()
    {
        var handler = new FlakyHandler();
        await using var host = await AsyncHostAsync(handler);
        var instance = await host.StartAsync("async");
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));

        var result = await host.Engine.ExecuteJobAsync(job.Id);

        Assert.Equal(JobExecutionOutcome.Succeeded, result.Outcome);
        Assert.Equal(["afterRemote", "other"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Empty(await host.Engine.GetJobsAsync(instance.Id));
    }

    [Fact]
    public async Task OneAttempt_RunTwiceAtOnce_CountsItsFailureOnce()
    {
        // A scheduler and a caller (or two nodes) run the same due job at once, and both runs fail: one attempt.
        var handler = new FailTogetherHandler(2);
        await using var host = await EngineTestHost.StartAsync(["async.bpmn"], b => b.AddHandler(handler));
        var instance = await host.StartAsync("async");
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));

        var results = await Task.WhenAll(
            Task.Run(() => host.Engine.ExecuteJobAsync(job.Id).AsTask()),
            Task.Run(() => host.Engine.ExecuteJobAsync(job.Id).AsTask()));

        Assert.Equal(2, handler.Calls);
        Assert.All(results, r => Assert.Equal(JobExecutionOutcome.FailedWillRetry, r.Outcome));
        Assert.Equal(job.RetriesLeft - 1, Assert.Single(await host.Engine.GetJobsAsync(instance.Id)).RetriesLeft);
    }

    /// <summary>Fails once the given number of runs are inside it together.</summary>
    private sealed class FailTogetherHandler(int together) : IServiceTaskHandler
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "flaky";

        public string Description => "Fails when runs meet (tests)";

        public async ValueTask ExecuteAsync(ServiceTaskContext context)
        {
            if (Interlocked.Increment(ref _calls) == together)
            {
                _all.SetResult();
            }

            await _all.Task.WaitAsync(TimeSpan.FromSeconds(10));
            throw new InvalidOperationException("remote system unavailable");
        }
    }

    [Fact]
    public async Task FailingJob_RetriesThenOpensIncident_OtherBranchKeepsRunning()
    {
        var handler = new FlakyHandler { FailuresLeft = 10 };
        await using var host = await AsyncHostAsync(handler);
        var instance = await host.StartAsync("async");
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));

        var outcomes = new List<JobExecutionOutcome>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add((await host.Engine.ExecuteJobAsync(job.Id)).Outcome);
        }

        Assert.Equal([JobExecutionOutcome.FailedWillRetry, JobExecutionOutcome.FailedWillRetry, JobExecutionOutcome.FailedIncidentOpened], outcomes);
        var incident = Assert.Single(await host.Engine.GetIncidentsAsync(instance.Id));
        Assert.Equal("callRemote", incident.ElementId);
        Assert.Contains("remote system unavailable", incident.Message);
        await host.CompleteAsync(instance.Id, "other");
        Assert.Equal(InstanceState.Active, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task FailedJob_KeepsNoPartialEffects()
    {
        var handler = new FlakyHandler { FailuresLeft = 1 };
        await using var host = await AsyncHostAsync(handler);
        var instance = await host.StartAsync("async");
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));

        await host.Engine.ExecuteJobAsync(job.Id);

        var retried = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));
        Assert.Equal(2, retried.RetriesLeft);
        Assert.Equal(EngineTestHost.StartTime + TimeSpan.FromSeconds(10), retried.Due);
        Assert.Equal(["other"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task RetryJob_AfterIncident_ResolvesIncidentAndSucceeds()
    {
        var handler = new FlakyHandler { FailuresLeft = 3 };
        await using var host = await AsyncHostAsync(handler);
        var instance = await host.StartAsync("async");
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));
        for (var i = 0; i < 3; i++)
        {
            await host.Engine.ExecuteJobAsync(job.Id);
        }

        await host.Engine.RetryJobAsync(job.Id, 1, "admin");
        var result = await host.Engine.ExecuteJobAsync(job.Id);

        Assert.Equal(JobExecutionOutcome.Succeeded, result.Outcome);
        Assert.Empty(await host.Engine.GetIncidentsAsync(instance.Id));
        Assert.Contains(await host.Engine.GetHistoryAsync(instance.Id), e => e.Type == HistoryEventType.IncidentResolved);
    }

    private static async Task<(EngineTestHost Host, Guid InstanceId, Guid JobId)> IncidentAsync()
    {
        var host = await AsyncHostAsync(new FlakyHandler { FailuresLeft = 3 });
        var instance = await host.StartAsync("async", new { endpoint = "primary" });
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));
        for (var i = 0; i < 3; i++)
        {
            await host.Engine.ExecuteJobAsync(job.Id);
        }

        return (host, instance.Id, job.Id);
    }

    [Fact]
    public async Task RetryJob_WithVariables_SetsThemAndRecordsChangesAndActionWithUser()
    {
        var (host, instanceId, jobId) = await IncidentAsync();
        await using var _ = host;

        await host.Engine.RetryJobAsync(jobId, 1, "admin", EngineTestHost.Vars(new { endpoint = "backup" }));
        await host.Engine.ExecuteJobAsync(jobId);

        Assert.Equal("backup", (await host.VariablesAsync(instanceId))["endpoint"]);
        Assert.Empty(await host.Engine.GetIncidentsAsync(instanceId));
        var history = await host.Engine.GetHistoryAsync(instanceId);
        var change = Assert.Single(history, e => e.Type == HistoryEventType.VariableUpdated && e.VariableName == "endpoint");
        Assert.Equal(("admin", "primary", "backup"), (change.UserId, change.OldValue, change.NewValue));
        Assert.Contains(history, e => e.Type == HistoryEventType.AdminAction && e.UserId == "admin" && e.Details!.Contains("endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetryJob_WithReason_RecordsItInTheAdminAction()
    {
        var (host, instanceId, jobId) = await IncidentAsync();
        await using var _ = host;

        await host.Engine.RetryJobAsync(jobId, 1, "admin", reason: "bank line restored");

        Assert.Contains(await host.Engine.GetHistoryAsync(instanceId), e => e.Type == HistoryEventType.AdminAction && e.Details!.EndsWith(": bank line restored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetryJob_WithVariables_WhenJobWasRetriedAlready_ThrowsConflictAndChangesNoVariable()
    {
        var (host, instanceId, jobId) = await IncidentAsync();
        await using var _ = host;
        await host.Engine.RetryJobAsync(jobId, 1, "first-admin");

        await Assert.ThrowsAsync<WorkflowConflictException>(() => host.Engine.RetryJobAsync(jobId, 1, "second-admin", EngineTestHost.Vars(new { endpoint = "backup" })).AsTask());

        Assert.Equal("primary", (await host.VariablesAsync(instanceId))["endpoint"]);
        Assert.DoesNotContain(await host.Engine.GetHistoryAsync(instanceId), e => e.UserId == "second-admin");
    }

    [Fact]
    public async Task RetryJob_WithVariables_WhenInstanceSuspended_ThrowsAndKeepsVariablesAndIncident()
    {
        var (host, instanceId, jobId) = await IncidentAsync();
        await using var _ = host;
        await host.Engine.SuspendInstanceAsync(instanceId, "investigating", "admin");

        await Assert.ThrowsAsync<InstanceSuspendedException>(() => host.Engine.RetryJobAsync(jobId, 1, "admin", EngineTestHost.Vars(new { endpoint = "backup" })).AsTask());

        Assert.Equal("primary", (await host.VariablesAsync(instanceId))["endpoint"]);
        Assert.Single(await host.Engine.GetIncidentsAsync(instanceId));
        Assert.Equal(0, Assert.Single(await host.Engine.GetJobsAsync(instanceId)).RetriesLeft);
    }

    [Fact]
    public async Task RetryJob_WithAnInvalidVariableAfterAValidOne_ChangesNothing()
    {
        var (host, instanceId, jobId) = await IncidentAsync();
        await using var _ = host;
        var variables = new Dictionary<string, object?> { ["endpoint"] = "backup", ["broken"] = new object() };

        await Assert.ThrowsAsync<InvalidVariableException>(() => host.Engine.RetryJobAsync(jobId, 1, "admin", variables).AsTask());

        Assert.Equal("primary", (await host.VariablesAsync(instanceId))["endpoint"]);
        Assert.Single(await host.Engine.GetIncidentsAsync(instanceId));
        Assert.Equal(0, Assert.Single(await host.Engine.GetJobsAsync(instanceId)).RetriesLeft);
    }

    [Fact]
    public async Task Schedulers_HearOfJobsAfterCommitOnly()
    {
        var scheduler = new RecordingScheduler();
        await using var host = await AsyncHostAsync(new FlakyHandler(), scheduler);

        var instance = await host.StartAsync("async");
        var job = Assert.Single(await host.Engine.GetJobsAsync(instance.Id));
        await host.Engine.ExecuteJobAsync(job.Id);

        Assert.Equal([job.Id], scheduler.ScheduledJobs);
        Assert.Equal([job.Id], scheduler.RemovedJobs);
    }

    [Fact]
    public async Task CommitObserver_ThatThrows_FailsNoCommandAndTheNextObserverStillHears()
    {
        var scheduler = new RecordingScheduler();
        await using var host = await EngineTestHost.StartAsync(["async.bpmn"], b =>
        {
            b.AddHandler(new FlakyHandler());
            b.Services.AddSingleton<IWorkflowCommitObserver>(new ThrowingObserver());
            b.Services.AddSingleton<IWorkflowCommitObserver>(scheduler);
        });

        var before = scheduler.Commits;
        var instance = await host.StartAsync("async");

        Assert.Equal((1, InstanceState.Active), (scheduler.Commits - before, instance.State));
        Assert.Equal([Assert.Single(await host.Engine.GetJobsAsync(instance.Id)).Id], scheduler.ScheduledJobs);
    }

    [Fact]
    public async Task CommitObserver_FailedCommand_IsNotTold()
    {
        var scheduler = new RecordingScheduler();
        await using var host = await AsyncHostAsync(new FlakyHandler(), scheduler);

        var before = scheduler.Commits;

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.Engine.CorrelateMessageAsync(new MessageCorrelation("nobody-waits")).AsTask());

        Assert.Equal(before, scheduler.Commits);
    }

    [Fact]
    public async Task MessageStartEvent_StartsInstanceWithBusinessKey()
    {
        await using var host = await EngineTestHost.StartAsync("messages.bpmn");

        var result = await host.Engine.CorrelateMessageAsync(new MessageCorrelation("orderReceived") { BusinessKey = "ORD-1", Variables = EngineTestHost.Vars(new { orderNo = "N-7" }) });

        var instance = await host.InstanceAsync(Assert.Single(result.StartedInstanceIds));
        Assert.Equal("ORD-1", instance.BusinessKey);
        var subscription = Assert.Single(await host.Engine.GetSubscriptionsAsync(instance.Id));
        Assert.Equal("N-7", subscription.CorrelationKey);
    }

    [Fact]
    public async Task ReceiveTask_CorrelatesByKey_ThenSignalAndTimerContinue()
    {
        await using var host = await EngineTestHost.StartAsync("messages.bpmn");
        var start = await host.Engine.CorrelateMessageAsync(new MessageCorrelation("orderReceived") { Variables = EngineTestHost.Vars(new { orderNo = "N-7" }) });
        var id = start.StartedInstanceIds[0];

        await host.Engine.CorrelateMessageAsync(new MessageCorrelation("payment") { CorrelationKey = "N-7", Variables = EngineTestHost.Vars(new { paid = 99.9m }) });
        await host.Engine.BroadcastSignalAsync("marketOpen");
        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.Engine.FireDueTimersAsync();

        Assert.Equal(["ship"], await host.OpenTaskIdsAsync(id));
        Assert.Equal(99.9m, (await host.VariablesAsync(id))["paid"]);
    }

    [Fact]
    public async Task CorrelateMessage_NobodyWaits_ChineseMessageNamesTheMessageKind()
    {
        await using var host = await EngineTestHost.StartAsync("messages.bpmn");

        var error = await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.Engine.CorrelateMessageAsync(new MessageCorrelation("payment") { CorrelationKey = "N-9" }).AsTask());

        Assert.Equal("未找到消息 payment", error.MessageZh);
    }

    [Fact]
    public async Task CorrelateMessage_WrongKey_ThrowsNotFoundAndChangesNothing()
    {
        await using var host = await EngineTestHost.StartAsync("messages.bpmn");
        var start = await host.Engine.CorrelateMessageAsync(new MessageCorrelation("orderReceived") { Variables = EngineTestHost.Vars(new { orderNo = "N-7" }) });

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.Engine.CorrelateMessageAsync(new MessageCorrelation("payment") { CorrelationKey = "N-8" }).AsTask());

        Assert.Single(await host.Engine.GetSubscriptionsAsync(start.StartedInstanceIds[0]));
    }

    [Fact]
    public async Task SignalThrowEvent_ReachesWaitingInstances()
    {
        await using var host = await EngineTestHost.StartAsync("messages.bpmn");
        var start = await host.Engine.CorrelateMessageAsync(new MessageCorrelation("orderReceived") { Variables = EngineTestHost.Vars(new { orderNo = "N-1" }) });
        var id = start.StartedInstanceIds[0];
        await host.Engine.CorrelateMessageAsync(new MessageCorrelation("payment") { CorrelationKey = "N-1" });

        var thrower = await host.StartAsync("broadcaster");

        Assert.Equal(InstanceState.Completed, thrower.State);
        Assert.Single(await host.Engine.GetTimersAsync(id));
    }
}

internal sealed class RecordingScheduler : IWorkflowCommitObserver
{
    public int Commits { get; private set; }

    public ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken = default)
    {
        Commits++;
        ScheduledTimers.AddRange(commit.ScheduledTimers.Select(t => t.Id));
        RemovedTimers.AddRange(commit.RemovedTimers);
        ScheduledJobs.AddRange(commit.ScheduledJobs.Select(j => j.Id));
        RemovedJobs.AddRange(commit.RemovedJobs);
        return ValueTask.CompletedTask;
    }

    public List<Guid> ScheduledTimers { get; } = [];

    public List<Guid> RemovedTimers { get; } = [];

    public List<Guid> ScheduledJobs { get; } = [];

    public List<Guid> RemovedJobs { get; } = [];
}

internal sealed class ThrowingObserver : IWorkflowCommitObserver
{
    public ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("a broken observer");
}
