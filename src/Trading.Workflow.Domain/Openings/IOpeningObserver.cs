using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// A part told of an opening's milestones in the caller's transaction, so it can act on the section without the
/// openings part knowing it (the collusion warnings compute on the section). An observer must not fail the opening:
/// it keeps its own failures to itself.
/// </summary>
public interface IOpeningObserver
{
    /// <summary>The session started at the deadline (decrypting, or settled for re-tender); the bids are counted.</summary>
    Task OpeningStartedAsync(TradingDbContext db, OpeningSession session, CancellationToken cancellationToken);

    /// <summary>The session closed and its record is signed and published.</summary>
    Task OpeningClosedAsync(TradingDbContext db, OpeningSession session, OpeningRecord record, CancellationToken cancellationToken);
}
