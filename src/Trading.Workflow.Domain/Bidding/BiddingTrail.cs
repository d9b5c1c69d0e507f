using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// The bidding engine's records in the kernel trail (全程留痕): each admission (<c>bidding.bidder.admitted</c>) and the
/// close (<c>bidding.lot.closed</c>, through the close hook). The trail is read by staff and supervisors while the sale
/// runs, so an admission names the entity admitted (staff admitted it) but <b>not</b> its bidder number: the link
/// between number and identity stays in <c>tr_bidding_bidders</c> until the result. The close names the winner's number,
/// the winner (public with the result), the price or the no-sale reason, and the <c>Closed</c> entry's hash; a sale
/// called off (<c>bidding.lot.called-off</c>) or a lot shelved (<c>bidding.lot.shelved</c>) names who and why.
/// </summary>
public sealed class BiddingTrail(ITradingDatabase database, IAuditTrail trail) : ILotClosedHandler
{
    public const string Admitted = "bidding.bidder.admitted";
    public const string Closed = "bidding.lot.closed";
    public const string CalledOff = "bidding.lot.called-off";
    public const string Shelved = "bidding.lot.shelved";
    public const string SubjectType = "bidding-lot";

    public Task RecordAdmissionAsync(LotRecord lot, Guid entityId, string actor, CancellationToken cancellationToken = default) =>
        RecordAsync(lot, actor, Admitted, new { lotId = lot.Id, projectId = lot.ProjectId, sectionId = lot.SectionId, entityId }, cancellationToken);

    /// <summary>A sale called off before its result (<see cref="BiddingEngine.CallOffAsync"/>): who, why, the log entry's hash.</summary>
    public Task RecordCallOffAsync(LotRecord lot, BidLogEntry entry, string reason, string actor, CancellationToken cancellationToken = default) =>
        RecordAsync(lot, actor, CalledOff,
            new { lotId = lot.Id, projectId = lot.ProjectId, sectionId = lot.SectionId, reason, calledOffSequence = entry.Sequence, calledOffHash = entry.Hash }, cancellationToken);

    /// <summary>A lot shelved before its announcement (<see cref="BiddingEngine.ShelveAsync"/>): who, why, the log entry's hash.</summary>
    public Task RecordShelveAsync(LotRecord lot, BidLogEntry entry, string reason, string actor, CancellationToken cancellationToken = default) =>
        RecordAsync(lot, actor, Shelved,
            new { lotId = lot.Id, projectId = lot.ProjectId, sectionId = lot.SectionId, reason, shelvedSequence = entry.Sequence, shelvedHash = entry.Hash }, cancellationToken);

    // One record about a lot, in a transaction of its own (the lot's log has already committed the action).
    private async Task RecordAsync(LotRecord lot, string actor, string action, object data, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await trail.AppendAsync(db, new AuditRecord(actor, await CentreOfAsync(db, lot.ProjectId, cancellationToken), SubjectType, lot.Id.ToString(), action, data), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The close hook's trail record; idempotent (a lot's close is recorded once, however often the hook runs).</summary>
    public async Task OnLotClosedAsync(LotClosed closed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closed);
        await using var db = database.Create();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var subject = closed.LotId.ToString();
        if (await db.Set<AuditEntry>().AsNoTracking().AnyAsync(e => e.SubjectType == SubjectType && e.SubjectId == subject && e.Action == Closed, cancellationToken))
        {
            return;
        }

        var outcome = closed.Outcome;
        await trail.AppendAsync(db, new AuditRecord("system:bidding", await CentreOfAsync(db, closed.ProjectId, cancellationToken), SubjectType, subject, Closed,
            new
            {
                lotId = closed.LotId,
                projectId = closed.ProjectId,
                sectionId = closed.SectionId,
                sold = outcome.Sold,
                winnerNumber = outcome.WinnerNumber,
                entityId = closed.Winner?.EntityId,
                winnerName = closed.Winner?.EntityName,
                price = outcome.Price,
                noSaleReason = outcome.NoSaleReason,
                reserve = outcome.Reserve,
                decidedBySealedRound = outcome.DecidedBySealedRound,
                closedSequence = closed.ClosedSequence,
                closedHash = closed.ClosedHash,
            }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Guid?> CentreOfAsync(TradingDbContext db, Guid? projectId, CancellationToken cancellationToken) =>
        projectId is { } id ? await db.Set<Project>().AsNoTracking().Where(p => p.Id == id).Select(p => (Guid?)p.CentreId).FirstOrDefaultAsync(cancellationToken) : null;
}
