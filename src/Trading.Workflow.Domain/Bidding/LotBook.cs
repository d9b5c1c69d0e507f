using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>
/// The state of one lot's sale and the rules that judge what happens to it: a pure state machine over the bid log.
/// Every change is an appended <see cref="BidLogEntry"/> (hash-chained); the same calls on an empty book with the
/// log's own times re-derive the log exactly, which is what <see cref="BidLogVerifier"/> checks. No clock, no I/O:
/// the caller (the lot's sequencer) stamps arrival times with the server clock and persists the entries.
/// </summary>
public sealed partial class LotBook
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly List<BidLogEntry> _appended = [];
    private readonly HashSet<int> _admitted = [];
    private readonly HashSet<int> _bidders = [];
    private readonly List<(int Number, DateTimeOffset At, long Sequence)> _reachedCap = [];
    private readonly Dictionary<int, (decimal Amount, DateTimeOffset At, long Sequence)> _sealed = [];
    private readonly Dictionary<string, BidLogEntry> _byKey = new(StringComparer.Ordinal);
    private readonly List<BidLogEntry> _accepted = [];
    private decimal? _reserve;
    private string? _reserveSalt;
    private bool _reserveKnown;

    private LotBook(Guid lotId, LotSettings settings, string reserveCommitment)
    {
        LotId = lotId;
        Settings = settings;
        ReserveCommitment = reserveCommitment;
        Phase = LotPhase.Scheduled;
        EndsAt = settings.ScheduledEnd;
    }

    public Guid LotId { get; }

    /// <summary>The settings in force (the increment and its multiples may change during a listing).</summary>
    public LotSettings Settings { get; private set; }

    public string ReserveCommitment { get; }

    public LotPhase Phase { get; private set; }

    /// <summary>The deadline of the current phase (moved by extensions); the durable timer is set to it.</summary>
    public DateTimeOffset EndsAt { get; private set; }

    public decimal? CurrentPrice { get; private set; }

    public int? LeaderNumber { get; private set; }

    public long LastSequence { get; private set; }

    public string LastHash { get; private set; } = BidLogEntry.GenesisHash;

    public DateTimeOffset LastAt { get; private set; }

    public LotOutcome? Outcome { get; private set; }

    public IReadOnlyCollection<int> Admitted => _admitted;

    /// <summary>Accepted bids in log order (sealed offers included; hide their amounts before the close).</summary>
    public IReadOnlyList<BidLogEntry> AcceptedBids => _accepted;

    public int AcceptedCount => _accepted.Count;

    /// <summary>
    /// The place of an accepted bid among the lot's accepted bids, 1, 2, 3 … in log order (第 N 次出价); null for any
    /// other entry. Derived from the log, never written into it: the log's sequence numbers every entry (admissions,
    /// phase changes and refused bids too, each hash-chained), so the accepted bids' sequences have gaps the public list
    /// must not show, while the chain, its replay and every log written before stay exactly as they are.
    /// </summary>
    public int? AcceptedOrdinal(long sequence)
    {
        int low = 0, high = _accepted.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var at = _accepted[middle].Sequence;
            if (at == sequence)
            {
                return middle + 1;
            }

            (low, high) = at < sequence ? (middle + 1, high) : (low, middle - 1);
        }

        return null;
    }

    /// <summary>Bidders who reached the cap, in order (the sealed round's participants).</summary>
    public IReadOnlyList<int> CapBidders => [.. _reachedCap.Select(c => c.Number)];

    public int SealedOfferCount => _sealed.Count;

    public bool IsClosed => Phase == LotPhase.Closed;

    /// <summary>Open bidding whose end a late bid has moved past the scheduled end (延时竞价); only auctions extend.</summary>
    public bool IsExtended => Phase == LotPhase.Open && EndsAt > Settings.ScheduledEnd;

    /// <summary>No bid is taken any more (<see cref="LotPhases.IsEnded"/>).</summary>
    public bool IsEnded => Phase.IsEnded();

    /// <summary>Why the sale was called off (the CalledOff entry's reason), null otherwise.</summary>
    public string? CallOffReason { get; private set; }

    /// <summary>Why and by whom the lot was shelved (the Shelved entry's data), null otherwise.</summary>
    public (string Reason, string By)? Shelving { get; private set; }

    /// <summary>The lowest (highest in reverse) amount a bid may carry now; null when bidding is over.</summary>
    public decimal? NextValidPrice => Phase switch
    {
        _ when IsEnded => null,
        LotPhase.CapMatch or LotPhase.SealedRound => Settings.PriceCap,
        _ when Settings.Mode == BiddingMode.Sealed => Settings.StartPrice,
        _ when CurrentPrice is null => Settings.StartPrice,
        _ when Settings.Mode == BiddingMode.Descending => CurrentPrice - Settings.Increment,
        _ => Settings.PriceCap is { } cap ? Math.Min(cap, CurrentPrice!.Value + Settings.Increment) : CurrentPrice + Settings.Increment,
    };

    /// <summary>The entries appended since the last <see cref="TakeAppended"/> (the sequencer persists them).</summary>
    public IReadOnlyList<BidLogEntry> TakeAppended()
    {
        var taken = _appended.ToArray();
        _appended.Clear();
        return taken;
    }

    private long? _sealedRoundFrom;

    /// <summary>Whether a bid's amount must stay hidden now: a sealed offer (sealed mode or the cap's round) before the close.</summary>
    public bool IsSealedAmount(long sequence) =>
        !IsClosed && (Settings.Mode == BiddingMode.Sealed || (_sealedRoundFrom is { } from && sequence > from));

    internal int TakeAppendedCount => _appended.Count;

    public BidLogEntry? FindByKey(string key) => _byKey.GetValueOrDefault(key);

    /// <summary>SM3 commitment to the reserve: published in the Opened entry, opened at the close.</summary>
    public static string CommitReserve(decimal? reserve, string salt) =>
        Convert.ToHexStringLower(Trail.Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(
            (reserve is { } r ? BidLogEntry.FormatAmount(r) : "none") + "|" + salt)));

    /// <summary>Starts a lot's log: the Opened entry carries the settings and the reserve's commitment, never the reserve.</summary>
    public static LotBook Open(Guid lotId, LotSettings settings, decimal? reserve, string reserveSalt, DateTimeOffset at)
    {
        if (settings.Problems() is { Count: > 0 } problems)
        {
            throw new DomainRuleException(BiddingRules.SettingsInvalid, string.Join(" ", problems));
        }

        // Canonical from the start (amounts without trailing zeros, UTC times): what the book derives from its
        // settings is then written the same whether it runs live or replays the stored log.
        settings = settings.Canonical();
        var book = new LotBook(lotId, settings, CommitReserve(reserve, reserveSalt));
        book.KnowReserve(reserve, reserveSalt);
        book.Append(BidLogKind.Opened, at, null, null, null, true, null, JsonSerializer.Serialize(new OpenedData(lotId, settings, book.ReserveCommitment), Json));
        return book;
    }

    /// <summary>Gives the book the reserve (the sequencer from the lot row; the verifier from the Closed entry).</summary>
    public void KnowReserve(decimal? reserve, string salt)
    {
        if (CommitReserve(reserve, salt) != ReserveCommitment)
        {
            throw new DomainRuleException(BiddingRules.LogBroken, "The reserve does not match the commitment published when the lot opened.");
        }

        _reserve = reserve is { } r ? BidLogEntry.CanonicalAmount(r) : null;
        _reserveSalt = salt;
        _reserveKnown = true;
    }

    /// <summary>Admits a bidder number (eligibility was checked by the caller).</summary>
    public BidLogEntry Admit(int bidderNumber, DateTimeOffset at)
    {
        Advance(at);
        if (IsEnded)
        {
            throw Ended();
        }

        if (_admitted.Contains(bidderNumber))
        {
            throw new DomainRuleException(BiddingRules.AlreadyAdmitted, $"Bidder number {bidderNumber} is already admitted.");
        }

        return Append(BidLogKind.Admitted, at, bidderNumber, null, null, true, null, null);
    }

    /// <summary>
    /// Withdraws a bidder number's admission (its deposit is no longer held): its later bids are refused with
    /// <see cref="BiddingRules.NotEligible"/>. Null when there is nothing to withdraw (not admitted, or the sale closed).
    /// </summary>
    public BidLogEntry? Exclude(int bidderNumber, DateTimeOffset at)
    {
        Advance(at);
        return IsEnded || !_admitted.Contains(bidderNumber)
            ? null
            : Append(BidLogKind.Excluded, at, bidderNumber, null, null, true, null, null);
    }

    /// <summary>Changes the increment and its allowed multiples while bidding is open (announced through the log).</summary>
    public BidLogEntry ChangeIncrement(decimal increment, IReadOnlyList<int> multiples, DateTimeOffset at)
    {
        Advance(at);
        if (Phase == LotPhase.Shelved)
        {
            throw Ended();
        }

        if (Phase is LotPhase.Closed or LotPhase.CalledOff or LotPhase.CapMatch or LotPhase.SealedRound || Settings.Mode == BiddingMode.Sealed)
        {
            throw new DomainRuleException(BiddingRules.IncrementChangeNotAllowed, $"The increment cannot change in phase {Phase}.");
        }

        if (increment <= 0 || !LotSettings.IsInFen(increment) || multiples.Any(m => m < 1))
        {
            throw new DomainRuleException(BiddingRules.SettingsInvalid, "The increment (in fen, at most two decimals) and its multiples must be positive.");
        }

        return Append(BidLogKind.IncrementChanged, at, null, null, null, true, null,
            JsonSerializer.Serialize(new IncrementData(BidLogEntry.CanonicalAmount(increment), [.. multiples]), Json));
    }

    /// <summary>
    /// Judges one bid that arrived at <paramref name="at"/> (server clock). Returns the entry that records it; a
    /// repeated idempotency key returns the first judgement and appends nothing.
    /// </summary>
    public BidLogEntry Submit(BidAttempt bid, DateTimeOffset at)
    {
        if (bid.IdempotencyKey is { } key && _byKey.TryGetValue(key, out var earlier))
        {
            return earlier;
        }

        Advance(at);
        var reason = Judge(bid, at);
        return Append(BidLogKind.Bid, at, bid.BidderNumber, bid.Amount, bid.IdempotencyKey, reason is null, reason, null);
    }

    /// <summary>
    /// Calls the sale off (终止) at <paramref name="at"/>, whatever its phase before the close: the deadlines passed by then
    /// are applied first, so a sale whose end has passed closes with its result (the deadline decides, not the tick) and
    /// is refused here with <see cref="BiddingRules.AfterClose"/>. Null when it was called off already.
    /// </summary>
    public BidLogEntry? CallOff(string reason, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Advance(at);
        if (Phase == LotPhase.CalledOff)
        {
            return null;
        }

        if (Phase == LotPhase.Shelved)
        {
            throw Ended();
        }

        if (Phase == LotPhase.Closed)
        {
            throw new DomainRuleException(BiddingRules.AfterClose, "The sale is closed: its result stands and it can no longer be called off.");
        }

        return Append(BidLogKind.CalledOff, at, null, null, null, true, null, JsonSerializer.Serialize(new CalledOffData(reason), Json));
    }

    /// <summary>
    /// Shelves the lot (its sale taken off before the announcement) at <paramref name="at"/>, from whatever phase the log
    /// has it in. No deadline is applied first, unlike every other command: a lot whose timer was stopped must not
    /// open or close (and reveal its reserve) on the way to being shelved. From then on it never opens or closes and
    /// every command is refused with <see cref="BiddingRules.Shelved"/>. Null when it has ended already (closed, called
    /// off or shelved).
    /// </summary>
    public BidLogEntry? Shelve(string reason, string by, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        return IsEnded ? null : Append(BidLogKind.Shelved, at, null, null, null, true, null, JsonSerializer.Serialize(new ShelvedData(reason, by), Json));
    }

    /// <summary>Why a command is refused on an ended lot.</summary>
    private DomainRuleException Ended() => Phase switch
    {
        LotPhase.Shelved => new DomainRuleException(BiddingRules.Shelved, "The lot is shelved: its sale was taken off before the announcement."),
        LotPhase.CalledOff => new DomainRuleException(BiddingRules.CalledOff, "The sale was called off."),
        _ => new DomainRuleException(BiddingRules.AfterClose, "The sale is closed."),
    };

    /// <summary>Applies every deadline that has passed by <paramref name="now"/> (phase changes, the close).</summary>
    public IReadOnlyList<BidLogEntry> Advance(DateTimeOffset now)
    {
        var produced = new List<BidLogEntry>();
        while (!IsEnded)
        {
            if (Phase == LotPhase.Scheduled)
            {
                if (now < Settings.Opens)
                {
                    break;
                }

                produced.Add(ChangePhase(LotPhase.Open, Settings.Opens, Settings.ScheduledEnd));
                continue;
            }

            if (now < EndsAt)
            {
                break;
            }

            var deadline = EndsAt;
            switch (Phase)
            {
                case LotPhase.Open when Settings.Mode == BiddingMode.Listing && _bidders.Count >= Math.Max(2, Settings.MinimumBidders):
                    produced.Add(ChangePhase(LotPhase.Timed, deadline, deadline + Settings.Countdown));
                    break;
                case LotPhase.CapMatch:
                    produced.Add(ChangePhase(LotPhase.SealedRound, deadline, deadline + Settings.SealedRoundLength));
                    break;
                default:
                    if (!_reserveKnown)
                    {
                        // The verifier of a log still open, or a caller without the reserve: the close waits for it.
                        return produced;
                    }

                    produced.Add(Close(deadline));
                    break;
            }
        }

        return produced;
    }

    private string? Judge(BidAttempt bid, DateTimeOffset at)
    {
        if (Phase == LotPhase.Shelved)
        {
            // Before eligibility: the lot is not on sale at all, whoever bids.
            return BiddingRules.Shelved;
        }

        if (!_admitted.Contains(bid.BidderNumber))
        {
            return BiddingRules.NotEligible;
        }

        switch (Phase)
        {
            case LotPhase.Scheduled:
                return BiddingRules.NotOpen;
            case LotPhase.Closed:
                return BiddingRules.AfterClose;
            case LotPhase.CalledOff:
                return BiddingRules.CalledOff;
        }

        if (at >= EndsAt)
        {
            // Only when the close is waiting for the reserve (a verifier): still after the close.
            return BiddingRules.AfterClose;
        }

        if (bid.Amount <= 0 || bid.Amount != decimal.Round(bid.Amount, 2))
        {
            return BiddingRules.InvalidAmount;
        }

        return Phase switch
        {
            LotPhase.CapMatch => JudgeCapMatch(bid),
            LotPhase.SealedRound => JudgeSealedRound(bid),
            _ when Settings.Mode == BiddingMode.Sealed => JudgeSealed(bid),
            _ when Settings.Mode == BiddingMode.Descending => JudgeDescending(bid),
            _ => JudgeAscending(bid),
        };
    }

    private string? JudgeAscending(BidAttempt bid)
    {
        if (LeaderNumber == bid.BidderNumber)
        {
            return BiddingRules.AlreadyLeading;
        }

        var baseline = CurrentPrice ?? Settings.StartPrice;
        if (Settings.PriceCap is { } cap)
        {
            if (bid.Amount > cap)
            {
                return BiddingRules.AboveCap;
            }

            if (bid.Amount == cap && cap > (CurrentPrice ?? 0m))
            {
                return null;
            }
        }

        if (bid.Amount < NextValidPrice)
        {
            return BiddingRules.BelowNextValid;
        }

        return JudgeSteps(bid.Amount - baseline, firstBid: CurrentPrice is null);
    }

    private string? JudgeDescending(BidAttempt bid)
    {
        if (LeaderNumber == bid.BidderNumber)
        {
            return BiddingRules.AlreadyLeading;
        }

        if (bid.Amount > NextValidPrice)
        {
            return BiddingRules.BelowNextValid;
        }

        return JudgeSteps((CurrentPrice ?? Settings.StartPrice) - bid.Amount, firstBid: CurrentPrice is null);
    }

    private string? JudgeSteps(decimal distance, bool firstBid)
    {
        var steps = distance / Settings.Increment;
        if (steps != decimal.Truncate(steps))
        {
            return BiddingRules.NotMultiple;
        }

        if (firstBid && steps == 0)
        {
            return null;
        }

        return Settings.IsMultipleAllowed((long)steps) ? null : BiddingRules.MultipleNotAllowed;
    }

    private string? JudgeSealed(BidAttempt bid)
    {
        if (_sealed.ContainsKey(bid.BidderNumber))
        {
            return BiddingRules.AlreadyOffered;
        }

        if (bid.Amount < Settings.StartPrice)
        {
            return BiddingRules.BelowNextValid;
        }

        var steps = (bid.Amount - Settings.StartPrice) / Settings.Increment;
        return steps == decimal.Truncate(steps) ? null : BiddingRules.NotMultiple;
    }

    private string? JudgeCapMatch(BidAttempt bid)
    {
        if (_reachedCap.Any(c => c.Number == bid.BidderNumber))
        {
            return BiddingRules.AlreadyOffered;
        }

        return bid.Amount == Settings.PriceCap ? null : BiddingRules.CapMatchOnly;
    }

    private string? JudgeSealedRound(BidAttempt bid)
    {
        if (_reachedCap.All(c => c.Number != bid.BidderNumber))
        {
            return BiddingRules.NotInSealedRound;
        }

        if (_sealed.ContainsKey(bid.BidderNumber))
        {
            return BiddingRules.AlreadyOffered;
        }

        return bid.Amount < Settings.PriceCap ? BiddingRules.BelowNextValid : null;
    }

    private BidLogEntry ChangePhase(LotPhase phase, DateTimeOffset at, DateTimeOffset endsAt) =>
        Append(BidLogKind.PhaseChanged, at, null, null, null, true, null, JsonSerializer.Serialize(new PhaseData(phase, endsAt), Json));

    private BidLogEntry Close(DateTimeOffset at)
    {
        var outcome = DecideOutcome();
        return Append(BidLogKind.Closed, at, outcome.WinnerNumber, outcome.Price, null, outcome.Sold, outcome.NoSaleReason,
            JsonSerializer.Serialize(new ClosedData(outcome, _reserveSalt!), Json));
    }

    private LotOutcome DecideOutcome()
    {
        int? winner;
        decimal? price;
        var bySealed = false;
        if (Settings.Mode == BiddingMode.Sealed || _sealed.Count > 0)
        {
            var best = _sealed.OrderByDescending(s => s.Value.Amount).ThenBy(s => s.Value.At).ThenBy(s => s.Value.Sequence).FirstOrDefault();
            (winner, price) = _sealed.Count > 0 ? ((int?)best.Key, (decimal?)best.Value.Amount) : ((int?)null, (decimal?)null);
            bySealed = _sealed.Count > 0 && Settings.Mode != BiddingMode.Sealed;
        }
        else if (_reachedCap.Count > 0)
        {
            // Nobody made a sealed offer: the first to reach the cap buys at the cap.
            (winner, price) = (_reachedCap[0].Number, Settings.PriceCap);
        }
        else
        {
            (winner, price) = (LeaderNumber, CurrentPrice);
        }

        if (winner is null || price is null)
        {
            return new LotOutcome(false, null, null, NoSaleReasons.NoBids, _reserve, false);
        }

        var reserveMet = _reserve is not { } reserve || (Settings.Mode == BiddingMode.Descending ? price <= reserve : price >= reserve);
        return reserveMet
            ? new LotOutcome(true, winner, price, null, _reserve, bySealed)
            : new LotOutcome(false, null, price, NoSaleReasons.ReserveNotMet, _reserve, bySealed);
    }

    private BidLogEntry Append(BidLogKind kind, DateTimeOffset at, int? bidder, decimal? amount, string? key, bool accepted, string? reason, string? data)
    {
        // The amount as the stored log reads it back (the bid's own scale, e.g. 53500000.0 from an increment of
        // 500000.0, would otherwise become the current price and the outcome's price in the Closed entry's data,
        // which a replay of the stored log, reading 53500000, cannot re-derive).
        amount = amount is { } a ? BidLogEntry.CanonicalAmount(a) : null;
        var sequence = LastSequence + 1;
        var hash = BidLogEntry.ComputeHash(sequence, kind, at, bidder, amount, key, accepted, reason, data, LastHash);
        var entry = new BidLogEntry(sequence, kind, at, bidder, amount, key, accepted, reason, data, LastHash, hash);
        Apply(entry, checkHash: false);
        _appended.Add(entry);
        return entry;
    }
}
