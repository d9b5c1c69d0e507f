using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Web.Tests.Components;

/// <summary>The trading database with a <see cref="HeldQuery"/> on the contexts pages create.</summary>
public sealed class HeldTradingDatabase(WorkflowDatabase database, HeldQuery held) : ITradingDatabase
{
    private readonly TradingDatabase _inner = new(database);

    public TradingDbContext Create()
    {
        var connection = database.CreateConnection();
        var options = new DbContextOptionsBuilder<TradingDbContext>(database.CreateOptions<TradingDbContext>(connection)).AddInterceptors(held).Options;
        var context = new TradingDbContext(options);
        context.Database.SetDbConnection(connection, contextOwnsConnection: true);
        return context;
    }

    public TradingDbContext For(ServiceTaskContext context) => _inner.For(context);

    public TradingDbContext For(ICommandTransaction? transaction) => _inner.For(transaction);
}
