using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>A log entry as every watcher may see it: a sealed offer's amount stays hidden until the close.</summary>
public sealed record PublicBidEntry(long Sequence, BidLogKind Kind, DateTimeOffset At, int? BidderNumber, decimal? Amount, bool Accepted, string? Reason, string? Data, string Hash);

/// <summary>What a watcher sees of a lot (no reserve before the close, no sealed amount, no identity).</summary>
public sealed record LotView(
    Guid LotId, BiddingMode Mode, LotPhase Phase, DateTimeOffset Opens, DateTimeOffset EndsAt, decimal StartPrice, decimal? CurrentPrice,
    decimal? NextValidPrice, decimal Increment, IReadOnlyList<int> AllowedMultiples, decimal? PriceCap, int? LeaderNumber, int AcceptedBids,
    int AdmittedBidders, IReadOnlyList<int> CapBidders, int SealedOffers, long LastSequence, string LastHash, LotOutcome? Outcome,
    IReadOnlyList<PublicBidEntry> History);

/// <summary>One update pushed to the watchers of a lot: the new entries in log order and the view after them.</summary>
public sealed record LotUpdate(Guid LotId, IReadOnlyList<PublicBidEntry> Entries, LotView View);

/// <summary>
/// The live feed of this node: a mirror book per watched lot, fed by this node's sequencers after each commit and,
/// on PostgreSQL, by the LISTEN/NOTIFY listener for entries other nodes committed. Entries reach the mirror in
/// sequence order with no gap (a gap is read from the log first), so every watcher on every node sees the same
/// sequence. Subscribers are called in order, on the publishing thread; they must not block.
/// </summary>
public sealed partial class BidFeed(BidLogStore store, ILogger<BidFeed> logger)
{
    public const int HistoryLength = 50;

    /// <summary>
    /// The shortest time between two updates of a lot to this node's watchers (default 50 ms, 20 per second): entries
    /// committed meanwhile go out together. Zero publishes every committed batch at once.
    /// </summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<Guid, Mirror> _mirrors = new();

    private sealed class Mirror
    {
        public readonly Lock Gate = new();
        public LotBook? Book;
        public ImmutableSubscribers Subscribers = ImmutableSubscribers.Empty;
    }

    private sealed record ImmutableSubscribers(IReadOnlyList<Action<LotUpdate>> Handlers)
    {
        public static readonly ImmutableSubscribers Empty = new([]);
    }

    /// <summary>Watches a lot: <paramref name="handler"/> gets every update from now on; dispose to stop.</summary>
    public async Task<(LotView View, IDisposable Subscription)> SubscribeAsync(Guid lotId, Action<LotUpdate> handler, CancellationToken cancellationToken = default)
    {
        var mirror = await MirrorAsync(lotId, cancellationToken);
        lock (mirror.Gate)
        {
            mirror.Subscribers = new ImmutableSubscribers([.. mirror.Subscribers.Handlers, handler]);
            return (ViewOf(lotId, mirror.Book!), new Subscription(mirror, handler));
        }
    }

    /// <summary>The lot as a watcher sees it now (caught up with the log).</summary>
    public async Task<LotView> ViewAsync(Guid lotId, CancellationToken cancellationToken = default)
    {
        var mirror = await MirrorAsync(lotId, cancellationToken);
        await CatchUpAsync(lotId, cancellationToken);
        lock (mirror.Gate)
        {
            return ViewOf(lotId, mirror.Book!);
        }
    }

    /// <summary>The public entries after <paramref name="afterSequence"/>: what a reconnecting page missed.</summary>
    public async Task<IReadOnlyList<PublicBidEntry>> SinceAsync(Guid lotId, long afterSequence, CancellationToken cancellationToken = default)
    {
        var mirror = await MirrorAsync(lotId, cancellationToken);
        await CatchUpAsync(lotId, cancellationToken);
        var entries = await store.ReadLogAsync(lotId, afterSequence, cancellationToken);
        lock (mirror.Gate)
        {
            return [.. entries.Where(e => e.Sequence <= mirror.Book!.LastSequence).Select(e => ToPublic(e, mirror.Book!))];
        }
    }

    /// <summary>Entries this node's sequencer committed.</summary>
    public void Publish(Guid lotId, IReadOnlyList<BidLogEntry> entries)
    {
        if (!_mirrors.TryGetValue(lotId, out var mirror) || mirror.Book is null)
        {
            return;
        }

        Deliver(lotId, mirror, entries, hashesChecked: true);
    }

    /// <summary>Reads and publishes what the log holds beyond the mirror (another node's commit, a gap).</summary>
    public async Task CatchUpAsync(Guid lotId, CancellationToken cancellationToken = default)
    {
        if (!_mirrors.TryGetValue(lotId, out var mirror) || mirror.Book is null)
        {
            return;
        }

        var entries = await store.ReadLogAsync(lotId, mirror.Book.LastSequence, cancellationToken);
        Deliver(lotId, mirror, entries);
    }

    /// <summary>The lots this node watches with the sequence it has reached (the listener catches them up after a reconnect).</summary>
    public IReadOnlyList<Guid> WatchedLots => [.. _mirrors.Keys];

    public long SequenceOf(Guid lotId) => _mirrors.TryGetValue(lotId, out var mirror) ? mirror.Book?.LastSequence ?? 0 : 0;

    private void Deliver(Guid lotId, Mirror mirror, IReadOnlyList<BidLogEntry> entries, bool hashesChecked = false)
    {
        LotUpdate update;
        var holeAfter = false;
        lock (mirror.Gate)
        {
            var book = mirror.Book!;
            // Only the run that follows the mirror without a hole: this node's coalesced batches can have another
            // node's entries between them, and a later batch can overtake one still being read.
            var fresh = new List<BidLogEntry>();
            foreach (var entry in entries.Where(e => e.Sequence > book.LastSequence))
            {
                if (entry.Sequence != book.LastSequence + 1 + fresh.Count)
                {
                    holeAfter = true;
                    break;
                }

                fresh.Add(entry);
            }

            if (fresh.Count == 0)
            {
                if (holeAfter)
                {
                    _ = CatchUpAsync(lotId, CancellationToken.None);
                }

                return;
            }

            book.ApplyStored(fresh, hashesChecked);
            update = new LotUpdate(lotId, [.. fresh.Select(e => ToPublic(e, book))], ViewOf(lotId, book, withHistory: false));
            foreach (var handler in mirror.Subscribers.Handlers)
            {
                try
                {
                    handler(update);
                }
                catch (Exception e)
                {
                    LogSubscriberFailed(logger, e, lotId);
                }
            }
        }

        if (holeAfter)
        {
            // The rest is read from the log, from where the mirror now stands.
            _ = CatchUpAsync(lotId, CancellationToken.None);
        }
    }

    private async Task<Mirror> MirrorAsync(Guid lotId, CancellationToken cancellationToken)
    {
        var mirror = _mirrors.GetOrAdd(lotId, _ => new Mirror());
        if (mirror.Book is null)
        {
            var entries = await store.ReadLogAsync(lotId, 0, cancellationToken);
            if (entries.Count == 0)
            {
                _mirrors.TryRemove(lotId, out _);
                throw new DomainRuleException(BiddingRules.LotUnknown, $"Lot {lotId} does not exist.");
            }

            var book = LotBook.Restore(entries);
            lock (mirror.Gate)
            {
                mirror.Book ??= book;
            }
        }

        return mirror;
    }

    internal static PublicBidEntry ToPublic(BidLogEntry e, LotBook book)
    {
        var hideAmount = e.Kind == BidLogKind.Bid && book.IsSealedAmount(e.Sequence);
        return new PublicBidEntry(e.Sequence, e.Kind, e.At, e.BidderNumber, hideAmount ? null : e.Amount, e.Accepted, e.Reason, e.Data, e.Hash);
    }

    private static LotView ViewOf(Guid lotId, LotBook book, bool withHistory = true)
    {
        var hidden = book.Settings.Mode == BiddingMode.Sealed && !book.IsClosed;
        var history = withHistory ? book.AcceptedBids.TakeLast(HistoryLength).Select(e => ToPublic(e, book) with { Data = null }).ToList() : [];
        return new LotView(lotId, book.Settings.Mode, book.Phase, book.Settings.Opens, book.EndsAt, book.Settings.StartPrice,
            hidden ? null : book.CurrentPrice, book.NextValidPrice, book.Settings.Increment, book.Settings.AllowedMultiples,
            book.Settings.PriceCap, hidden ? null : book.LeaderNumber, book.AcceptedCount, book.Admitted.Count,
            book.CapBidders, book.SealedOfferCount, book.LastSequence, book.LastHash, book.Outcome, history);
    }

    private sealed class Subscription(Mirror mirror, Action<LotUpdate> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (mirror.Gate)
            {
                mirror.Subscribers = new ImmutableSubscribers([.. mirror.Subscribers.Handlers.Where(h => h != handler)]);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bidding lot {LotId}: a watcher's handler failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, Guid lotId);
}
