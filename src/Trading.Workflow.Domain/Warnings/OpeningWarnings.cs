using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Warnings;

/// <summary>
/// Computes a section's warnings when its opening starts (metadata only: the bids are still sealed) and when it closes
/// (with the prices of the signed record), in the opening's transaction; a failure never fails the opening
/// (<see cref="SectionWarnings"/>).
/// </summary>
internal sealed class OpeningWarnings(SectionWarnings warnings) : IOpeningObserver
{
    public Task OpeningStartedAsync(TradingDbContext db, OpeningSession session, CancellationToken cancellationToken) =>
        warnings.ComputeAsync(db, session.SectionId, $"the start of opening {session.Id}", cancellationToken);

    public Task OpeningClosedAsync(TradingDbContext db, OpeningSession session, OpeningRecord record, CancellationToken cancellationToken) =>
        warnings.ComputeAsync(db, session.SectionId, $"the close of opening {session.Id}", cancellationToken);
}
