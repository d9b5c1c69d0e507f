using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Warnings;

/// <summary>
/// Computes a section's warnings inside a trade command's own transaction (an opening starting or closing, a grant's
/// bidder admitted), so they are there when the step commits. A failure never fails the command: the warnings' changes
/// are rolled back to a savepoint and logged, and a supervisor computes them again (重新计算). A computation that ran
/// is recorded in the trail, naming the step.
/// </summary>
public sealed partial class SectionWarnings(WarningService warnings, ILogger<SectionWarnings> logger)
{
    private const string Savepoint = "collusion_warnings";

    /// <summary>Computes the section's warnings in <paramref name="db"/>'s transaction; <paramref name="occasion"/> names the step in the log.</summary>
    public async Task ComputeAsync(TradingDbContext db, Guid sectionId, string occasion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        // The command's own changes first, so rolling back ours can never undo them.
        await db.SaveChangesAsync(cancellationToken);
        var tx = db.Database.CurrentTransaction;
        if (tx is not null)
        {
            await tx.CreateSavepointAsync(Savepoint, cancellationToken);
        }

        WarningComputation result;
        try
        {
            result = await warnings.ComputeAsync(db, sectionId, cancellationToken);
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

            LogFailed(logger, e, sectionId, occasion);
            return;
        }

        // Outside the savepoint: the trail's head is tracked, and rolling back under it would fork the chain; a trail
        // that cannot be written fails the step, as it does for every other action.
        if (tx is not null)
        {
            await warnings.RecordStepAsync(db, sectionId, result, occasion, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Collusion warnings of section {SectionId} were not computed at {Occasion}; a supervisor may compute them again")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid sectionId, string occasion);
}
