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

        public ICommandTransaction? SeenTransaction { get; private set; }

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
    private sealed class TransactionalStore() : ForwardingStore(new InMemoryWorkflowStore())
    {
        public ICommandTransaction? LastTransaction { get; private set; }

        public WorkflowChangeSet? LastChanges { get; set; }

        public int Commits { get; set; }

        public int DisposedWithoutCommit { get; set; }

        public override async ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default)
        {
            LastTransaction = new FakeTransaction();
            return new Session(this, await base.OpenSessionAsync(cancellationToken), LastTransaction);
        }

        private sealed class Session(TransactionalStore store, IWorkflowSession inner, ICommandTransaction transaction) : ForwardingSession(inner)
        {
            private bool _committed;

            public override ValueTask<ICommandTransaction?> GetTransactionAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<ICommandTransaction?>(transaction);

            public override async ValueTask CommitAsync(WorkflowChangeSet changes, CancellationToken cancellationToken = default)
            {
                await base.CommitAsync(changes, cancellationToken);
                _committed = true;
                store.Commits++;
                store.LastChanges = changes;
            }

            public override async ValueTask DisposeAsync()
            {
                if (!_committed && transaction == store.LastTransaction)
                {
                    store.DisposedWithoutCommit++;
                }

                await base.DisposeAsync();
            }
        }
    }

    /// <summary>A transaction identity without a database: the contract only checks it reaches the handler.</summary>
    private sealed class FakeTransaction : ICommandTransaction
    {
        public System.Data.Common.DbConnection Connection => throw new NotSupportedException();

        public System.Data.Common.DbTransaction Transaction => throw new NotSupportedException();
    }
}
