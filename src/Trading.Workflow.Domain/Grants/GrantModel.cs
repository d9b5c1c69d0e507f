using System.Globalization;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.Grants;

/// <summary>How a grant is sold (出让方式): 挂牌, 拍卖 or 招标 (a one-shot sealed offer on the bidding engine).</summary>
public enum GrantMode
{
    /// <summary>挂牌: free bidding for the whole listing (≥10 WD), then the timed phase (限时竞价) when 2 or more bidders bid.</summary>
    Listing,

    /// <summary>拍卖: ascending online auction; a bid in the last minutes moves the end.</summary>
    Auction,

    /// <summary>招标: one sealed offer per bidder, highest at or above the reserve wins.</summary>
    Tender,
}

/// <summary>Where an offering stands.</summary>
public enum GrantStage
{
    /// <summary>The grantor is still writing it.</summary>
    Draft,

    /// <summary>Submitted (the lot exists with its reserve, the procedure runs); staff review the notice.</summary>
    Submitted,

    /// <summary>The notice (出让公告) is on the portal; applications and bidding.</summary>
    Announced,

    /// <summary>The lot closed with a winner; the 成交确认书 is issued.</summary>
    Sold,

    /// <summary>流拍: no bid, or the best bid below the reserve; recorded and announced.</summary>
    NoSale,

    /// <summary>The result (出让结果公示) is published.</summary>
    ResultPublished,

    /// <summary>退回修改: staff sent it back with a reason before the notice; the grantor corrects and resubmits it (not public).</summary>
    Returned,

    /// <summary>撤回: the grantor withdrew it before the notice; its procedure ended (not public).</summary>
    Withdrawn,

    /// <summary>终止: ended after the notice, before a result, with a public termination notice; deposits refunded.</summary>
    Terminated,
}

/// <summary>Exploration (探矿权) or mining (采矿权) right.</summary>
public enum MineralRightKind
{
    Exploration,
    Mining,
}

/// <summary>
/// What is granted. Land use rights fill <see cref="Location"/> … <see cref="PlanningConditions"/>; mineral rights add
/// <see cref="Mineral"/>, <see cref="Coordinates"/>, <see cref="RightKind"/> and <see cref="Reserves"/>. Stored as one JSON value.
/// </summary>
public sealed record GrantParcel(
    string Location,
    decimal Area,
    string Use,
    int TermYears,
    string PlanningConditions,
    string? Mineral = null,
    string? Coordinates = null,
    MineralRightKind? RightKind = null,
    string? Reserves = null)
{
    public const int MaxTextLength = 2000;
}

/// <summary>
/// The grantor's offering as entered (the reserve is not here: it goes to the bidding engine only, at submission).
/// <paramref name="PriceCap"/> is the public 最高限价 of a listing or auction (reaching it switches the sale to a sealed
/// one-shot round among those who reached it, domain.md §4), null for none; <paramref name="AllowedMultiples"/> are the
/// multiples of the increment a bid may add (e.g. 1, 2, 3, 5, 10), empty or null for any whole multiple.
/// </summary>
public sealed record GrantOfferingInput(
    string Title,
    Guid OwnerEntityId,
    string RegionCode,
    GrantMode Mode,
    GrantParcel Parcel,
    decimal StartPrice,
    decimal Increment,
    decimal Deposit,
    DateTimeOffset ApplicationDeadline,
    DateTimeOffset BiddingOpens,
    DateTimeOffset BiddingEnds,
    decimal? PriceCap = null,
    IReadOnlyList<int>? AllowedMultiples = null)
{
    /// <summary>At most this many allowed multiples.</summary>
    public const int MaxMultiples = 10;

    /// <summary>The largest allowed multiple of the increment.</summary>
    public const int MaxMultiple = 100;
}

/// <summary>Who acts: user name (engine, trail), account id (memberships), roles and centre.</summary>
public sealed record GrantActor(string UserName, string AccountId, IReadOnlyCollection<string> Roles, Guid? CentreId)
{
    public bool IsStaff => Roles.Contains(Accounts.PlatformRoles.Staff);

    public bool IsSupervisor => Roles.Contains(Accounts.PlatformRoles.Supervisor);

    public bool IsGrantor => Roles.Contains(Accounts.PlatformRoles.Tenderee);

    public bool IsBidder => Roles.Contains(Accounts.PlatformRoles.Bidder);

    public bool IsStaffOf(Guid centreId) => IsStaff && CentreId == centreId;
}

/// <summary>Stable codes of the grant rules (messages in <c>GrantsResource</c>, zh and en).</summary>
public static class GrantRules
{
    /// <summary>
    /// Keys of <see cref="Exception.Data"/> on some rules' exceptions: the amounts (yuan) and instants the message names, so
    /// a page can word it in the user's language with its own formatting (the exception's message is English, for the log).
    /// </summary>
    public const string DataRequired = "required";
    public const string DataArrived = "arrived";
    public const string DataInTime = "inTime";
    public const string DataDeadline = "deadline";
    public const string DataStartPrice = "startPrice";
    public const string DataPriceCap = "priceCap";
    public const string DataYear = "year";
    public const string DataDays = "days";
    public const string DataEarliest = "earliest";
    public const string DataStart = "start";
    public const string DataEnd = "end";
    public const string DataCounted = "counted";
    public const string DataLatest = "latest";

    public const string NotFound = "Grant.NotFound";

    /// <summary>The notice is published: a withdrawal would be a 终止 with its own public notice, not a withdrawal.</summary>
    public const string AlreadyPublished = "Grant.AlreadyPublished";

    /// <summary>A returned offering keeps what its submitted project registered (title, owner, mode, region, start price, deposit).</summary>
    public const string FixedAfterSubmission = "Grant.FixedAfterSubmission";

    /// <summary>The offering's running procedure was started from a version without the return or withdrawal path.</summary>
    public const string ProcedureOutdated = "Grant.ProcedureOutdated";
    public const string NotAllowed = "Grant.NotAllowed";
    public const string Changed = "Grant.Changed";
    public const string NotDraft = "Grant.NotDraft";
    public const string WrongStage = "Grant.WrongStage";
    public const string ModeNotAllowed = "Grant.ModeNotAllowed";
    public const string ParcelInvalid = "Grant.ParcelInvalid";
    public const string PriceInvalid = "Grant.PriceInvalid";
    public const string ReserveInvalid = "Grant.ReserveInvalid";
    public const string DepositInvalid = "Grant.DepositInvalid";

    /// <summary>The price cap (最高限价) is not an amount in fen above the start price.</summary>
    public const string CapInvalid = "Grant.CapInvalid";

    /// <summary>A tender (招标, one sealed offer) has neither a price cap nor multiples of the increment.</summary>
    public const string NotForTender = "Grant.NotForTender";

    /// <summary>The allowed multiples are not distinct whole numbers from 1 to <see cref="GrantOfferingInput.MaxMultiple"/>, at most <see cref="GrantOfferingInput.MaxMultiples"/>.</summary>
    public const string MultiplesInvalid = "Grant.MultiplesInvalid";

    /// <summary>The reserve (底价) is above the price cap: the sale could never reach it.</summary>
    public const string ReserveAboveCap = "Grant.ReserveAboveCap";
    public const string NoticeTooShort = "Grant.NoticeTooShort";
    public const string ListingTooShort = "Grant.ListingTooShort";
    public const string BiddingTimesInvalid = "Grant.BiddingTimesInvalid";
    public const string DeadlineInvalid = "Grant.DeadlineInvalid";
    public const string ApplicationClosed = "Grant.ApplicationClosed";
    public const string AlreadyApplied = "Grant.AlreadyApplied";
    public const string NotEligible = "Grant.NotEligible";
    /// <summary>The deposit arrived in full, but not all of it by the application deadline.</summary>
    public const string DepositNotPaid = "Grant.DepositNotPaid";

    /// <summary>The deposit has not (fully) arrived in the sub-account at all.</summary>
    public const string DepositNotArrived = "Grant.DepositNotArrived";

    /// <summary>The deposit arrived but is no longer held: its refund was decided (or paid) or it was forfeited.</summary>
    public const string DepositReleased = "Grant.DepositReleased";
    public const string ReasonRequired = "Grant.ReasonRequired";
    public const string AlreadyDecided = "Grant.AlreadyDecided";
    public const string OwnApplication = "Grant.OwnApplication";
    public const string NotAParty = "Grant.NotAParty";
    public const string AlreadySigned = "Grant.AlreadySigned";
    public const string DemoOnly = "Grant.DemoOnly";
    public const string DemoScheduleInvalid = "Grant.DemoScheduleInvalid";

    /// <summary>A demo offering's compressed application deadline passed before staff published its notice.</summary>
    public const string DemoScheduleLapsed = "Grant.DemoScheduleLapsed";

    /// <summary>
    /// The opening time came before the notice was published: the sale did not open (its lot is shelved,
    /// <see cref="GrantLotOpeningGate"/>) and the notice is refused; staff return the offering for new dates.
    /// </summary>
    public const string NoticeAfterOpening = "Grant.NoticeAfterOpening";
    public const string NoProcedure = "Grant.NoProcedure";

    /// <summary>A termination (终止) before the notice: the offering is withdrawn (撤回) instead.</summary>
    public const string TerminateBeforeNotice = "Grant.TerminateBeforeNotice";

    /// <summary>The sale has a result (the lot closed, a winner recorded, the confirmation signed): it can no longer be terminated.</summary>
    public const string ResultDecided = "Grant.ResultDecided";

    public const string AlreadyTerminated = "Grant.AlreadyTerminated";

    /// <summary>The offering's running procedure was started from a version without the termination path.</summary>
    public const string TerminationUnsupported = "Grant.TerminationUnsupported";

    /// <summary>Staff terminate only on the grantor's written request: its letter (终止申请函) is uploaded with it.</summary>
    public const string TerminationLetterRequired = "Grant.TerminationLetterRequired";

    /// <summary>The request is recorded and the lot called off, but the procedure would not take the termination (suspended, an incident): it completes once the procedure runs again.</summary>
    public const string TerminationStalled = "Grant.TerminationStalled";

    /// <summary>
    /// A count in working days reaches a year the platform's calendar cannot count (no arrangement entered, and not a year
    /// after the last one, which counts provisionally): an administrator enters it at /administration/calendar.
    /// </summary>
    public const string CalendarYearMissing = "Grant.CalendarYearMissing";
}

/// <summary>
/// The limits of one trade type's grants: per-province settings (<c>Grants:Limits:&lt;trade type&gt;</c>) with the defaults
/// of domain.md §1C (land, 国土资源部令第39号) and §1D (mineral rights; 2011 rule and the Sichuan example).
/// </summary>
public sealed class GrantLimits
{
    /// <summary>日 from the notice to the start of the listing or auction (land 20, mineral 20).</summary>
    public int NoticeDays { get; set; } = 20;

    /// <summary>日 from the notice to the tender (招标) (land 20; mineral 30 by the 2011 rule).</summary>
    public int TenderNoticeDays { get; set; } = 20;

    /// <summary>Working days the listing (挂牌期) lasts at least, the opening day counted (10).</summary>
    public int ListingWorkingDays { get; set; } = 10;

    /// <summary>Working days after the close within which the result is published (land ≤10 WD; mineral ≤5 WD, Sichuan).</summary>
    public int ResultWorkingDays { get; set; } = 10;

    /// <summary>Working days after the close within which every other deposit is refunded, without interest (5).</summary>
    public int RefundWorkingDays { get; set; } = 5;

    /// <summary>The listing's timed phase window (限时竞价), each bid resetting it (4 minutes, as in Wuxi's system).</summary>
    public int CountdownMinutes { get; set; } = 4;

    /// <summary>The auction's extension: a bid in the last N minutes moves the end to N minutes after it (5).</summary>
    public int ExtensionMinutes { get; set; } = 5;

    /// <summary>
    /// Once a bid reaches the price cap, the minutes the others have to match it (应价) before the sealed round (5, as the
    /// bidding engine's staff form proposes; Wuxi's system sets these windows per region).
    /// </summary>
    public int CapMatchMinutes { get; set; } = 5;

    /// <summary>The sealed one-shot round (一次报价) among those who reached the cap, in minutes (10).</summary>
    public int SealedRoundMinutes { get; set; } = 10;

    /// <summary>The modes the trade type may use.</summary>
    public List<GrantMode> Modes { get; set; } = [GrantMode.Listing, GrantMode.Auction, GrantMode.Tender];

    public static GrantLimits LandDefaults() => new();

    public static GrantLimits MineralDefaults() => new() { TenderNoticeDays = 30, ResultWorkingDays = 5 };

    public int NoticeDaysFor(GrantMode mode) => mode == GrantMode.Tender ? TenderNoticeDays : NoticeDays;
}

/// <summary>Settings of the grants (<c>Grants</c>): the limits per trade type.</summary>
public sealed class GrantOptions
{
    public const string SectionName = "Grants";

    public Dictionary<string, GrantLimits> Limits { get; set; } = new(StringComparer.Ordinal)
    {
        [TradeTypes.LandRights] = GrantLimits.LandDefaults(),
        [TradeTypes.MineralRights] = GrantLimits.MineralDefaults(),
    };

    /// <summary>The demo schedule offered to the grantor of a demo centre (never in Production).</summary>
    public GrantDemoOptions Demo { get; set; } = new();

    public GrantLimits For(string tradeType) =>
        Limits.TryGetValue(tradeType, out var limits) ? limits : tradeType == TradeTypes.MineralRights ? GrantLimits.MineralDefaults() : GrantLimits.LandDefaults();

    public IEnumerable<string> Validate()
    {
        if (Demo.Schedule().Problem() is { } demoProblem)
        {
            yield return $"{SectionName}:Demo: {demoProblem}";
        }

        foreach (var (type, limits) in Limits)
        {
            if (type != TradeTypes.LandRights && type != TradeTypes.MineralRights)
            {
                yield return $"{SectionName}:Limits:{type} is not a grant trade type ({TradeTypes.LandRights}, {TradeTypes.MineralRights}).";
                continue;
            }

            var land = type == TradeTypes.LandRights;
            if (limits.NoticeDays < (land ? 20 : 1) || limits.TenderNoticeDays < (land ? 20 : 1))
            {
                yield return $"{SectionName}:Limits:{type}:NoticeDays/TenderNoticeDays = {limits.NoticeDays}/{limits.TenderNoticeDays} is below {(land ? "the 20 日 of 39号令" : "1")}.";
            }

            if (limits.ListingWorkingDays < (land ? 10 : 1))
            {
                yield return $"{SectionName}:Limits:{type}:ListingWorkingDays = {limits.ListingWorkingDays} is below {(land ? "the 10 WD of the listing" : "1")}.";
            }

            if (limits.ResultWorkingDays < 1 || (land && limits.ResultWorkingDays > 10))
            {
                yield return $"{SectionName}:Limits:{type}:ResultWorkingDays = {limits.ResultWorkingDays} must be 1 to {(land ? 10 : int.MaxValue)}.";
            }

            if (limits.RefundWorkingDays < 1 || (land && limits.RefundWorkingDays > 5))
            {
                yield return $"{SectionName}:Limits:{type}:RefundWorkingDays = {limits.RefundWorkingDays} must be 1 to {(land ? 5 : int.MaxValue)}.";
            }

            if (limits.CountdownMinutes is < 1 or > 60 || limits.ExtensionMinutes is < 1 or > 60)
            {
                yield return $"{SectionName}:Limits:{type}:CountdownMinutes/ExtensionMinutes must be 1 to 60.";
            }

            if (limits.CapMatchMinutes is < 1 or > 60 || limits.SealedRoundMinutes is < 1 or > 60)
            {
                yield return $"{SectionName}:Limits:{type}:CapMatchMinutes/SealedRoundMinutes must be 1 to 60.";
            }

            if (limits.Modes.Count == 0)
            {
                yield return $"{SectionName}:Limits:{type}:Modes names no mode.";
            }
        }
    }
}

/// <summary>
/// The demo schedule's defaults (<c>Grants:Demo</c>): the sale opens <see cref="OpensIn"/> after the submission and lasts
/// <see cref="Bidding"/>; <see cref="Countdown"/> shortens the timed phase and the extension (a walk in minutes).
/// </summary>
public sealed class GrantDemoOptions
{
    public TimeSpan OpensIn { get; set; } = GrantDemoSchedule.Default.OpensIn;

    public TimeSpan Bidding { get; set; } = GrantDemoSchedule.Default.Bidding;

    public TimeSpan? Countdown { get; set; }

    public GrantDemoSchedule Schedule() => new(OpensIn, Bidding, Countdown);
}

/// <summary>
/// The schedule rules of a grant on the platform's calendar (domain.md §9): 日 limits count calendar days from the day after
/// the notice and roll over to the next working day; the listing counts working days, its opening day included.
/// </summary>
public static class GrantSchedule
{
    /// <summary>The earliest date the listing, auction or tender may start after a notice published at <paramref name="noticeAt"/>.</summary>
    public static DateOnly EarliestStart(DateTimeOffset noticeAt, int days, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return Counted(() =>
        {
            var day = ChinaStandardTime.DateOf(noticeAt).AddDays(days);
            while (!calendar.IsWorkingDay(day))
            {
                day = day.AddDays(1);
            }

            return day;
        });
    }

    /// <summary>Working days of the listing, the opening day and the closing day included.</summary>
    public static int ListingWorkingDays(DateTimeOffset opens, DateTimeOffset ends, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return Counted(() =>
        {
            var count = 0;
            for (var d = ChinaStandardTime.DateOf(opens); d <= ChinaStandardTime.DateOf(ends); d = d.AddDays(1))
            {
                count += calendar.IsWorkingDay(d) ? 1 : 0;
            }

            return count;
        });
    }

    /// <summary>
    /// A count on the platform's calendar. A year it cannot count is refused with <see cref="GrantRules.CalendarYearMissing"/>
    /// naming the year, so a page says what to do (an administrator enters it) instead of failing, and a procedure step
    /// fails with that message until the year is entered.
    /// </summary>
    public static T Counted<T>(Func<T> count)
    {
        ArgumentNullException.ThrowIfNull(count);
        try
        {
            return count();
        }
        catch (CalendarDataMissingException e)
        {
            var missing = new DomainRuleException(GrantRules.CalendarYearMissing,
                $"The working-day calendar has no holiday arrangement for {e.Year}: an administrator enters it at /administration/calendar.");
            missing.Data[GrantRules.DataYear] = e.Year;
            throw missing;
        }
    }

    /// <summary>The offering's terms, refused with a rule code and a message that names the dates.</summary>
    public static void CheckTerms(GrantOfferingInput input, GrantLimits limits)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        if (!limits.Modes.Contains(input.Mode))
        {
            throw new DomainRuleException(GrantRules.ModeNotAllowed, $"The mode {input.Mode} is not allowed here ({string.Join(", ", limits.Modes)}).");
        }

        var p = input.Parcel;
        if (string.IsNullOrWhiteSpace(input.Title) || string.IsNullOrWhiteSpace(p.Location) || string.IsNullOrWhiteSpace(p.Use) || p.Area <= 0 || p.TermYears is < 1 or > 70
            || Longer(p.Location, p.Use, p.PlanningConditions, p.Mineral, p.Coordinates, p.Reserves))
        {
            throw new DomainRuleException(GrantRules.ParcelInvalid, "Title, location, use, a positive area and a term of 1 to 70 years are needed; texts are at most 2000 characters.");
        }

        if (input.StartPrice <= 0 || input.Increment <= 0 || input.Increment > input.StartPrice || decimal.Round(input.StartPrice, 2) != input.StartPrice || decimal.Round(input.Increment, 2) != input.Increment)
        {
            throw new DomainRuleException(GrantRules.PriceInvalid, "The start price and the increment are positive amounts in fen, the increment not above the start price.");
        }

        if (input.Deposit <= 0 || input.Deposit > input.StartPrice || decimal.Round(input.Deposit, 2) != input.Deposit)
        {
            throw new DomainRuleException(GrantRules.DepositInvalid, "The deposit is a positive amount in fen, not above the start price.");
        }

        CheckBiddingTerms(input);
    }

    /// <summary>
    /// The price cap and the allowed multiples, by the bidding engine's rules (<see cref="Bidding.LotSettings.Problems"/>) so
    /// the grantor hears of them when saving, not at submission: a tender has neither; the cap is in fen and above the start
    /// price (a bid may always reach it exactly, so it need not be a whole number of increments above the start); the
    /// multiples are distinct whole numbers from 1 to <see cref="GrantOfferingInput.MaxMultiple"/>, at most
    /// <see cref="GrantOfferingInput.MaxMultiples"/> of them.
    /// </summary>
    public static void CheckBiddingTerms(GrantOfferingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var multiples = input.AllowedMultiples ?? [];
        if (input.Mode == GrantMode.Tender && (input.PriceCap is not null || multiples.Count > 0))
        {
            throw new DomainRuleException(GrantRules.NotForTender, "A tender (one sealed offer) has no price cap and no multiples of the increment.");
        }

        if (input.PriceCap is { } cap && (cap <= input.StartPrice || !Bidding.LotSettings.IsInFen(cap)))
        {
            var invalid = new DomainRuleException(GrantRules.CapInvalid, $"The price cap (最高限价) is an amount in fen above the start price of {input.StartPrice:N2}.");
            invalid.Data[GrantRules.DataStartPrice] = input.StartPrice;
            throw invalid;
        }

        if (multiples.Count > GrantOfferingInput.MaxMultiples || multiples.Any(m => m is < 1 or > GrantOfferingInput.MaxMultiple) || multiples.Distinct().Count() != multiples.Count)
        {
            throw new DomainRuleException(GrantRules.MultiplesInvalid,
                $"The allowed multiples of the increment are distinct whole numbers from 1 to {GrantOfferingInput.MaxMultiple}, at most {GrantOfferingInput.MaxMultiples} of them.");
        }
    }

    /// <summary>
    /// The dates against a notice published at <paramref name="noticeAt"/>: the start at least the notice days after it
    /// (Grant.NoticeTooShort), a listing of at least the listing working days (Grant.ListingTooShort), applications open
    /// after the notice and closing before the bidding ends (a listing) or starts (an auction or tender).
    /// </summary>
    public static void CheckDates(GrantOfferingInput input, DateTimeOffset noticeAt, GrantLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(limits);
        if (input.BiddingEnds <= input.BiddingOpens)
        {
            throw new DomainRuleException(GrantRules.BiddingTimesInvalid, "The bidding must end after it starts.");
        }

        var days = limits.NoticeDaysFor(input.Mode);
        var earliest = EarliestStart(noticeAt, days, calendar);
        if (ChinaStandardTime.DateOf(input.BiddingOpens) < earliest)
        {
            // The figures go with the rule so the page names them in the user's language (the message is the log's).
            var tooShort = new DomainRuleException(GrantRules.NoticeTooShort,
                $"The notice must be published at least {days} 日 before the bidding starts: a notice on {Day(noticeAt)} allows a start on {earliest:yyyy-MM-dd} at the earliest, not {Day(input.BiddingOpens)}.");
            tooShort.Data[GrantRules.DataDays] = days;
            tooShort.Data[GrantRules.DataEarliest] = earliest;
            tooShort.Data[GrantRules.DataStart] = ChinaStandardTime.DateOf(input.BiddingOpens);
            throw tooShort;
        }

        if (input.Mode == GrantMode.Listing)
        {
            var listing = ListingWorkingDays(input.BiddingOpens, input.BiddingEnds, calendar);
            if (listing < limits.ListingWorkingDays)
            {
                var listingShort = new DomainRuleException(GrantRules.ListingTooShort,
                    $"The listing must last at least {limits.ListingWorkingDays} working days: {Day(input.BiddingOpens)} to {Day(input.BiddingEnds)} has {listing}.");
                listingShort.Data[GrantRules.DataDays] = limits.ListingWorkingDays;
                listingShort.Data[GrantRules.DataStart] = ChinaStandardTime.DateOf(input.BiddingOpens);
                listingShort.Data[GrantRules.DataEnd] = ChinaStandardTime.DateOf(input.BiddingEnds);
                listingShort.Data[GrantRules.DataCounted] = listing;
                throw listingShort;
            }
        }

        CheckDeadline(input, noticeAt);
    }

    /// <summary>Applications close after the notice and no later than the listing's end or the auction's start.</summary>
    public static void CheckDeadline(GrantOfferingInput input, DateTimeOffset noticeAt)
    {
        ArgumentNullException.ThrowIfNull(input);
        var latest = input.Mode == GrantMode.Listing ? input.BiddingEnds : input.BiddingOpens;
        if (input.ApplicationDeadline <= noticeAt || input.ApplicationDeadline > latest)
        {
            var invalid = new DomainRuleException(GrantRules.DeadlineInvalid,
                $"Applications and deposits close after the notice and no later than {(input.Mode == GrantMode.Listing ? "the listing's end" : "the start of the bidding")} ({Local(latest)}).");
            invalid.Data[GrantRules.DataLatest] = latest;
            throw invalid;
        }
    }

    public static string Day(DateTimeOffset instant) => ChinaStandardTime.DateOf(instant).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Local(DateTimeOffset instant) => instant.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static bool Longer(params string?[] texts) => texts.Any(t => t is { Length: > GrantParcel.MaxTextLength });
}
