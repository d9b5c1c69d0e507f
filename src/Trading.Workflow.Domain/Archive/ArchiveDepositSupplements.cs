using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Archive;

/// <summary>
/// Keeps an archive complete about deposits: a refund or forfeiture of an archived project that becomes final (whatever
/// the trade type) adds a supplement in the transaction that records it (<see cref="ArchiveService.SupplementAsync"/>).
/// </summary>
internal sealed class ArchiveDepositSupplements(IServiceProvider services) : IDepositSettlementObserver
{
    public async Task SettledAsync(TradingDbContext db, DepositSettled settled, CancellationToken cancellationToken)
    {
        // The archive's services (documents, file store) are resolved only for an archived project: the deposits are
        // built and run without them.
        if (await ArchiveGuard.IsArchivedAsync(db, settled.ProjectId, cancellationToken))
        {
            await services.GetRequiredService<ArchiveService>().SupplementAsync(db, settled, cancellationToken);
        }
    }
}
