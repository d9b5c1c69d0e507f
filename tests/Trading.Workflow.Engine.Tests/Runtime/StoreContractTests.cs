using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

/// <summary>What a durable store relies on: handlers see the session's transaction, and a failed command never commits.</summary>
public sealed class StoreContractTests
{
    [Fact]
    public async Task Handler_SeesTheSessionTransactionAndSharedItems()
    {
        var store = new TransactionalStore();
        var handler = new TransactionProbe();
        await using var provider = Build(store, handler);
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn", "benchmark.bpmn")));

        await engine.StartAsync("benchmark", variables: new Dictionary<string, object?> { ["input"] = 80m });

        Assert.Same(store.LastTransaction, handler.SeenTransaction);
        Assert.Equal("set by probe", handler.SeenItem);
    }

    [Fact]
    public async Task FailingCommand_NeverReachesCommit()
    {
        var store = new TransactionalStore();
        await using var provider = Build(store, new TransactionProbe { Fail = true });
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn", "benchmark.bpmn")));
        var commitsAfterDeploy = store.Commits;

        await Assert.ThrowsAsync<WorkflowHandlerException>(() => engine.StartAsync("benchmark").AsTask());

        Assert.Equal(commitsAfterDeploy, store.Commits);
        Assert.Equal(1, store.DisposedWithoutCommit);
    }

    [Fact]
    public async Task Commit_CarriesEndedTasksAndHistoryOfTheCommand()
    {
        var store = new TransactionalStore();
        await using var provider = Build(store, new TransactionProbe());
        var engine = provider.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn", "benchmark.bpmn")));
        var instance = await engine.StartAsync("benchmark", variables: new Dictionary<string, object?> { ["input"] = 80m });
        var task = (await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }))[0];

        await engine.CompleteTaskAsync(task.Id, userId: "alice");

        var change = store.LastChanges!;
        Assert.Equal(task.Id, Assert.Single(change.EndedTasks).Id);
        Assert.Equal(1, Assert.Single(change.Instances).ExpectedVersion);
        Assert.Contains(change.History, e => e.Type == HistoryEventType.TaskCompleted && e.UserId == "alice");
    }

    private static ServiceProvider Build(TransactionalStore store, TransactionProbe probe)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IWorkflowStore>(store);
        services.AddWorkflowEngine().AddHandler(probe);
        return services.BuildServiceProvider();
    }

    private sealed class TransactionProbe : IServiceTaskHandler
    {
        public bool Fail { get; init; }

        public object? SeenTransaction { get; private set; }

        public object? SeenItem { get; private set; }

        public string Name => "record";

        public string Description => "Looks at the transaction (tests)";

        public ValueTask ExecuteAsync(ServiceTaskContext context)
        {
            SeenTransaction = context.Transaction;
            context.Items["probe"] = "set by probe";
            SeenItem = context.Items["probe"];
            context.SetVariable("score", 80m);
            return Fail ? throw new InvalidOperationException("domain write failed") : ValueTask.CompletedTask;
        }
    }

    /// <summary>The in-memory store behind sessions that carry a transaction object and count commits.</summary>
    private sealed class TransactionalStore : IWorkflowStore
    {
        private readonly InMemoryWorkflowStore _inner = new();

        public object? LastTransaction { get; private set; }

        public WorkflowChangeSet? LastChanges { get; set; }

        public int Commits { get; set; }

        public int DisposedWithoutCommit { get; set; }

        public async ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default)
        {
            LastTransaction = new object();
            return new Session(this, await _inner.OpenSessionAsync(cancellationToken), LastTransaction);
        }

        public ValueTask<UserTaskInfo?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken = default) => _inner.GetTaskAsync(taskId, cancellationToken);

        public ValueTask<IReadOnlyList<UserTaskInfo>> GetOpenTasksForUserAsync(string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default) => _inner.GetOpenTasksForUserAsync(userId, roles, cancellationToken);

        public ValueTask<IReadOnlyList<UserTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) => _inner.QueryTasksAsync(query, cancellationToken);

        public ValueTask<ProcessInstanceInfo?> GetInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default) => _inner.GetInstanceAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<ProcessInstanceInfo>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) => _inner.QueryInstancesAsync(query, cancellationToken);

        public ValueTask<IReadOnlyDictionary<string, object?>?> GetVariablesAsync(Guid instanceId, CancellationToken cancellationToken = default) => _inner.GetVariablesAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(Guid instanceId, CancellationToken cancellationToken = default) => _inner.GetHistoryAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<TimerInfo>> GetTimersAsync(Guid? instanceId, CancellationToken cancellationToken = default) => _inner.GetTimersAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<JobInfo>> GetJobsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => _inner.GetJobsAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<EventSubscriptionInfo>> GetSubscriptionsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => _inner.GetSubscriptionsAsync(instanceId, cancellationToken);

        public ValueTask<IReadOnlyList<IncidentInfo>> GetIncidentsAsync(Guid? instanceId, CancellationToken cancellationToken = default) => _inner.GetIncidentsAsync(instanceId, cancellationToken);

        private sealed class Session(TransactionalStore store, IWorkflowSession inner, object transaction) : IWorkflowSession
        {
            private bool _committed;

            public object? Transaction => transaction;

            public ValueTask<ProcessInstanceRecord?> LoadInstanceAsync(Guid instanceId, CancellationToken cancellationToken = default) => inner.LoadInstanceAsync(instanceId, cancellationToken);

            public ValueTask<TaskLocation?> FindTaskAsync(Guid taskId, CancellationToken cancellationToken = default) => inner.FindTaskAsync(taskId, cancellationToken);

            public ValueTask<TimerLocation?> FindTimerAsync(Guid timerId, CancellationToken cancellationToken = default) => inner.FindTimerAsync(timerId, cancellationToken);

            public ValueTask<Guid?> FindJobInstanceAsync(Guid jobId, CancellationToken cancellationToken = default) => inner.FindJobInstanceAsync(jobId, cancellationToken);

            public ValueTask<IReadOnlyList<SubscriptionRecord>> FindSubscriptionsAsync(EventKind kind, string eventName, string? correlationKey, string? businessKey, CancellationToken cancellationToken = default) =>
                inner.FindSubscriptionsAsync(kind, eventName, correlationKey, businessKey, cancellationToken);

            public ValueTask<IReadOnlyList<TimerInfo>> FindDueTimersAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => inner.FindDueTimersAsync(now, max, cancellationToken);

            public ValueTask<IReadOnlyList<JobInfo>> FindDueJobsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => inner.FindDueJobsAsync(now, max, cancellationToken);

            public async ValueTask CommitAsync(WorkflowChangeSet changes, CancellationToken cancellationToken = default)
            {
                await inner.CommitAsync(changes, cancellationToken);
                _committed = true;
                store.Commits++;
                store.LastChanges = changes;
            }

            public async ValueTask DisposeAsync()
            {
                if (!_committed && transaction == store.LastTransaction)
                {
                    store.DisposedWithoutCommit++;
                }

                await inner.DisposeAsync();
            }
        }
    }
}
