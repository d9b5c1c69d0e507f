using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// Keeps an archive complete about deposits: a refund or forfeiture of an archived project that becomes final (whatever
/// the trade type) adds a supplement in the transaction that records it (<see cref="ArchiveService.SupplementAsync"/>).
/// </summary>
internal sealed class ArchiveDepositSupplements(ArchiveService archives) : IDepositSettlementObserver
{
    public Task SettledAsync(TradingDbContext db, DepositSettled settled, CancellationToken cancellationToken) =>
        archives.SupplementAsync(db, settled, cancellationToken);
}
