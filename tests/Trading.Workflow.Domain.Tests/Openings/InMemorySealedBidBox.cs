using System.Collections.Concurrent;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Tests.Openings;

/// <summary>
/// The sealed bids as the opening sees them, held in memory for the opening's own tests (the SealedBids part's
/// implementation over its tables is tested with that part): the views, whether each manifest still verifies, and
/// the states the opening set.
/// </summary>
internal sealed class InMemorySealedBidBox : ISealedBidBox
{
    private readonly ConcurrentDictionary<Guid, SealedBidView> _bids = new();

    public ConcurrentDictionary<Guid, bool> SignatureHolds { get; } = new();

    public ConcurrentDictionary<Guid, string> States { get; } = new();

    public void Add(SealedBidView bid)
    {
        _bids[bid.BidId] = bid;
        SignatureHolds[bid.BidId] = true;
        States[bid.BidId] = "Submitted";
    }

    public Task<IReadOnlyList<SealedBidView>> SubmittedAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SealedBidView>>([.. _bids.Values.Where(b => b.SectionId == sectionId && States[b.BidId] == "Submitted").OrderBy(b => b.ArrivedAt)]);

    public Task<SealedBidView?> FindAsync(TradingDbContext db, Guid bidId, CancellationToken cancellationToken) =>
        Task.FromResult(_bids.GetValueOrDefault(bidId));

    public Task<bool> VerifySignatureAsync(TradingDbContext db, Guid bidId, CancellationToken cancellationToken) =>
        Task.FromResult(SignatureHolds.GetValueOrDefault(bidId));

    public Task MarkOpenedAsync(TradingDbContext db, Guid bidId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        States[bidId] = "Opened";
        return Task.CompletedTask;
    }

    public Task MarkDecryptFailedAsync(TradingDbContext db, Guid bidId, string cause, DateTimeOffset at, CancellationToken cancellationToken)
    {
        States[bidId] = "DecryptFailed:" + cause;
        return Task.CompletedTask;
    }
}
