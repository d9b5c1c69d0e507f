using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Transactions;

/// <summary>A trading-domain row written by a service-task handler.</summary>
public sealed class DomainProject
{
    public required string Id { get; set; }

    public required string Name { get; set; }
}

public sealed class DomainContext(DbContextOptions<DomainContext> options) : DbContext(options)
{
    public DbSet<DomainProject> Projects => Set<DomainProject>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<DomainProject>(e =>
        {
            e.ToTable("domain_projects");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.Name).HasColumnName("name");
        });
}

/// <summary>A handler that writes no rows of its own: it sets a variable and never touches the command's transaction.</summary>
internal sealed class NoRowsHandler : IServiceTaskHandler
{
    public string Name => "registerProject";

    public string Description => "Writes nothing of its own (tests)";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        Assert.NotNull(context.Transaction);
        context.SetVariable("registered", true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Registers the project (business key) in the domain table, through a DbContext or plain SQL, then fails if told to.</summary>
internal sealed class RegisterProjectHandler(bool useDbContext, bool failAfterWrite, Func<WorkflowTransaction, Guid, Task>? afterWrite = null) : IServiceTaskHandler
{
    public string Name => "registerProject";

    public string Description => "Writes a domain row in the command's transaction (tests)";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        var transaction = context.GetWorkflowTransaction();
        if (useDbContext)
        {
            var db = transaction.GetDbContext<DomainContext>(options => new DomainContext(options));
            db.Projects.Add(new DomainProject { Id = context.BusinessKey!, Name = "project " + context.BusinessKey });
            await db.SaveChangesAsync(context.CancellationToken);
        }
        else
        {
            await using var command = transaction.CreateCommand("INSERT INTO domain_projects (id, name) VALUES (@id, @name)");
            var id = command.CreateParameter();
            id.ParameterName = "@id";
            id.Value = context.BusinessKey!;
            command.Parameters.Add(id);
            var name = command.CreateParameter();
            name.ParameterName = "@name";
            name.Value = "project " + context.BusinessKey;
            command.Parameters.Add(name);
            await command.ExecuteNonQueryAsync(context.CancellationToken);
        }

        if (afterWrite is not null)
        {
            await afterWrite(transaction, context.InstanceId);
        }

        if (failAfterWrite)
        {
            throw new InvalidOperationException("the registry refused the project");
        }
    }
}

/// <summary>One transaction per command: a handler's domain rows commit with the engine's changes or not at all.</summary>
public abstract class CommandTransactionContract
{
    protected abstract DatabaseProvider Provider { get; }

    private async Task<DurableHost> HostAsync(bool useDbContext, bool failAfterWrite)
    {
        var host = await DurableHost.StartAsync(Provider, b => b.AddHandler(new RegisterProjectHandler(useDbContext, failAfterWrite)));
        await host.ExecuteAsync("CREATE TABLE domain_projects (id varchar(100) NOT NULL PRIMARY KEY, name varchar(200) NOT NULL)");
        await host.DeployFileAsync("Bpmn/domain-write.bpmn");
        return host;
    }

    [Fact]
    public async Task Handler_WritesRowWithSqlThenFails_NeitherRowNorInstanceSurvives()
    {
        await using var host = await HostAsync(useDbContext: false, failAfterWrite: true);

        await Assert.ThrowsAnyAsync<Exception>(() => host.Engine.StartAsync("domainWrite", "P-001").AsTask());

        Assert.Equal(0, await host.CountAsync("domain_projects"));
        Assert.Equal(0, await host.CountAsync("wf_instances"));
        Assert.Equal(0, await host.CountAsync("wf_tasks"));
        Assert.Equal(0, await host.CountAsync("wf_history"));
    }

    [Fact]
    public async Task Handler_WritesRowWithDbContextThenFails_NeitherRowNorInstanceSurvives()
    {
        await using var host = await HostAsync(useDbContext: true, failAfterWrite: true);

        await Assert.ThrowsAnyAsync<Exception>(() => host.Engine.StartAsync("domainWrite", "P-002").AsTask());

        Assert.Equal(0, await host.CountAsync("domain_projects"));
        Assert.Equal(0, await host.CountAsync("wf_instances"));
    }

    [Fact]
    public async Task Handler_WritesRowWithDbContextAndSucceeds_RowAndInstanceBothSurvive()
    {
        await using var host = await HostAsync(useDbContext: true, failAfterWrite: false);

        var instance = await host.Engine.StartAsync("domainWrite", "P-003");

        Assert.Equal("project P-003", await host.ScalarAsync("SELECT name FROM domain_projects WHERE id = 'P-003'"));
        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        Assert.Equal("review", task.ElementId);
    }

    [Fact]
    public async Task Handler_WritesRowWithSqlAndSucceeds_RowAndInstanceBothSurvive()
    {
        await using var host = await HostAsync(useDbContext: false, failAfterWrite: false);

        var instance = await host.Engine.StartAsync("domainWrite", "P-004");

        Assert.Equal(1, await host.CountAsync("domain_projects"));
        Assert.NotNull(await host.Engine.GetInstanceAsync(instance.Id));
    }

    [Fact]
    public async Task Handler_WritesRows_TheCommandCommitsInItsOwnTransactionNotTheGroup()
    {
        await using var host = await HostAsync(useDbContext: false, failAfterWrite: false);
        var before = host.Store.GroupedCommits;
        var inHandlerTransaction = host.Store.HandlerTransactionCommits;

        await host.Engine.StartAsync("domainWrite", "P-005");

        Assert.Equal(before, host.Store.GroupedCommits);
        Assert.Equal(inHandlerTransaction + 1, host.Store.HandlerTransactionCommits);
        Assert.Equal(1, await host.CountAsync("domain_projects"));
    }

    [Fact]
    public async Task Handler_WritesRowsThenTheCommitConflicts_NeitherRowNorEngineChangeSurvivesAndTheNextCommandCommits()
    {
        // After its handler wrote, the instance's version moves (the first time only; in the command's own transaction,
        // since on SQLite the handler holds the write lock): the commit's version check fails (on PostgreSQL inside the
        // batch that carries the COMMIT) and the whole transaction rolls back.
        var bumped = 0;
        await using var host = await DurableHost.StartAsync(Provider, b => b.AddHandler(new RegisterProjectHandler(true, false, async (transaction, id) =>
        {
            if (Interlocked.Exchange(ref bumped, 1) == 0)
            {
                await using var bump = transaction.CreateCommand($"UPDATE \"wf_instances\" SET \"version\" = \"version\" + 1 WHERE \"id\" = '{id:D}'");
                Assert.Equal(1, await bump.ExecuteNonQueryAsync());
            }
        })));
        await host.ExecuteAsync("CREATE TABLE domain_projects (id varchar(100) NOT NULL PRIMARY KEY, name varchar(200) NOT NULL)");
        await host.DeployFileAsync("Bpmn/domain-write-after-review.bpmn");
        var instance = await host.Engine.StartAsync("domainWriteAfterReview", "P-007");
        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        var inHandlerTransaction = host.Store.HandlerTransactionCommits;

        // Loaded from the database, not the store's cache: the bump is another writer's change, not a stale entry to read again.
        host.Store.Cache!.Evict(instance.Id);
        await Assert.ThrowsAsync<WorkflowConflictException>(() => host.Engine.CompleteTaskAsync(task.Id, null, "u").AsTask());

        Assert.Equal(0, await host.CountAsync("domain_projects"));
        Assert.Equal(UserTaskState.Open, (await host.Engine.GetTaskAsync(task.Id))!.State);
        Assert.Equal(inHandlerTransaction, host.Store.HandlerTransactionCommits);

        // Nothing of the failed transaction is left on the pooled connections: the retry commits, row and all.
        await host.Engine.CompleteTaskAsync(task.Id, null, "u");
        Assert.Equal(1, await host.CountAsync("domain_projects"));
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
        Assert.Equal(inHandlerTransaction + 1, host.Store.HandlerTransactionCommits);
    }

    [Fact]
    public async Task Handler_NeverTouchesTheTransaction_NoneBeginsAndTheCommandJoinsTheGroupedCommit()
    {
        await using var host = await DurableHost.StartAsync(Provider, b => b.AddHandler(new NoRowsHandler()));
        await host.DeployFileAsync("Bpmn/domain-write.bpmn");
        var (flushes, commits) = host.Store.GroupedCommits;
        var inHandlerTransaction = host.Store.HandlerTransactionCommits;

        var instance = await host.Engine.StartAsync("domainWrite", "P-006");

        // The start ran a service task: it still committed as a command without handlers does (SQLite: through the
        // group; PostgreSQL: one batch alone, no group there), not in a transaction of its own.
        Assert.Equal(inHandlerTransaction, host.Store.HandlerTransactionCommits);
        Assert.Equal(Provider == DatabaseProvider.Sqlite ? (flushes + 1, commits + 1) : (0, 0), host.Store.GroupedCommits);
        Assert.Equal(true, (await host.Engine.GetVariablesAsync(instance.Id))["registered"]);
        Assert.Equal("review", Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id })).ElementId);
    }
}

public sealed class SqliteCommandTransactionTests : CommandTransactionContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlCommandTransactionTests : CommandTransactionContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
