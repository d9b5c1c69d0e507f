using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Engine.Persistence.Store;

/// <summary>
/// The database transaction of one engine command, handed to service-task handlers as
/// <see cref="ServiceTaskContext.Transaction"/>. Whatever a handler writes through <see cref="Connection"/> (with
/// <see cref="Transaction"/>) or through a context from <see cref="GetDbContext{TContext}"/> commits with the
/// engine's changes, or not at all.
/// </summary>
public sealed class WorkflowTransaction : ICommandTransaction, IAsyncDisposable
{
    private readonly WorkflowDatabase _database;
    private readonly Dictionary<Type, DbContext> _contexts = [];

    internal WorkflowTransaction(WorkflowDatabase database, DbConnection connection, DbTransaction transaction)
    {
        _database = database;
        Connection = connection;
        Transaction = transaction;
    }

    public DatabaseProvider Provider => _database.Provider;

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>
    /// A DbContext of <typeparamref name="TContext"/> on this connection and transaction, one per type and command.
    /// Changes still pending on it are saved when the command commits; the context is disposed with the command.
    /// </summary>
    public TContext GetDbContext<TContext>(Func<DbContextOptions<TContext>, TContext> create)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(create);
        if (_contexts.TryGetValue(typeof(TContext), out var existing))
        {
            return (TContext)existing;
        }

        var context = create(_database.CreateOptions<TContext>(Connection));
        context.Database.UseTransaction(Transaction);
        _contexts[typeof(TContext)] = context;
        return context;
    }

    /// <summary>A command on this connection, already enlisted in the transaction.</summary>
    public DbCommand CreateCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    internal async Task SaveContextsAsync(CancellationToken cancellationToken)
    {
        foreach (var context in _contexts.Values)
        {
            if (context.ChangeTracker.HasChanges())
            {
                await context.SaveChangesAsync(cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts.Values)
        {
            await context.DisposeAsync();
        }

        _contexts.Clear();
    }
}

public static class WorkflowTransactionExtensions
{
    /// <summary>The command's database transaction; throws when the engine runs on a store without one (in memory).</summary>
    public static WorkflowTransaction GetWorkflowTransaction(this ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Transaction as WorkflowTransaction
               ?? throw new InvalidOperationException(
                   "This handler needs the durable workflow store (AddWorkflowPersistence): the engine runs without a database transaction.");
    }
}
