using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Deposits;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// The bidding engine's answer to the deposits: a bidder admitted to a lot of the section that has not closed is still
/// in the sale, bidding on the strength of that deposit, so it cannot be refunded until the close (whatever trade type
/// sells through the engine); a sale called off or shelved holds nothing. A lot that is past its end but not yet closed by the timer still holds it. An admission
/// withdrawn (<see cref="BiddingEngine.ExcludeAsync"/>) still counts: the bidder took part.
/// </summary>
public sealed class LotDepositRefundGuard(BidLogStore store) : IDepositRefundGuard
{
    /// <summary>One query for the section's lots and one per lot that has not closed, however many bidders are asked about.</summary>
    public async Task<IReadOnlyDictionary<Guid, DepositRefundHold>> HoldsAsync(Guid sectionId, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken)
    {
        var holds = new Dictionary<Guid, DepositRefundHold>();
        if (entityIds.Count == 0)
        {
            return holds;
        }

        var asked = entityIds as IReadOnlySet<Guid> ?? entityIds.ToHashSet();
        foreach (var lot in await store.ListLotsAsync(sectionId, cancellationToken))
        {
            if (lot.Phase.IsEnded())
            {
                continue;
            }

            foreach (var bidder in await store.BiddersAsync(lot.Id, cancellationToken))
            {
                if (asked.Contains(bidder.EntityId) && !holds.ContainsKey(bidder.EntityId))
                {
                    holds[bidder.EntityId] = new DepositRefundHold(DepositRules.RefundDuringSale, lot.Title,
                        $"The bidder is admitted to lot {lot.Id} ({lot.Title}), whose sale has not closed: its deposit cannot be refunded before the close.");
                }
            }
        }

        return holds;
    }
}

/// <summary>
/// The bidding engine hears that a bidder's deposit is no longer held (its refund decided, or forfeited) and withdraws
/// its admission to the section's lots that have not closed (<see cref="BiddingEngine.ExcludeAsync"/>): its next bid is
/// refused as not eligible by the lot's book, with no deposit query on the bid path. The engine is only asked for when
/// there is an admission to withdraw (a part that never bids does not start it).
/// </summary>
public sealed class LotDepositReleaseListener(BidLogStore store, IServiceProvider services) : IDepositReleaseListener
{
    public async Task ReleasedAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken)
    {
        foreach (var lot in await store.ListLotsAsync(sectionId, cancellationToken))
        {
            if (!lot.Phase.IsEnded() && (await store.BiddersAsync(lot.Id, cancellationToken)).FirstOrDefault(b => b.EntityId == entityId) is { } bidder)
            {
                await services.GetRequiredService<BiddingEngine>().ExcludeAsync(lot.Id, bidder.Number);
            }
        }
    }
}
