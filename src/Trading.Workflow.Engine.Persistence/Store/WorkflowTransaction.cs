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
/// engine's changes, or not at all. The transaction begins when a handler first uses it (any member below): a
/// command whose handlers never touch it keeps no transaction open while it runs and commits the fast way (SQLite:
/// the store's grouped commit; PostgreSQL: one batch alone, in one round trip). Beginning is a synchronous call on both providers, not a wait on async code: SQLite has
/// no asynchronous I/O (its async methods run synchronously too) and Npgsql sends the BEGIN with the next statement.
/// </summary>
public sealed class WorkflowTransaction : ICommandTransaction, IAsyncDisposable
{
    private readonly WorkflowDatabase _database;
    private readonly Dictionary<Type, DbContext> _contexts = [];
    private readonly DbConnection _connection;
    private readonly Func<DbTransaction> _begin;
    private DbTransaction? _transaction;

    internal WorkflowTransaction(WorkflowDatabase database, DbConnection connection, Func<DbTransaction> begin)
    {
        _database = database;
        _connection = connection;
        _begin = begin;
    }

    public DatabaseProvider Provider => _database.Provider;

    /// <summary>The command's connection; the transaction has begun on it once this is read.</summary>
    public DbConnection Connection
    {
        get
        {
            _ = Transaction;
            return _connection;
        }
    }

    /// <summary>The command's transaction, begun at the first read.</summary>
    public DbTransaction Transaction => _transaction ??= _begin();

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

    /// <summary>The session began the transaction itself (its own commit): the handlers' view uses it from now on.</summary>
    internal void Attach(DbTransaction transaction) => _transaction ??= transaction;

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
