using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Grants;

/// <summary>
/// What the grant path holds of a deposit: a bidder whose eligibility staff confirmed takes part in the sale until the
/// outcome is recorded (the lot closed), and the winner's deposit becomes part of the price (成交价款), so neither is
/// refunded by hand. The other bidders' deposits are refunded by the refund timer once the outcome is recorded.
/// </summary>
public sealed class GrantDepositRefundGuard(ITradingDatabase database) : IDepositRefundGuard
{
    /// <summary>Two queries (the offering, its approved bidders) however many bidders are asked about.</summary>
    public async Task<IReadOnlyDictionary<Guid, DepositRefundHold>> HoldsAsync(Guid sectionId, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken)
    {
        var holds = new Dictionary<Guid, DepositRefundHold>();
        if (entityIds.Count == 0)
        {
            return holds;
        }

        await using var db = database.Create();
        var offering = await db.Set<GrantOffering>().AsNoTracking().SingleOrDefaultAsync(o => o.SectionId == sectionId, cancellationToken);
        if (offering is null)
        {
            return holds;
        }

        var asked = entityIds as IReadOnlySet<Guid> ?? entityIds.ToHashSet();
        if (offering.WinnerEntityId is { } winner && asked.Contains(winner))
        {
            holds[winner] = new DepositRefundHold(DepositRules.RefundWinner, offering.Title,
                $"The bidder won {offering.ProjectCode}: its deposit becomes part of the price and is not refunded.");
        }

        // A terminated sale (终止) holds nothing: every deposit is owed back at once.
        var closed = offering.Stage is GrantStage.Sold or GrantStage.NoSale or GrantStage.ResultPublished or GrantStage.Terminated;
        if (closed)
        {
            return holds;
        }

        var approved = await db.Set<GrantApplication>().AsNoTracking()
            .Where(a => a.OfferingId == offering.Id && a.State == GrantApplicationState.Approved).Select(a => a.EntityId).ToListAsync(cancellationToken);
        foreach (var entityId in approved.Where(asked.Contains))
        {
            holds.TryAdd(entityId, new DepositRefundHold(DepositRules.RefundDuringSale, offering.Title,
                $"The bidder is admitted to {offering.ProjectCode}, whose sale has not closed: its deposit cannot be refunded before the close."));
        }

        return holds;
    }
}
