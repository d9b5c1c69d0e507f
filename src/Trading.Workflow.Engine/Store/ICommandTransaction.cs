using System.Data.Common;

namespace Trading.Workflow.Engine.Store;

/// <summary>
/// The database transaction of one engine command, as a handler sees it: rows written on <see cref="Connection"/>
/// within <see cref="Transaction"/> commit or roll back together with the engine's own changes.
/// </summary>
public interface ICommandTransaction
{
    DbConnection Connection { get; }

    DbTransaction Transaction { get; }
}
