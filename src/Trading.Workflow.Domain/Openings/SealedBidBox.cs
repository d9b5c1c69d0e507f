using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;

namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// <see cref="ISealedBidBox"/> over the SealedBids part's tables: the current Submitted version of each participation,
/// its items as signed, the manifest re-built from the stored rows and verified with the bidder's key it was signed
/// with, and the bid's state moved to Opened or DecryptFailed in the opening's transaction.
/// </summary>
public sealed class SealedBidBox : ISealedBidBox
{
    public async Task<IReadOnlyList<SealedBidView>> SubmittedAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var bids = await db.Set<SealedBid>().AsNoTracking().Include(b => b.Items)
            .Where(b => b.SectionId == sectionId && b.State == SealedBidState.Submitted).ToListAsync(cancellationToken);
        var names = await NamesAsync(db, bids.Select(b => b.ParticipationId).ToList(), cancellationToken);
        return [.. bids.OrderBy(b => b.ArrivedAt).ThenBy(b => b.Id).Select(b => View(b, names))];
    }

    public async Task<SealedBidView?> FindAsync(TradingDbContext db, Guid bidId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var bid = await db.Set<SealedBid>().AsNoTracking().Include(b => b.Items).SingleOrDefaultAsync(b => b.Id == bidId, cancellationToken);
        return bid is null ? null : View(bid, await NamesAsync(db, [bid.ParticipationId], cancellationToken));
    }

    public async Task<bool> VerifySignatureAsync(TradingDbContext db, Guid bidId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var bid = await db.Set<SealedBid>().AsNoTracking().Include(b => b.Items).SingleOrDefaultAsync(b => b.Id == bidId, cancellationToken);
        if (bid is null)
        {
            return false;
        }

        var key = await db.Set<BidderKey>().AsNoTracking().SingleOrDefaultAsync(k => k.Id == bid.BidderKeyId, cancellationToken);
        if (key is null)
        {
            return false;
        }

        return ManifestOf(bid).IsSignedBy(key.PublicKeyHex, bid.SignatureHex);
    }

    public async Task MarkOpenedAsync(TradingDbContext db, Guid bidId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var bid = await db.Set<SealedBid>().SingleAsync(b => b.Id == bidId, cancellationToken);
        bid.MarkOpened(at, OpeningActors.Platform);
    }

    public async Task MarkDecryptFailedAsync(TradingDbContext db, Guid bidId, string cause, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var bid = await db.Set<SealedBid>().SingleAsync(b => b.Id == bidId, cancellationToken);
        var fault = Enum.TryParse<DecryptFailureCause>(cause, out var known) ? DecryptFailures.FaultOf(known).ToString() : DecryptFault.Bidder.ToString();
        bid.MarkDecryptFailed(at, OpeningActors.Platform, cause, fault);
    }

    /// <summary>The manifest as the bidder signed it, rebuilt from the stored rows (items in their signed order).</summary>
    public static SealedBidManifest ManifestOf(SealedBid bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return new SealedBidManifest(bid.SectionId, bid.EntityId, bid.Version, bid.WrappedKeyHex,
            [.. bid.Items.OrderBy(i => i.Position).Select(i => new ManifestItem(i.Name, i.Kind, i.PlaintextSm3, i.CiphertextSm3, i.PlaintextSize, i.CiphertextSize))]);
    }

    private static SealedBidView View(SealedBid bid, IReadOnlyDictionary<Guid, string> names) => new(
        bid.Id, bid.ParticipationId, bid.ProjectId, bid.SectionId, bid.EntityId, names.GetValueOrDefault(bid.ParticipationId, string.Empty), bid.Version, bid.ArrivedAt,
        [.. bid.Items.OrderBy(i => i.Position).Select(i => new SealedBidItemView(i.Name, i.Kind.ToString(), i.CiphertextDocumentId, i.CiphertextSm3, i.PlaintextSm3, i.PlaintextSize))],
        bid.WrappedKeyHex);

    private static async Task<Dictionary<Guid, string>> NamesAsync(TradingDbContext db, List<Guid> participationIds, CancellationToken cancellationToken) =>
        await db.Set<Participation>().AsNoTracking().Where(p => participationIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.EntityName, cancellationToken);
}
