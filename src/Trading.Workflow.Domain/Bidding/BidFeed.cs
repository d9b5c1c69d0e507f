using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// A log entry as every watcher may see it: a sealed offer's amount stays hidden until the close. <see cref="Sequence"/>
/// is the entry's place in the hash-chained log (every entry has one: admissions, phase changes, refused bids);
/// <see cref="Ordinal"/>, for an accepted bid only, its place among the accepted bids (1, 2, 3 …, 第 N 次出价), which
/// is what the public bid list shows (<see cref="LotBook.AcceptedOrdinal"/>).
/// </summary>
public sealed record PublicBidEntry(long Sequence, BidLogKind Kind, DateTimeOffset At, int? BidderNumber, decimal? Amount, bool Accepted, string? Reason, string? Data, string Hash, int? Ordinal = null);

/// <summary>
/// What a watcher sees of a lot (no reserve before the close, no sealed amount, no identity). <see cref="ShelvedReason"/>
/// is the Shelved entry's reason (a stable code such as <c>grants.notice.unpublished</c>), not who shelved it.
/// <see cref="Extended"/>: an open auction past its scheduled end by the extension rule.
/// </summary>
public sealed record LotView(
    Guid LotId, BiddingMode Mode, LotPhase Phase, DateTimeOffset Opens, DateTimeOffset EndsAt, decimal StartPrice, decimal? CurrentPrice,
    decimal? NextValidPrice, decimal Increment, IReadOnlyList<int> AllowedMultiples, decimal? PriceCap, int? LeaderNumber, int AcceptedBids,
    int AdmittedBidders, IReadOnlyList<int> CapBidders, int SealedOffers, long LastSequence, string LastHash, LotOutcome? Outcome,
    IReadOnlyList<PublicBidEntry> History, string? ShelvedReason = null, bool Extended = false);

/// <summary>One update pushed to the watchers of a lot: the new entries in log order and the view after them.</summary>
public sealed record LotUpdate(Guid LotId, IReadOnlyList<PublicBidEntry> Entries, LotView View);

/// <summary>
/// The same update in the compact form sent over the wire to SignalR watchers (hundreds of copies of every update):
/// the run of entries <see cref="From"/>, <see cref="From"/>+1, … as parallel columns (kind, server time in ticks,
/// bidder number, amount), the refusal reasons and the entries' data only where there are some (by index in the run),
/// the chain's hash after the run's last entry, and the view after it. Every entry is there, in log order and without a
/// gap; what it drops are the per-entry hashes (the run's last one is kept: any entry's hash is in the log, read by
/// <c>SinceAsync</c> and the replay). About a tenth of the bytes of <see cref="LotUpdate"/> in JSON.
/// </summary>
public sealed record LotTicker(
    Guid LotId, long From, IReadOnlyList<BidLogKind> Kinds, IReadOnlyList<long> At, IReadOnlyList<int?> Bidders, IReadOnlyList<decimal?> Amounts,
    IReadOnlyDictionary<int, string>? Reasons, IReadOnlyDictionary<int, string>? Data, string LastHash, LotView View)
{
    public static LotTicker Of(LotUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var entries = update.Entries;
        var kinds = new BidLogKind[entries.Count];
        var at = new long[entries.Count];
        var bidders = new int?[entries.Count];
        var amounts = new decimal?[entries.Count];
        Dictionary<int, string>? reasons = null, data = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Sequence != entries[0].Sequence + i)
            {
                throw new ArgumentException("An update's entries follow each other without a gap.", nameof(update));
            }

            (kinds[i], at[i], bidders[i], amounts[i]) = (e.Kind, e.At.UtcTicks, e.BidderNumber, e.Amount);
            if (!e.Accepted)
            {
                (reasons ??= [])[i] = e.Reason ?? string.Empty;
            }

            if (e.Data is { } d)
            {
                (data ??= [])[i] = d;
            }
        }

        return new LotTicker(update.LotId, entries.Count > 0 ? entries[0].Sequence : update.View.LastSequence + 1, kinds, at, bidders, amounts, reasons, data,
            entries.Count > 0 ? entries[^1].Hash : update.View.LastHash, update.View);
    }

    /// <summary>
    /// The entries as watchers see them (every field but the hashes before the last). The accepted bids' ordinals are
    /// not on the wire: the view after the run counts the lot's accepted bids, so the run's accepted bids are the last
    /// ones of that count, in order.
    /// </summary>
    public IReadOnlyList<PublicBidEntry> Entries()
    {
        var entries = new PublicBidEntry[Kinds.Count];
        var ordinal = View.AcceptedBids;
        for (var i = Kinds.Count - 1; i >= 0; i--)
        {
            var accepted = Reasons?.ContainsKey(i) != true;
            var isAcceptedBid = accepted && Kinds[i] == BidLogKind.Bid;
            entries[i] = new PublicBidEntry(From + i, Kinds[i], new DateTimeOffset(At[i], TimeSpan.Zero), Bidders[i], Amounts[i],
                accepted, Reasons?.GetValueOrDefault(i) is { Length: > 0 } r ? r : null, Data?.GetValueOrDefault(i),
                i == Kinds.Count - 1 ? LastHash : string.Empty, isAcceptedBid ? ordinal-- : null);
        }

        return entries;
    }
}

/// <summary>
/// The live feed of this node: a mirror book per watched lot, fed by this node's sequencers after each commit (with the
/// entries other nodes appended that the sequencer read under the lot's lock) and, on PostgreSQL, by the LISTEN/NOTIFY
/// listener for entries other nodes committed while this node's sequencer was idle. Entries reach the mirror in
/// sequence order with no gap (a gap is read from the log first), so every watcher on every node sees the same
/// sequence. The mirror takes entries at once; its subscribers get them at most once per <see cref="PublishInterval"/>,
/// whatever arrived meanwhile as one gap-free update, so the number of messages to hundreds of watchers stays bounded
/// however fast bids come. Subscribers are called in order, under the mirror's lock; they must not block.
/// </summary>
public sealed partial class BidFeed(BidLogStore store, ILogger<BidFeed> logger)
{
    public const int HistoryLength = 50;

    /// <summary>
    /// The shortest time between two updates of a lot to this node's watchers (default 50 ms, 20 per second): entries
    /// committed meanwhile go out together. Zero delivers every run of entries at once.
    /// </summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<Guid, Mirror> _mirrors = new();

    private sealed class Mirror
    {
        public readonly Lock Gate = new();
        public LotBook? Book;
        public ImmutableSubscribers Subscribers = ImmutableSubscribers.Empty;

        // Entries in the mirror not yet delivered to the subscribers, and the flush that will deliver them.
        public readonly List<PublicBidEntry> Pending = [];
        public bool FlushScheduled;
        public long LastFlush;

        // Catch-up reads from the log, one at a time; a request is served by any read that started after it.
        public readonly SemaphoreSlim CatchUpGate = new(1, 1);
        public long Requested;
        public long Served;
    }

    private sealed record ImmutableSubscribers(IReadOnlyList<Action<LotUpdate>> Handlers)
    {
        public static readonly ImmutableSubscribers Empty = new([]);
    }

    /// <summary>Watches a lot: <paramref name="handler"/> gets every update after the returned view; dispose to stop.</summary>
    public async Task<(LotView View, IDisposable Subscription)> SubscribeAsync(Guid lotId, Action<LotUpdate> handler, CancellationToken cancellationToken = default)
    {
        var mirror = await MirrorAsync(lotId, cancellationToken);
        lock (mirror.Gate)
        {
            // What the mirror holds and the present subscribers have not had yet goes to them now: the new subscriber's
            // view includes it, and its first update starts right after.
            Flush(lotId, mirror);
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

    /// <summary>Committed entries (this node's sequencer: its batch, and other nodes' entries it read under the lock).</summary>
    public void Publish(Guid lotId, IReadOnlyList<BidLogEntry> entries)
    {
        if (!_mirrors.TryGetValue(lotId, out var mirror) || mirror.Book is null)
        {
            return;
        }

        Deliver(lotId, mirror, entries, hashesChecked: true);
    }

    /// <summary>
    /// Reads and publishes what the log holds beyond the mirror (another node's commit, a gap). Reads run one at a
    /// time per lot; a call returns once a read that began after the call has completed (so it sees every entry
    /// committed before the call), and calls that pile up during a read share the next one.
    /// </summary>
    public async Task CatchUpAsync(Guid lotId, CancellationToken cancellationToken = default)
    {
        if (!_mirrors.TryGetValue(lotId, out var mirror) || mirror.Book is null)
        {
            return;
        }

        var ticket = Interlocked.Increment(ref mirror.Requested);
        await mirror.CatchUpGate.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref mirror.Served) >= ticket)
            {
                return;
            }

            var covers = Volatile.Read(ref mirror.Requested);
            var entries = await store.ReadLogAsync(lotId, mirror.Book.LastSequence, cancellationToken);
            Deliver(lotId, mirror, entries);
            Volatile.Write(ref mirror.Served, covers);
        }
        finally
        {
            mirror.CatchUpGate.Release();
        }
    }

    /// <summary>The lots this node watches with the sequence it has reached (the listener catches them up after a reconnect).</summary>
    public IReadOnlyList<Guid> WatchedLots => [.. _mirrors.Keys];

    public long SequenceOf(Guid lotId) => _mirrors.TryGetValue(lotId, out var mirror) ? mirror.Book?.LastSequence ?? 0 : 0;

    private void Deliver(Guid lotId, Mirror mirror, IReadOnlyList<BidLogEntry> entries, bool hashesChecked = false)
    {
        var holeAfter = false;
        lock (mirror.Gate)
        {
            var book = mirror.Book!;
            // Only the run that follows the mirror without a hole: a sequencer's batches can have another node's
            // entries between them, and a later batch can overtake one still being read.
            var fresh = new List<BidLogEntry>();
            foreach (var entry in entries)
            {
                if (entry.Sequence <= book.LastSequence)
                {
                    continue;
                }

                if (entry.Sequence != book.LastSequence + 1 + fresh.Count)
                {
                    holeAfter = true;
                    break;
                }

                fresh.Add(entry);
            }

            if (fresh.Count > 0)
            {
                book.ApplyStored(fresh, hashesChecked);
                foreach (var entry in fresh)
                {
                    mirror.Pending.Add(ToPublic(entry, book));
                }

                var wait = PublishInterval - System.Diagnostics.Stopwatch.GetElapsedTime(mirror.LastFlush);
                if (PublishInterval <= TimeSpan.Zero || wait <= TimeSpan.Zero && !mirror.FlushScheduled)
                {
                    Flush(lotId, mirror);
                }
                else if (!mirror.FlushScheduled)
                {
                    mirror.FlushScheduled = true;
                    _ = FlushLaterAsync(lotId, mirror, wait);
                }
            }
        }

        if (holeAfter)
        {
            // The rest is read from the log, from where the mirror now stands.
            _ = CatchUpAsync(lotId, CancellationToken.None);
        }
    }

    private async Task FlushLaterAsync(Guid lotId, Mirror mirror, TimeSpan wait)
    {
        await Task.Delay(wait);
        lock (mirror.Gate)
        {
            mirror.FlushScheduled = false;
            Flush(lotId, mirror);
        }
    }

    /// <summary>Delivers the pending entries as one update (under the mirror's lock, so updates keep the log's order).</summary>
    private void Flush(Guid lotId, Mirror mirror)
    {
        if (mirror.Pending.Count == 0)
        {
            return;
        }

        mirror.LastFlush = System.Diagnostics.Stopwatch.GetTimestamp();
        var update = new LotUpdate(lotId, [.. mirror.Pending], ViewOf(lotId, mirror.Book!, withHistory: false));
        mirror.Pending.Clear();
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
        var ordinal = e.Kind == BidLogKind.Bid && e.Accepted ? book.AcceptedOrdinal(e.Sequence) : null;
        return new PublicBidEntry(e.Sequence, e.Kind, e.At, e.BidderNumber, hideAmount ? null : e.Amount, e.Accepted, e.Reason, e.Data, e.Hash, ordinal);
    }

    private static LotView ViewOf(Guid lotId, LotBook book, bool withHistory = true)
    {
        var hidden = book.Settings.Mode == BiddingMode.Sealed && !book.IsClosed;
        var history = withHistory ? book.AcceptedBids.TakeLast(HistoryLength).Select(e => ToPublic(e, book) with { Data = null }).ToList() : [];
        return new LotView(lotId, book.Settings.Mode, book.Phase, book.Settings.Opens, book.EndsAt, book.Settings.StartPrice,
            hidden ? null : book.CurrentPrice, book.NextValidPrice, book.Settings.Increment, book.Settings.AllowedMultiples,
            book.Settings.PriceCap, hidden ? null : book.LeaderNumber, book.AcceptedCount, book.Admitted.Count,
            book.CapBidders, book.SealedOfferCount, book.LastSequence, book.LastHash, book.Outcome, history, book.Shelving?.Reason,
            book.IsExtended);
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
