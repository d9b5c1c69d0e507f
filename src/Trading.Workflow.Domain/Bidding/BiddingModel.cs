using System.Globalization;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>How a lot is sold (domain.md §4).</summary>
public enum BiddingMode
{
    /// <summary>拍卖: ascending open bidding until the scheduled end, moved by the extension rule.</summary>
    Ascending,

    /// <summary>挂牌: free bidding until the free-period end, then the timed phase (限时竞价) when enough bidders bid.</summary>
    Listing,

    /// <summary>一次报价: one sealed offer per bidder, revealed at the close; highest wins, earliest on a tie.</summary>
    Sealed,

    /// <summary>Reverse bidding: each bid lowers the price by multiples of the increment; lowest wins.</summary>
    Descending,
}

public enum LotPhase
{
    /// <summary>Before the opening time: bids are refused.</summary>
    Scheduled,

    /// <summary>Bidding (the auction, the listing's free period, the sealed window, the reverse auction).</summary>
    Open,

    /// <summary>限时竞价: the listing's timed phase, each bid resets the countdown.</summary>
    Timed,

    /// <summary>The price cap was reached: other bidders may match the cap until the window ends.</summary>
    CapMatch,

    /// <summary>The sealed one-shot round among those who reached the cap.</summary>
    SealedRound,

    Closed,

    /// <summary>
    /// The sale was called off (终止) before a result: no outcome, the reserve never revealed, every later bid refused.
    /// Terminal like <see cref="Closed"/>, but the close hooks never run for it.
    /// </summary>
    CalledOff,

    /// <summary>
    /// Taken off before it was announced (the offering returned or withdrawn, its submission failed): it never opens or
    /// closes, its reserve stays sealed, and every later command is refused. Terminal; no close hooks.
    /// </summary>
    Shelved,
}

public static class LotPhases
{
    /// <summary>No bid is taken any more: closed with an outcome, called off or shelved without one.</summary>
    public static bool IsEnded(this LotPhase phase) => phase is LotPhase.Closed or LotPhase.CalledOff or LotPhase.Shelved;
}

/// <summary>What a bid-log entry records.</summary>
public enum BidLogKind
{
    /// <summary>The sale's parameters and the commitment (SM3) to the confidential reserve.</summary>
    Opened,

    /// <summary>A bidder number admitted (eligibility checked before; the identity stays outside the log).</summary>
    Admitted,

    /// <summary>A bid judged on arrival: accepted or refused with a rule code.</summary>
    Bid,

    /// <summary>The increment or its allowed multiples changed during the sale, announced to all.</summary>
    IncrementChanged,

    /// <summary>A phase change decided by the server clock at a deadline.</summary>
    PhaseChanged,

    /// <summary>The close, with the outcome and the revealed reserve.</summary>
    Closed,

    /// <summary>
    /// A bidder number's admission withdrawn because its deposit is no longer held (refund decided, forfeited): its
    /// later bids are refused as not eligible; what it bid before stands as judged.
    /// </summary>
    Excluded,

    /// <summary>The sale called off before a result (its data: the reason); nothing is decided and the reserve stays sealed.</summary>
    CalledOff,

    /// <summary>The lot shelved before its announcement (its data: the reason and who); it never opens or closes.</summary>
    Shelved,
}

/// <summary>Stable codes of the bidding rules: refusal reasons and the engine's own errors.</summary>
public static class BiddingRules
{
    public const string NotEligible = "Bidding.NotEligible";
    public const string NotOpen = "Bidding.NotOpen";
    public const string AfterClose = "Bidding.AfterClose";
    public const string BelowNextValid = "Bidding.BelowNextValid";
    public const string NotMultiple = "Bidding.NotMultiple";
    public const string MultipleNotAllowed = "Bidding.MultipleNotAllowed";
    public const string AboveCap = "Bidding.AboveCap";
    public const string CapMatchOnly = "Bidding.CapMatchOnly";
    public const string AlreadyLeading = "Bidding.AlreadyLeading";
    public const string AlreadyOffered = "Bidding.AlreadyOffered";
    public const string NotInSealedRound = "Bidding.NotInSealedRound";
    public const string InvalidAmount = "Bidding.InvalidAmount";

    /// <summary>The sale was called off (终止): no bid is taken any more.</summary>
    public const string CalledOff = "Bidding.CalledOff";

    /// <summary>The lot was shelved (its offering returned or withdrawn before the notice): it takes no command any more.</summary>
    public const string Shelved = "Bidding.Shelved";

    public const string LotUnknown = "Bidding.LotUnknown";
    public const string SettingsInvalid = "Bidding.SettingsInvalid";
    public const string AlreadyAdmitted = "Bidding.AlreadyAdmitted";
    public const string IncrementChangeNotAllowed = "Bidding.IncrementChangeNotAllowed";
    public const string LogBroken = "Bidding.LogBroken";
    public const string ReserveConfidential = "Bidding.ReserveConfidential";
}

/// <summary>Why a lot did not sell.</summary>
public static class NoSaleReasons
{
    public const string NoBids = "NoBids";
    public const string ReserveNotMet = "ReserveNotMet";
}

/// <summary>
/// The parameters of one sale. <see cref="ScheduledEnd"/> is the auction's, sealed window's or reverse auction's end,
/// or the listing's free-period end. The reserve is not here: it stays with the lot row until the close.
/// </summary>
public sealed record LotSettings(
    BiddingMode Mode,
    decimal StartPrice,
    decimal Increment,
    IReadOnlyList<int> AllowedMultiples,
    DateTimeOffset Opens,
    DateTimeOffset ScheduledEnd,
    TimeSpan Countdown,
    TimeSpan Extension,
    int MinimumBidders = 2,
    decimal? PriceCap = null,
    TimeSpan CapMatchWindow = default,
    TimeSpan SealedRoundLength = default)
{
    /// <summary>
    /// The allowed multiples as a person types them ("1, 2, 5", also with 、 or full-width commas), or null when a part is
    /// not a whole number. Range and distinctness are <see cref="Problems"/>'s (and a slice's own) rules; empty is any.
    /// </summary>
    public static IReadOnlyList<int>? ParseMultiples(string? text)
    {
        var multiples = new List<int>();
        foreach (var part in (text ?? string.Empty).Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var multiple))
            {
                return null;
            }

            multiples.Add(multiple);
        }

        return multiples;
    }

    /// <summary>Every reason these settings cannot run a sale (empty when they can).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (StartPrice <= 0) problems.Add("StartPrice must be positive.");
        if (Increment <= 0) problems.Add("Increment must be positive.");
        if (!IsInFen(StartPrice) || !IsInFen(Increment) || PriceCap is { } inFen && !IsInFen(inFen)) problems.Add("Prices and the increment are amounts in fen (at most two decimals).");
        if (AllowedMultiples.Any(m => m < 1)) problems.Add("AllowedMultiples must be positive.");
        if (ScheduledEnd <= Opens) problems.Add("ScheduledEnd must be after Opens.");
        if (Countdown < TimeSpan.Zero || Extension < TimeSpan.Zero) problems.Add("Countdown and Extension cannot be negative.");
        if (Mode == BiddingMode.Listing && Countdown <= TimeSpan.Zero) problems.Add("A listing needs a countdown for its timed phase.");
        if (MinimumBidders < 1) problems.Add("MinimumBidders must be at least 1.");
        if (PriceCap is { } cap)
        {
            if (Mode is BiddingMode.Sealed or BiddingMode.Descending) problems.Add("A price cap applies to ascending auctions and listings only.");
            if (cap <= StartPrice) problems.Add("PriceCap must be above StartPrice.");
            if (SealedRoundLength <= TimeSpan.Zero) problems.Add("A price cap needs the sealed round's length.");
        }

        return problems;
    }

    /// <summary>The same settings with canonical amounts (<see cref="BidLogEntry.CanonicalAmount"/>) and UTC times, as a lot's log records them.</summary>
    public LotSettings Canonical() => this with
    {
        StartPrice = BidLogEntry.CanonicalAmount(StartPrice),
        Increment = BidLogEntry.CanonicalAmount(Increment),
        PriceCap = PriceCap is { } cap ? BidLogEntry.CanonicalAmount(cap) : null,
        AllowedMultiples = [.. AllowedMultiples],
        Opens = Opens.ToUniversalTime(),
        ScheduledEnd = ScheduledEnd.ToUniversalTime(),
    };

    /// <summary>Whether an amount is in fen (at most two decimals), as every bid must be.</summary>
    public static bool IsInFen(decimal amount) => amount == decimal.Round(amount, 2);

    public bool IsMultipleAllowed(long multiple) => AllowedMultiples.Count == 0 || AllowedMultiples.Contains((int)Math.Min(multiple, int.MaxValue));
}

/// <summary>A bid as it reaches the lot's sequencer: who (bidder number), how much, and the client's idempotency key.</summary>
public sealed record BidAttempt(int BidderNumber, decimal Amount, string? IdempotencyKey);

/// <summary>
/// One line of the append-only bid log. <see cref="Hash"/> = SM3 over the canonical text of every field and
/// <see cref="PreviousHash"/>, so no line can be changed, removed or reordered without breaking the chain.
/// </summary>
public sealed record BidLogEntry(
    long Sequence,
    BidLogKind Kind,
    DateTimeOffset At,
    int? BidderNumber,
    decimal? Amount,
    string? IdempotencyKey,
    bool Accepted,
    string? Reason,
    string? Data,
    string PreviousHash,
    string Hash)
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// The canonical text of an amount: invariant, no trailing zeros, every decimal kept (a decimal has at most 28), so
    /// the stored text reads back as exactly the amount that was judged.
    /// </summary>
    public static string FormatAmount(decimal amount) => amount.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>
    /// The amount without trailing zeros (50000000.00 → 50000000): the value the stored log reads back. The book holds
    /// every amount in this form, so what it writes into an entry's data (the outcome's price, an increment) is the
    /// same whether it judged the bid on arrival or a verifier replays the stored log.
    /// </summary>
    public static decimal CanonicalAmount(decimal amount) => decimal.Parse(FormatAmount(amount), NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>The canonical text the hash is taken over.</summary>
    public static string Canonical(long sequence, BidLogKind kind, DateTimeOffset at, int? bidder, decimal? amount, string? key, bool accepted, string? reason, string? data, string previousHash) =>
        string.Join('\u001f',
            sequence.ToString(CultureInfo.InvariantCulture),
            kind.ToString(),
            at.UtcTicks.ToString(CultureInfo.InvariantCulture),
            bidder?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            amount is { } a ? FormatAmount(a) : string.Empty,
            key ?? string.Empty,
            accepted ? "1" : "0",
            reason ?? string.Empty,
            data ?? string.Empty,
            previousHash);

    public static string ComputeHash(long sequence, BidLogKind kind, DateTimeOffset at, int? bidder, decimal? amount, string? key, bool accepted, string? reason, string? data, string previousHash) =>
        Convert.ToHexStringLower(Trail.Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(Canonical(sequence, kind, at, bidder, amount, key, accepted, reason, data, previousHash))));

    public string ExpectedHash() => ComputeHash(Sequence, Kind, At, BidderNumber, Amount, IdempotencyKey, Accepted, Reason, Data, PreviousHash);

    /// <summary>Same content, hash included (the verifier compares what it re-derives with what is stored).</summary>
    public bool SameAs(BidLogEntry other) =>
        Sequence == other.Sequence && Kind == other.Kind && At.UtcTicks == other.At.UtcTicks && BidderNumber == other.BidderNumber
        && Amount == other.Amount && IdempotencyKey == other.IdempotencyKey && Accepted == other.Accepted && Reason == other.Reason
        && Data == other.Data && PreviousHash == other.PreviousHash && Hash == other.Hash;
}

/// <summary>The result of a sale, derived from the log alone.</summary>
public sealed record LotOutcome(bool Sold, int? WinnerNumber, decimal? Price, string? NoSaleReason, decimal? Reserve, bool DecidedBySealedRound);
