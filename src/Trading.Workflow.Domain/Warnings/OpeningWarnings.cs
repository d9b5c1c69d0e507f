using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Warnings;

/// <summary>
/// Computes a section's warnings when its opening starts (metadata only: the bids are still sealed) and when it closes
/// (with the prices of the signed record). A failure here never fails the opening: it is rolled back to a savepoint and
/// logged, and a supervisor computes again from the warning list.
/// </summary>
internal sealed partial class OpeningWarnings(WarningService warnings, ILogger<OpeningWarnings> logger) : IOpeningObserver
{
    private const string Savepoint = "collusion_warnings";

    public Task OpeningStartedAsync(TradingDbContext db, OpeningSession session, CancellationToken cancellationToken) =>
        ComputeAsync(db, session, cancellationToken);

    public Task OpeningClosedAsync(TradingDbContext db, OpeningSession session, OpeningRecord record, CancellationToken cancellationToken) =>
        ComputeAsync(db, session, cancellationToken);

    private async Task ComputeAsync(TradingDbContext db, OpeningSession session, CancellationToken cancellationToken)
    {
        // The opening's own changes first, so rolling back ours can never undo them.
        await db.SaveChangesAsync(cancellationToken);
        var tx = db.Database.CurrentTransaction;
        if (tx is not null)
        {
            await tx.CreateSavepointAsync(Savepoint, cancellationToken);
        }

        try
        {
            await warnings.ComputeAsync(db, session.SectionId, cancellationToken);
            if (tx is not null)
            {
                await tx.ReleaseSavepointAsync(Savepoint, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (tx is not null)
            {
                await tx.RollbackToSavepointAsync(Savepoint, cancellationToken);
            }

            foreach (var entry in db.ChangeTracker.Entries<CollusionWarning>().ToList())
            {
                entry.State = EntityState.Detached;
            }

            LogFailed(logger, e, session.SectionId, session.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Collusion warnings of section {SectionId} were not computed at opening {SessionId}; a supervisor may compute them again")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid sectionId, Guid sessionId);
}
