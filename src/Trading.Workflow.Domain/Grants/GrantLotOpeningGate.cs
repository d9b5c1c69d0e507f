using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Grants;

/// <summary>
/// The grants' side of the bidding engine's opening gate (<see cref="ILotOpeningGate"/>): a grant's sale opens only once
/// its 出让公告 is public (the offering <see cref="GrantStage.Announced"/>) and only on the offering's current lot. Lots
/// of no offering (engineering tenders, other slices) are not the grants' to judge. A refused lot is shelved by the
/// engine; the offering's trail then records it, and the page tells staff to return the offering for new dates.
/// </summary>
public sealed class GrantLotOpeningGate(ITradingDatabase database, IAuditTrail trail) : ILotOpeningGate
{
    /// <summary>The Shelved entry's reason: the notice was not published before the opening time.</summary>
    public const string NoticeUnpublished = "grants.notice.unpublished";

    /// <summary>The Shelved entry's reason: a lot of an earlier submission, replaced by a resubmission's (its own shelving failed).</summary>
    public const string Superseded = "grants.lot.superseded";

    /// <summary>The offering's trail action (without the <c>grants.</c> prefix) when its lot was shelved unannounced.</summary>
    public const string ShelvedAction = "offering.lot-shelved-unannounced";

    public async Task<string?> RefusalAsync(LotOpening lot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lot);
        var lotId = lot.LotId;
        var sectionId = lot.SectionId;
        await using var db = database.Create();
        var offering = await db.Set<GrantOffering>().AsNoTracking()
            .Where(o => o.LotId == lotId || (sectionId != null && o.SectionId == sectionId))
            .Select(o => new { o.LotId, o.Stage }).FirstOrDefaultAsync(cancellationToken);
        if (offering is null)
        {
            return null;
        }

        if (offering.LotId != lotId)
        {
            return Superseded;
        }

        return offering.Stage == GrantStage.Announced ? null : NoticeUnpublished;
    }

    public async Task OnShelvedAsync(LotShelvedAtOpening shelved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shelved);
        if (shelved.Reason != NoticeUnpublished)
        {
            return;
        }

        await using var db = database.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var offering = await db.Set<GrantOffering>().AsNoTracking().SingleOrDefaultAsync(o => o.LotId == shelved.LotId, cancellationToken);
        if (offering is null)
        {
            return;
        }

        // No "reason" property: the history shows a reason as typed by a person, and this is a rule code.
        await trail.AppendAsync(db, GrantService.Record(BiddingEngine.SystemActor, offering, ShelvedAction, new
        {
            lotId = shelved.LotId,
            rule = shelved.Reason,
            stage = offering.Stage.ToString(),
            offering.BiddingOpens,
            shelvedAt = shelved.At,
            shelvedSequence = shelved.Sequence,
            shelvedHash = shelved.Hash,
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
