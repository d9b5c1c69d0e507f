using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Persistence;

/// <summary>Where a piece of trading code gets its <see cref="TradingDbContext"/>.</summary>
public interface ITradingDatabase
{
    /// <summary>
    /// A context on a connection of its own, for work outside an engine command (a page saving a draft). Writes open a
    /// transaction (<c>Database.BeginTransactionAsync</c>) so the change and its trail record commit together.
    /// The caller disposes it.
    /// </summary>
    TradingDbContext Create();

    /// <summary>
    /// The context of an engine command, enlisted in its transaction: a service-task handler's rows commit with the
    /// engine's changes or not at all. Pending changes are saved before the engine commits; the engine disposes it.
    /// </summary>
    TradingDbContext For(ServiceTaskContext context);

    /// <summary>
    /// The same for an engine command's transaction met elsewhere than in a handler: the start command's
    /// <see cref="Engine.Runtime.StartInstanceRequest.BeforeCommit"/> (a project submitted as its procedure starts).
    /// </summary>
    TradingDbContext For(Engine.Store.ICommandTransaction? transaction);
}
