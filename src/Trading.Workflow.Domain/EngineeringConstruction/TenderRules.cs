using System.Globalization;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// The time limits and counts of an engineering-construction tender (招标投标法 "法", 实施条例 "条例"), each refused with a
/// stable code and a message naming the rule and its article. Periods in 日 are counted by the Civil Code (domain.md §9):
/// the act's China-Standard-Time date is not counted, day N is the act's date + N, and a day N that is not a working day
/// by the platform's calendar moves to the next working day; an event on that date (at any time of it) meets the limit.
/// "At least N 日 before the deadline" is read the same way: the act's date + N 日 (rolled over) must not be later than
/// the deadline's date.
/// </summary>
public static class TenderRules
{
    public const string SalePeriodTooShort = "Tender.SalePeriodTooShort";
    public const string BidDeadlineTooEarly = "Tender.BidDeadlineTooEarly";
    public const string DepositAboveCap = "Tender.DepositAboveCap";
    public const string ExtendedDeadlineTooEarly = "Tender.ExtendedDeadlineTooEarly";
    public const string DocumentsNotIssued = "Tender.DocumentsNotIssued";
    public const string ObjectionTooLate = "Tender.ObjectionTooLate";
    public const string TooFewInvitees = "Tender.TooFewInvitees";
    public const string InviteeNotVerified = "Tender.InviteeNotVerified";
    public const string PrequalificationSalePeriodTooShort = "Tender.PrequalificationSalePeriodTooShort";
    public const string ApplicationDeadlineTooEarly = "Tender.ApplicationDeadlineTooEarly";
    public const string TooFewQualified = "Tender.TooFewQualified";
    public const string TooFewBids = "Tender.TooFewBids";
    public const string SaleEndsBeforeStart = "Tender.SaleEndsBeforeStart";
    public const string SaleStartsInPast = "Tender.SaleStartsInPast";
    public const string DeadlineBeforeSaleEnd = "Tender.DeadlineBeforeSaleEnd";
    public const string DocumentsRequired = "Tender.DocumentsRequired";
    public const string PrequalificationDatesRequired = "Tender.PrequalificationDatesRequired";
    public const string SaleBeforePrequalification = "Tender.SaleBeforePrequalification";
    public const string NotInvited = "Tender.NotInvited";
    public const string NotScheduled = "Tender.NotScheduled";
    public const string WrongStage = "Tender.WrongStage";
    public const string DeadlineNotReached = "Tender.DeadlineNotReached";
    public const string NotFound = "Tender.NotFound";
    public const string NotOnSale = "Tender.NotOnSale";
    public const string NotAdmitted = "Tender.NotAdmitted";
    public const string NotAllowed = "Tender.NotAllowed";
    public const string TextRequired = "Tender.TextRequired";
    public const string ObjectionAnswered = "Tender.ObjectionAnswered";
    public const string NotDownloaded = "Tender.NotDownloaded";
    public const string NoticeNotPublished = "Tender.NoticeNotPublished";
    public const string ReasonRequired = "Tender.ReasonRequired";
    public const string ApplicationsClosed = "Tender.ApplicationsClosed";
    public const string ApplicationsStillOpen = "Tender.ApplicationsStillOpen";
    public const string ReviewIncomplete = "Tender.ReviewIncomplete";
    public const string DocumentsObjectionOpen = "Tender.DocumentsObjectionOpen";
    public const string OpeningTooSoon = "Tender.OpeningTooSoon";
    public const string OpeningNotToAnnounce = "Tender.OpeningNotToAnnounce";

    /// <summary>
    /// How long before now a sale being set may start: a form's "now" is minutes old when it is saved (documents are
    /// uploaded meanwhile). Never before 00:00 of today (China Standard Time): the 5 and 20 日 count from the start's
    /// date, so a start on an earlier date would count a day on which nothing was on sale.
    /// </summary>
    public static readonly TimeSpan SaleStartTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The China-Standard-Time date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(ChinaStandardTime.Offset).DateTime);

    /// <summary>The last day of a period of <paramref name="days"/> 日 starting at <paramref name="from"/>, rolled past days off (Civil Code 201–203).</summary>
    public static DateOnly LastDayOf(DateTimeOffset from, int days, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var day = DateOf(from).AddDays(days);
        return calendar.IsWorkingDay(day) ? day : calendar.NextWorkingDay(day);
    }

    /// <summary>24:00 (China Standard Time) of a date: the instant a period ending that day runs out.</summary>
    public static DateTimeOffset EndOf(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaStandardTime.Offset);

    /// <summary>True when <paramref name="later"/> falls on or after the last day of <paramref name="days"/> 日 from <paramref name="from"/>.</summary>
    public static bool IsAtLeast(DateTimeOffset from, DateTimeOffset later, int days, IBusinessCalendar calendar) =>
        DateOf(later) >= LastDayOf(from, days, calendar);

    /// <summary>The earliest start a sale set at <paramref name="now"/> may have (<see cref="SaleStartTolerance"/>).</summary>
    public static DateTimeOffset EarliestSaleStart(DateTimeOffset now)
    {
        var today = new DateTimeOffset(DateOf(now).ToDateTime(TimeOnly.MinValue), ChinaStandardTime.Offset);
        var grace = now - SaleStartTolerance;
        return grace > today ? grace : today;
    }

    /// <summary>
    /// A sale that has not started is set to start now or later: the periods of 条例 16 and 法 24 run from its start, so a
    /// start in the past would shorten what the bidders really get.
    /// </summary>
    public static void CheckSaleStartsAhead(DateTimeOffset saleStart, DateTimeOffset now)
    {
        if (saleStart < EarliestSaleStart(now))
        {
            throw new DomainRuleException(SaleStartsInPast,
                $"The documents' sale cannot start in the past: {Local(saleStart)} is before now, {Local(now)} (China Standard Time); the 5 and 20 日 (条例 16, 法 24) count from the start.");
        }
    }

    /// <summary>Document sale (发售期) of at least 5 日 (条例 16); the sale ends no earlier than it starts.</summary>
    public static void CheckSalePeriod(DateTimeOffset saleStart, DateTimeOffset saleEnd, TenderLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (saleEnd <= saleStart)
        {
            throw new DomainRuleException(SaleEndsBeforeStart, "The tender documents' sale must end after it starts.");
        }

        if (!IsAtLeast(saleStart, saleEnd, limits.SalePeriodDays, calendar))
        {
            throw new DomainRuleException(SalePeriodTooShort,
                $"The tender documents must be on sale for at least {limits.SalePeriodDays} 日 (条例 16): from {DateOf(saleStart):yyyy-MM-dd} the sale may end on {LastDayOf(saleStart, limits.SalePeriodDays, calendar):yyyy-MM-dd} at the earliest, not {DateOf(saleEnd):yyyy-MM-dd}.");
        }
    }

    /// <summary>
    /// The end of a sale starting late at <paramref name="start"/> and the bid deadline: each kept when it still leaves its
    /// 5 日 (条例 16) or 20 日 (法 24) from the real start, else the same time of day on the earliest allowed date.
    /// </summary>
    public static (DateTimeOffset SaleEndsAt, DateTimeOffset BidDeadline) DatesForLateSale(
        DateTimeOffset start, DateTimeOffset saleEnd, DateTimeOffset deadline, TenderLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var end = IsAtLeast(start, saleEnd, limits.SalePeriodDays, calendar) ? saleEnd : SameTimeOn(LastDayOf(start, limits.SalePeriodDays, calendar), saleEnd);
        var due = IsAtLeast(start, deadline, limits.BidPreparationDays, calendar) ? deadline : SameTimeOn(LastDayOf(start, limits.BidPreparationDays, calendar), deadline);
        return (end, due < end ? end : due);
    }

    private static DateTimeOffset SameTimeOn(DateOnly day, DateTimeOffset timeOf) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), ChinaStandardTime.Offset).Add(timeOf.ToOffset(ChinaStandardTime.Offset).TimeOfDay);

    /// <summary>Bid deadline at least 20 日 after the tender documents are first issued (法 24), and not before the sale ends.</summary>
    public static void CheckBidDeadline(DateTimeOffset documentsIssued, DateTimeOffset saleEnd, DateTimeOffset deadline, TenderLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!IsAtLeast(documentsIssued, deadline, limits.BidPreparationDays, calendar))
        {
            throw new DomainRuleException(BidDeadlineTooEarly,
                $"The bid deadline must be at least {limits.BidPreparationDays} 日 after the tender documents are first issued (法 24): documents issued on {DateOf(documentsIssued):yyyy-MM-dd} allow a deadline on {LastDayOf(documentsIssued, limits.BidPreparationDays, calendar):yyyy-MM-dd} at the earliest, not {DateOf(deadline):yyyy-MM-dd}.");
        }

        if (deadline < saleEnd)
        {
            throw new DomainRuleException(DeadlineBeforeSaleEnd, "The bid deadline cannot come before the end of the documents' sale.");
        }
    }

    /// <summary>A section's bid deposit at most 2% of its estimated price (条例 26), rounded down to the fen.</summary>
    public static void CheckDeposit(string section, decimal estimatedPrice, decimal deposit, TenderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var cap = decimal.Round(estimatedPrice * limits.DepositCapRate, 2, MidpointRounding.ToZero);
        if (deposit > cap)
        {
            throw new DomainRuleException(DepositAboveCap,
                $"The bid deposit of section '{section}' ({deposit:N2} yuan) exceeds {limits.DepositCapRate:P0} of its estimated price, {cap:N2} yuan (条例 26).");
        }
    }

    /// <summary>
    /// The bid deadline after a clarification or amendment published at <paramref name="publishedAt"/> (法 23, 条例 21):
    /// unchanged when the publication is at least 15 日 before it, else the same time of day on the earliest allowed
    /// date, the 15th 日 after the publication (rolled past days off) — or <paramref name="proposed"/> when the tenderee
    /// names a later one.
    /// </summary>
    public static DateTimeOffset DeadlineAfterClarification(
        DateTimeOffset publishedAt, DateTimeOffset deadline, DateTimeOffset? proposed, TenderLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var earliest = LastDayOf(publishedAt, limits.ClarificationDays, calendar);
        if (proposed is { } chosen)
        {
            if (DateOf(chosen) < earliest || chosen < deadline)
            {
                throw new DomainRuleException(ExtendedDeadlineTooEarly,
                    $"A clarification published on {DateOf(publishedAt):yyyy-MM-dd} needs a bid deadline at least {limits.ClarificationDays} 日 after it, on {earliest:yyyy-MM-dd} or later, and not before the current deadline (法 23, 条例 21).");
            }

            return chosen;
        }

        if (DateOf(deadline) >= earliest)
        {
            return deadline;
        }

        return SameTimeOn(earliest, deadline);
    }

    /// <summary>True when a clarification published at <paramref name="publishedAt"/> forces the deadline out (法 23, 条例 21).</summary>
    public static bool ClarificationForcesExtension(DateTimeOffset publishedAt, DateTimeOffset deadline, TenderLimits limits, IBusinessCalendar calendar) =>
        !IsAtLeast(publishedAt, deadline, limits.ClarificationDays, calendar);

    /// <summary>Whether an objection to the tender documents raised at <paramref name="raisedAt"/> is in time (条例 22); pages ask this too.</summary>
    public static bool IsObjectionInTime(DateTimeOffset raisedAt, DateTimeOffset deadline, TenderLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return IsAtLeast(raisedAt, deadline, limits.ObjectionDaysBeforeDeadline, calendar);
    }

    /// <summary>The last day (China time) an objection to the tender documents is in time (<see cref="IsObjectionInTime"/>).</summary>
    public static DateOnly ObjectionLastDay(DateTimeOffset deadline, TenderLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        // Rolling past days off only moves a period's end later, so the in-time days are those up to this one.
        var day = DateOf(deadline).AddDays(-limits.ObjectionDaysBeforeDeadline);
        while (!IsAtLeast(EndOf(day).AddTicks(-1), deadline, limits.ObjectionDaysBeforeDeadline, calendar))
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    /// <summary>Objections to the tender documents only until 10 日 before the bid deadline (条例 22).</summary>
    public static void CheckObjectionInTime(DateTimeOffset raisedAt, DateTimeOffset deadline, TenderLimits limits, IBusinessCalendar calendar)
    {
        if (!IsObjectionInTime(raisedAt, deadline, limits, calendar))
        {
            throw new DomainRuleException(ObjectionTooLate,
                $"Objections to the tender documents are accepted until {limits.ObjectionDaysBeforeDeadline} 日 before the bid deadline of {DateOf(deadline):yyyy-MM-dd} (条例 22); this one comes on {DateOf(raisedAt):yyyy-MM-dd}.");
        }
    }

    /// <summary>The end (24:00) of the 3rd 日 after an objection was received: the tenderee's answer is due then (条例 22).</summary>
    public static DateTimeOffset ObjectionAnswerDue(DateTimeOffset raisedAt, TenderLimits limits, IBusinessCalendar calendar) =>
        EndOf(LastDayOf(raisedAt, limits.ObjectionAnswerDays, calendar));

    /// <summary>
    /// The earliest opening a time announced at <paramref name="announcedAt"/> may set, after an answer that came once the
    /// deadline had passed (条例 22 hold): on the 1st 日 after the announcement or later (Civil Code 201, rolled past days
    /// off, 203) and never less than that many full days after it, so every bidder has a whole day's notice to be online
    /// for the decryption whatever the hour of the announcement.
    /// </summary>
    public static DateTimeOffset EarliestAnnouncedOpening(DateTimeOffset announcedAt, TenderLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var firstDay = new DateTimeOffset(LastDayOf(announcedAt, limits.OpeningNoticeDays, calendar).ToDateTime(TimeOnly.MinValue), ChinaStandardTime.Offset);
        var fullDays = announcedAt.AddDays(limits.OpeningNoticeDays);
        return firstDay > fullDays ? firstDay : fullDays;
    }

    /// <summary>An announced opening is not earlier than <see cref="EarliestAnnouncedOpening"/>.</summary>
    public static void CheckAnnouncedOpening(DateTimeOffset announcedAt, DateTimeOffset openingAt, TenderLimits limits, IBusinessCalendar calendar)
    {
        var earliest = EarliestAnnouncedOpening(announcedAt, limits, calendar);
        if (openingAt < earliest)
        {
            throw new DomainRuleException(OpeningTooSoon, string.Create(CultureInfo.InvariantCulture,
                $"The bidders need at least {limits.OpeningNoticeDays} 日 notice of the new opening time: announced at {TenderVariables.Instant(announcedAt)}, the opening may be at {TenderVariables.Instant(earliest)} or later."));
        }
    }

    /// <summary>An invited tender invites at least 3 verified entities (法 17).</summary>
    public static void CheckInvitations(IReadOnlyList<Invitee> invitees, TenderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(invitees);
        ArgumentNullException.ThrowIfNull(limits);
        if (invitees.FirstOrDefault(i => !i.Verified) is { } unverified)
        {
            throw new DomainRuleException(InviteeNotVerified, $"'{unverified.Name}' is not a verified market entity and cannot be invited (法 17).");
        }

        var distinct = invitees.Select(i => i.EntityId).Distinct().Count();
        if (distinct < limits.MinimumBidders)
        {
            throw new DomainRuleException(TooFewInvitees,
                $"An invited tender invites at least {limits.MinimumBidders} verified entities (法 17); {distinct} named.");
        }
    }

    /// <summary>Prequalification: documents on sale ≥5 日 (条例 16), applications due ≥5 日 after the sale ends (条例 17).</summary>
    public static void CheckPrequalification(DateTimeOffset saleStart, DateTimeOffset saleEnd, DateTimeOffset applicationDeadline, TenderLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (saleEnd <= saleStart)
        {
            throw new DomainRuleException(SaleEndsBeforeStart, "The prequalification documents' sale must end after it starts.");
        }

        if (!IsAtLeast(saleStart, saleEnd, limits.SalePeriodDays, calendar))
        {
            throw new DomainRuleException(PrequalificationSalePeriodTooShort,
                $"The prequalification documents must be on sale for at least {limits.SalePeriodDays} 日 (条例 16): from {DateOf(saleStart):yyyy-MM-dd} the sale may end on {LastDayOf(saleStart, limits.SalePeriodDays, calendar):yyyy-MM-dd} at the earliest.");
        }

        if (!IsAtLeast(saleEnd, applicationDeadline, limits.PrequalificationApplicationDays, calendar))
        {
            throw new DomainRuleException(ApplicationDeadlineTooEarly,
                $"Prequalification applications are due at least {limits.PrequalificationApplicationDays} 日 after the documents' sale ends (条例 17): on {LastDayOf(saleEnd, limits.PrequalificationApplicationDays, calendar):yyyy-MM-dd} at the earliest.");
        }
    }

    /// <summary>Fewer than 3 qualified applicants after prequalification: re-tender (条例 19). Null when enough passed.</summary>
    public static TenderOutcome? AfterPrequalification(int qualified, TenderLimits limits) =>
        qualified < limits.MinimumBidders
            ? new TenderOutcome(TooFewQualified, $"Only {qualified} applicants passed prequalification; at least {limits.MinimumBidders} are needed, the tender is held again (条例 19).")
            : null;

    /// <summary>Fewer than 3 bids at the deadline: no opening, re-tender (法 28, 条例 44). Null when enough arrived.</summary>
    public static TenderOutcome? AtDeadline(int bids, TenderLimits limits) =>
        bids < limits.MinimumBidders
            ? new TenderOutcome(TooFewBids, $"Only {bids} bids arrived by the deadline; with fewer than {limits.MinimumBidders} the bids are not opened and the tender is held again (法 28, 条例 44).")
            : null;

    private static string Local(DateTimeOffset instant) =>
        instant.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An entity named for an invited tender, with whether its verified profile is in force.</summary>
public sealed record Invitee(Guid EntityId, string Name, bool Verified);

/// <summary>A re-tender decided by a rule: its code and the message naming the article.</summary>
public sealed record TenderOutcome(string RuleCode, string Message);

/// <summary>
/// The limits of the engineering tender rules, with the statutory values as defaults (all [P] in domain.md §1A, §5).
/// Bound from <c>Trading:EngineeringConstruction:Limits</c>; a centre may only make them stricter.
/// </summary>
public sealed class TenderLimits
{
    public const string SectionName = "Trading:EngineeringConstruction:Limits";

    /// <summary>条例 16.</summary>
    public int SalePeriodDays { get; set; } = 5;

    /// <summary>法 24.</summary>
    public int BidPreparationDays { get; set; } = 20;

    /// <summary>条例 26.</summary>
    public decimal DepositCapRate { get; set; } = 0.02m;

    /// <summary>法 23, 条例 21.</summary>
    public int ClarificationDays { get; set; } = 15;

    /// <summary>条例 22.</summary>
    public int ObjectionDaysBeforeDeadline { get; set; } = 10;

    /// <summary>条例 22.</summary>
    public int ObjectionAnswerDays { get; set; } = 3;

    /// <summary>条例 17.</summary>
    public int PrequalificationApplicationDays { get; set; } = 5;

    /// <summary>法 17, 条例 19, 条例 44.</summary>
    public int MinimumBidders { get; set; } = 3;

    /// <summary>
    /// The notice of an opening time announced after a late answer (条例 22 hold): no statute sets it, so the platform
    /// gives the bidders at least a full day (<see cref="TenderRules.EarliestAnnouncedOpening"/>); a centre may give more.
    /// </summary>
    public int OpeningNoticeDays { get; set; } = 1;

    public static TenderLimits Statutory { get; } = new();
}
