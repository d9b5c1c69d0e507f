using Trading.Workflow.Domain.Access;

namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// Who may read a decrypted bid's items. Before evaluation nobody but the evaluation committee of the bid's section
/// may: never the public, the centre's staff, supervisors' browsing, the tenderee, other bidders, administrators.
/// </summary>
public interface IBidReaders
{
    ValueTask<bool> MayReadAsync(ProjectPrincipal user, OpeningSession session, OpeningBid bid, CancellationToken cancellationToken);
}

/// <summary>
/// The rule as it stands: the evaluation committee (评标委员会) is the only reader, and the platform has no committee
/// yet (experts drawn to a section come with the evaluation part). So this admits nobody; the evaluation part replaces
/// it with one that admits the drawn members of the session's section once their evaluation has started.
/// </summary>
public sealed class EvaluationCommitteeBidReaders : IBidReaders
{
    public ValueTask<bool> MayReadAsync(ProjectPrincipal user, OpeningSession session, OpeningBid bid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);
}
