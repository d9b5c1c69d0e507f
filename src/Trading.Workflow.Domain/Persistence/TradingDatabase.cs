using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Store;

namespace Trading.Workflow.Domain.Persistence;

/// <summary>
/// The trading rows live in the engine's database (one database for the app, the engine and Quartz), so a handler
/// can write them in the engine's own command transaction.
/// </summary>
public sealed class TradingDatabase(WorkflowDatabase database) : ITradingDatabase
{
    private readonly SqliteSettingsInterceptor _sqliteSettings = new(database.Options.SqliteBusyTimeoutMilliseconds);

    public TradingDbContext Create()
    {
        var connection = database.CreateConnection();
        var options = database.CreateOptions<TradingDbContext>(connection);
        var builder = new DbContextOptionsBuilder<TradingDbContext>(options);
        if (connection is SqliteConnection)
        {
            builder.AddInterceptors(_sqliteSettings);
        }

        var context = new TradingDbContext(builder.Options);
        context.Database.SetDbConnection(connection, contextOwnsConnection: true);
        return context;
    }

    public TradingDbContext For(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetWorkflowTransaction().GetDbContext<TradingDbContext>(options => new TradingDbContext(options));
    }

    public TradingDbContext For(Engine.Store.ICommandTransaction? transaction) =>
        (transaction as WorkflowTransaction
         ?? throw new InvalidOperationException("This needs the durable workflow store (AddWorkflowPersistence): the engine runs without a database transaction."))
        .GetDbContext<TradingDbContext>(options => new TradingDbContext(options));

    /// <summary>The per-connection settings the engine's own connections carry: wait for the writer, enforce keys.</summary>
    private sealed class SqliteSettingsInterceptor(int busyTimeoutMilliseconds) : DbConnectionInterceptor
    {
        private readonly string _sql = string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={busyTimeoutMilliseconds}; PRAGMA foreign_keys=ON;");

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = _sql;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
