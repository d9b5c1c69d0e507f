using Trading.Workflow.Domain.Deposits;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// The bidding engine's answer to the deposits: a bidder admitted to a lot of the section that has not closed is still
/// in the sale, bidding on the strength of that deposit, so it cannot be refunded until the close (whatever trade type
/// sells through the engine). A lot that is past its end but not yet closed by the timer still holds it.
/// </summary>
public sealed class LotDepositRefundGuard(BidLogStore store) : IDepositRefundGuard
{
    public async Task<DepositRefundHold?> HoldAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken)
    {
        foreach (var lot in await store.ListLotsAsync(sectionId, cancellationToken))
        {
            if (lot.Phase != LotPhase.Closed && (await store.BiddersAsync(lot.Id, cancellationToken)).Any(b => b.EntityId == entityId))
            {
                return new DepositRefundHold(DepositRules.RefundDuringSale, lot.Title,
                    $"The bidder is admitted to lot {lot.Id} ({lot.Title}), whose sale has not closed: its deposit cannot be refunded before the close.");
            }
        }

        return null;
    }
}
