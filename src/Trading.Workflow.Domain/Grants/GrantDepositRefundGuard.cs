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
    public async Task<DepositRefundHold?> HoldAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var offering = await db.Set<GrantOffering>().AsNoTracking().SingleOrDefaultAsync(o => o.SectionId == sectionId, cancellationToken);
        if (offering is null)
        {
            return null;
        }

        if (offering.WinnerEntityId == entityId)
        {
            return new DepositRefundHold(DepositRules.RefundWinner, offering.Title,
                $"The bidder won {offering.ProjectCode}: its deposit becomes part of the price and is not refunded.");
        }

        var closed = offering.Stage is GrantStage.Sold or GrantStage.NoSale or GrantStage.ResultPublished;
        if (!closed && await db.Set<GrantApplication>().AsNoTracking()
                .AnyAsync(a => a.OfferingId == offering.Id && a.EntityId == entityId && a.State == GrantApplicationState.Approved, cancellationToken))
        {
            return new DepositRefundHold(DepositRules.RefundDuringSale, offering.Title,
                $"The bidder is admitted to {offering.ProjectCode}, whose sale has not closed: its deposit cannot be refunded before the close.");
        }

        return null;
    }
}
