using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

/// <summary>
/// What a durable store relies on: handlers see the session's transaction, and a failed command never commits. Runs on
/// the in-memory store here and, compiled into the persistence tests, on SQLite and PostgreSQL (the host's store behind
/// a counting decorator).
/// </summary>
public sealed class StoreContractTests
{
    [Fact]
    public async Task Handler_SeesTheSessionTransactionAndSharedItems()
    {
        TransactionalStore store = null!;
        var handler = new TransactionProbe();
        await using var h = await StartAsync(handler, inner => store = new TransactionalStore(inner));

        await h.StartProcessAsync("benchmark", new { input = 80m });

        Assert.NotNull(handler.SeenTransaction);
        Assert.Same(store.LastTransaction, handler.SeenTransaction);
        Assert.Equal("set by probe", handler.SeenItem);
    }

    [Fact]
    public async Task FailingCommand_NeverReachesCommit()
    {
        TransactionalStore store = null!;
        await using var h = await StartAsync(new TransactionProbe { Fail = true }, inner => store = new TransactionalStore(inner));
        var commitsAfterDeploy = store.Commits;

        await Assert.ThrowsAsync<WorkflowHandlerException>(() => h.StartProcessAsync("benchmark"));

        Assert.Equal(commitsAfterDeploy, store.Commits);
        Assert.Equal(1, store.DisposedWithoutCommit);
        Assert.Empty(await h.Engine.GetInstancesAsync(new InstanceQuery { ProcessId = "benchmark" }));
    }

    [Fact]
    public async Task Commit_CarriesEndedTasksAndHistoryOfTheCommand()
    {
        TransactionalStore store = null!;
        await using var h = await StartAsync(new TransactionProbe(), inner => store = new TransactionalStore(inner));
        var instance = await h.StartProcessAsync("benchmark", new { input = 80m });
        var task = (await h.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }))[0];

        await h.Engine.CompleteTaskAsync(task.Id, userId: "alice");

        var change = store.LastChanges!;
        Assert.Equal(task.Id, Assert.Single(change.EndedTasks).Id);
        Assert.Equal(1, Assert.Single(change.Instances).ExpectedVersion);
        Assert.Contains(change.History, e => e.Type == HistoryEventType.TaskCompleted && e.UserId == "alice");
    }

    private static Task<EngineTestHost> StartAsync(TransactionProbe probe, Func<IWorkflowStore, IWorkflowStore> wrapStore) =>
        EngineTestHost.StartAsync(["benchmark.bpmn"], b => b.AddHandler(probe), wrapStore: wrapStore);

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

    /// <summary>
    /// The host's store behind sessions that count commits and remember their transaction: the store's own (SQLite,
    /// PostgreSQL), or a stand-in where the store has none (in memory).
    /// </summary>
    private sealed class TransactionalStore(IWorkflowStore inner) : ForwardingStore(inner)
    {
        public ICommandTransaction? LastTransaction { get; set; }

        public WorkflowChangeSet? LastChanges { get; set; }

        public int Commits { get; set; }

        public int DisposedWithoutCommit { get; set; }

        public override async ValueTask<IWorkflowSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
            new Session(this, await base.OpenSessionAsync(cancellationToken));

        private sealed class Session(TransactionalStore store, IWorkflowSession inner) : ForwardingSession(inner)
        {
            private bool _committed;
            private ICommandTransaction? _transaction;

            public override async ValueTask<ICommandTransaction?> GetTransactionAsync(CancellationToken cancellationToken = default)
            {
                _transaction ??= await base.GetTransactionAsync(cancellationToken) ?? new FakeTransaction();
                store.LastTransaction = _transaction;
                return _transaction;
            }

            public override async ValueTask CommitAsync(WorkflowChangeSet changes, CancellationToken cancellationToken = default)
            {
                await base.CommitAsync(changes, cancellationToken);
                _committed = true;
                store.Commits++;
                store.LastChanges = changes;
            }

            public override async ValueTask DisposeAsync()
            {
                if (!_committed && _transaction is not null && _transaction == store.LastTransaction)
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
