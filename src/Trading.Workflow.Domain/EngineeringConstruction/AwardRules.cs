using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// The rules from the evaluation report to the contract (条例 54–58, 60–62; 法 45–47), each refused with a stable code
/// and an English message naming the article (the web shows the code's message in the user's language). Periods in 日
/// are counted as <see cref="TenderRules"/> counts them (domain.md §9): the act's China-Standard-Time date is not
/// counted, day N is that date + N, a day N that is not a working day moves to the next working day, and the period
/// runs out at 24:00 of its last day.
/// </summary>
public static class AwardRules
{
    public const string NoReport = "Award.NoReport";
    public const string NoCandidates = "Award.NoCandidates";
    public const string PublicityNotStarted = "Award.PublicityNotStarted";
    public const string PublicityLate = "Award.PublicityLate";
    public const string OutsidePublicity = "Award.OutsidePublicity";
    public const string NotABidder = "Award.NotABidder";
    public const string NotAllowed = "Award.NotAllowed";
    public const string NotFound = "Award.NotFound";
    public const string TextRequired = "Award.TextRequired";
    public const string ObjectionAnswered = "Award.ObjectionAnswered";
    public const string ObjectionOpen = "Award.ObjectionOpen";
    public const string PublicityNotOver = "Award.PublicityNotOver";
    public const string Suspended = "Award.Suspended";
    public const string NotSuspended = "Award.NotSuspended";
    public const string AlreadyAwarded = "Award.AlreadyAwarded";
    public const string NotAwarded = "Award.NotAwarded";
    public const string NotACandidate = "Award.NotACandidate";
    public const string StateFundedRankOne = "Award.StateFundedRankOne";
    public const string ReasonRequired = "Award.ReasonRequired";
    public const string SectionMissing = "Award.SectionMissing";
    public const string BondAboveCap = "Award.BondAboveCap";
    public const string BondNegative = "Award.BondNegative";
    public const string ContractDocumentRequired = "Award.ContractDocumentRequired";
    public const string ContractAlreadyUploaded = "Award.ContractAlreadyUploaded";
    public const string ContractsMissing = "Award.ContractsMissing";
    public const string ReportDocumentRequired = "Award.ReportDocumentRequired";
    public const string ReportAlreadySubmitted = "Award.ReportAlreadySubmitted";
    public const string ComplaintBeforeAnswer = "Award.ComplaintBeforeAnswer";
    public const string ComplaintTooLate = "Award.ComplaintTooLate";
    public const string ComplaintNotObjector = "Award.ComplaintNotObjector";
    public const string ComplaintDecided = "Award.ComplaintDecided";
    public const string ComplaintNotAccepted = "Award.ComplaintNotAccepted";
    public const string ComplaintAccepted = "Award.ComplaintAccepted";
    public const string ComplaintRefused = "Award.ComplaintRefused";
    public const string ComplaintAlreadyFiled = "Award.ComplaintAlreadyFiled";
    public const string SupervisorOnly = "Award.SupervisorOnly";

    /// <summary>The last day (China Standard Time) on which the candidates may first be published: the 3rd 日 after the report (条例 54).</summary>
    public static DateOnly PublicityDueDay(DateTimeOffset reportConfirmedAt, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return TenderRules.LastDayOf(reportConfirmedAt, limits.PublicityStartDays, calendar);
    }

    /// <summary>True when a publication at <paramref name="publishedAt"/> keeps the 3 日 after the report (条例 54).</summary>
    public static bool PublishedInTime(DateTimeOffset reportConfirmedAt, DateTimeOffset publishedAt, AwardLimits limits, IBusinessCalendar calendar) =>
        TenderRules.DateOf(publishedAt) <= PublicityDueDay(reportConfirmedAt, limits, calendar);

    /// <summary>
    /// The end of a publicity that started at <paramref name="publishedAt"/>: 24:00 of its 3rd 日 (条例 54: at least 3 日),
    /// the publication day not counted and a last day off rolled to the next working day (Civil Code 201–203).
    /// </summary>
    public static DateTimeOffset PublicityEnds(DateTimeOffset publishedAt, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return TenderRules.EndOf(TenderRules.LastDayOf(publishedAt, limits.PublicityDays, calendar));
    }

    /// <summary>Objections to the result only while the candidates are published (条例 54).</summary>
    public static void CheckObjectionDuringPublicity(DateTimeOffset? startsAt, DateTimeOffset? endsAt, DateTimeOffset now)
    {
        if (startsAt is not { } start || endsAt is not { } end)
        {
            throw new DomainRuleException(PublicityNotStarted, "The candidates are not published yet; objections to the result are taken during their publicity (条例 54).");
        }

        if (now < start || now >= end)
        {
            throw new DomainRuleException(OutsidePublicity,
                $"Objections to the evaluation result are taken during the candidates' publicity, {Format(start)} to {Format(end)} (条例 54).");
        }
    }

    /// <summary>The end (24:00) of the 3rd 日 after an objection to the result: the tenderee's answer is due (条例 54).</summary>
    public static DateTimeOffset ObjectionAnswerDue(DateTimeOffset raisedAt, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return TenderRules.EndOf(TenderRules.LastDayOf(raisedAt, limits.ObjectionAnswerDays, calendar));
    }

    /// <summary>When the tenderee is reminded of an objection: 00:00 of the day its answer is due (the 3rd 日), never in the past.</summary>
    public static DateTimeOffset ObjectionReminderAt(DateTimeOffset answerDueAt, DateTimeOffset now)
    {
        var lastDay = answerDueAt.AddDays(-1);
        return lastDay > now ? lastDay : now;
    }

    /// <summary>
    /// A complaint to the supervising department comes after the objection (objection first, 条例 60) and within 10 日
    /// of knowing: of the answer, or, when the tenderee let its answer period (<paramref name="answerDueAt"/>, 条例 54)
    /// pass without one, of that period's end. The answer period itself is not counted (异议答复期间不计算在内); a
    /// tenderee that never answers does not keep the bidder from the supervisor.
    /// </summary>
    /// <summary>The last day (China time) a complaint is taken (see <see cref="CheckComplaint"/>); pages show it from here.</summary>
    public static DateOnly ComplaintLastDay(DateTimeOffset? answeredAt, DateTimeOffset answerDueAt, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return TenderRules.LastDayOf(answeredAt ?? answerDueAt, limits.ComplaintDays, calendar);
    }

    public static void CheckComplaint(DateTimeOffset? answeredAt, DateTimeOffset answerDueAt, DateTimeOffset now, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (answeredAt is not { } answered)
        {
            if (now < answerDueAt)
            {
                throw new DomainRuleException(ComplaintBeforeAnswer,
                    "A complaint follows an objection to the tenderee and its answer, or the end of its answer period (条例 60: 应当先向招标人提出异议).");
            }

            var lastUnanswered = ComplaintLastDay(null, answerDueAt, limits, calendar);
            if (TenderRules.DateOf(now) > lastUnanswered)
            {
                throw new DomainRuleException(ComplaintTooLate,
                    $"A complaint is filed within {limits.ComplaintDays} 日 of knowing (条例 60): the answer was due by {Format(answerDueAt)} and none came, so complaints are taken until {lastUnanswered:yyyy-MM-dd}.");
            }

            return;
        }

        var last = ComplaintLastDay(answered, answerDueAt, limits, calendar);
        if (TenderRules.DateOf(now) > last)
        {
            throw new DomainRuleException(ComplaintTooLate,
                $"A complaint is filed within {limits.ComplaintDays} 日 of knowing (条例 60): the answer came on {TenderRules.DateOf(answered):yyyy-MM-dd}, so complaints are taken until {last:yyyy-MM-dd}.");
        }
    }

    /// <summary>State-funded projects award rank 1 (条例 55); otherwise the tenderee picks among the candidates, with a reason.</summary>
    public static void CheckWinner(bool stateFunded, IReadOnlyList<AwardCandidate> sectionCandidates, Guid winnerEntityId, string? reason)
    {
        ArgumentNullException.ThrowIfNull(sectionCandidates);
        var chosen = sectionCandidates.FirstOrDefault(c => c.EntityId == winnerEntityId)
            ?? throw new DomainRuleException(NotACandidate, "The winner is chosen among the section's ranked candidates (条例 55).");
        if (stateFunded && chosen.Rank != 1)
        {
            throw new DomainRuleException(StateFundedRankOne,
                "In a project funded mainly by the state the tenderee awards the first-ranked candidate (条例 55).");
        }

        if (!stateFunded && string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException(ReasonRequired, "The tenderee states why it chooses this candidate (法 40: 招标人根据评标委员会提出的书面评标报告和推荐的中标候选人确定中标人).");
        }
    }

    /// <summary>The performance bond (履约保证金) is at most 10% of the contract price (条例 58).</summary>
    public static void CheckBond(decimal contractPrice, decimal bond, AwardLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (bond < 0)
        {
            throw new DomainRuleException(BondNegative, "The performance bond cannot be negative.");
        }

        var cap = decimal.Round(contractPrice * limits.PerformanceBondCapRate, 2, MidpointRounding.ToZero);
        if (bond > cap)
        {
            throw new DomainRuleException(BondAboveCap,
                $"A performance bond of {bond:N2} yuan exceeds {limits.PerformanceBondCapRate:P0} of the contract price, {cap:N2} yuan (条例 58).");
        }
    }

    /// <summary>24:00 of the 30th 日 after the award notice: the written contract is due (法 46).</summary>
    public static DateTimeOffset ContractDue(DateTimeOffset awardedAt, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return TenderRules.EndOf(TenderRules.LastDayOf(awardedAt, limits.ContractDays, calendar));
    }

    /// <summary>24:00 of the 15th 日 after the winner is determined: the written report to the supervising department is due (法 47).</summary>
    public static DateTimeOffset WinnerReportDue(DateTimeOffset awardedAt, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return TenderRules.EndOf(TenderRules.LastDayOf(awardedAt, limits.WinnerReportDays, calendar));
    }

    /// <summary>A reminder on day <paramref name="day"/> after the award (09:00 China Standard Time of that date, not rolled over).</summary>
    public static DateTimeOffset ReminderOn(DateTimeOffset awardedAt, int day) =>
        new(TenderRules.DateOf(awardedAt).AddDays(day).ToDateTime(new TimeOnly(9, 0)), ChinaStandardTime.Offset);

    private static string Format(DateTimeOffset instant) =>
        instant.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The limits from the report to the contract, with the statutory values as defaults (domain.md §1A rows 11–16, §6).
/// Bound from <c>Trading:EngineeringConstruction:Award</c>; a centre may make them stricter only (the reminder days are
/// its own choice).
/// </summary>
public sealed class AwardLimits
{
    public const string SectionName = "Trading:EngineeringConstruction:Award";

    /// <summary>条例 54: published within 3 日 of receiving the report.</summary>
    public int PublicityStartDays { get; set; } = 3;

    /// <summary>条例 54: published for at least 3 日.</summary>
    public int PublicityDays { get; set; } = 3;

    /// <summary>条例 54: the answer to an objection within 3 日.</summary>
    public int ObjectionAnswerDays { get; set; } = 3;

    /// <summary>条例 60: a complaint within 10 日 of knowing (here: of the answer).</summary>
    public int ComplaintDays { get; set; } = 10;

    /// <summary>条例 61: the supervisor decides within 3 working days whether to accept a complaint.</summary>
    public int ComplaintAcceptWorkingDays { get; set; } = 3;

    /// <summary>条例 61: an accepted complaint is decided within 30 working days of acceptance.</summary>
    public int ComplaintDecisionWorkingDays { get; set; } = 30;

    /// <summary>法 46: the contract within 30 日 of the award notice.</summary>
    public int ContractDays { get; set; } = 30;

    /// <summary>条例 58: a performance bond of at most 10% of the contract price.</summary>
    public decimal PerformanceBondCapRate { get; set; } = 0.10m;

    /// <summary>法 47: the written report within 15 日 of the award.</summary>
    public int WinnerReportDays { get; set; } = 15;

    /// <summary>Days after the award notice on which the tenderee is reminded of a missing contract.</summary>
    public int[] ContractReminderDays { get; set; } = [20, 27];

    /// <summary>Day after the award on which the tenderee is reminded of the missing winner report.</summary>
    public int WinnerReportReminderDay { get; set; } = 10;

    public static AwardLimits Statutory { get; } = new();
}
