using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// The tender rules at their edges, on the shipped 2026 calendar (National Day 1–7 Oct off, Sat 10 Oct and Sun 20 Sep
/// worked). Times are China Standard Time.
/// </summary>
public sealed class TenderRulesTests
{
    private static readonly IBusinessCalendar Calendar = BusinessCalendar.Official;
    private static readonly TenderLimits Limits = TenderLimits.Statutory;

    private static DateTimeOffset At(string date, int hour = 9, int minute = 0) =>
        new(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture).AddHours(hour).AddMinutes(minute), TimeSpan.FromHours(8));

    private static DomainRuleException Refused(Action action) => Assert.Throws<DomainRuleException>(action);

    [Fact]
    public void BidDeadline_TwentiethDayAfterIssue_IsAccepted()
    {
        // Issued Tue 3 Nov: day 1 is 4 Nov, day 20 is Mon 23 Nov.
        TenderRules.CheckBidDeadline(At("2026-11-03", 10), At("2026-11-09"), At("2026-11-23", 9, 30), Limits, Calendar);
    }

    [Fact]
    public void BidDeadline_NineteenthDayAfterIssue_IsRefusedNamingArticle24()
    {
        var error = Refused(() => TenderRules.CheckBidDeadline(At("2026-11-03", 10), At("2026-11-09"), At("2026-11-22", 23, 59), Limits, Calendar));

        Assert.Equal(TenderRules.BidDeadlineTooEarly, error.RuleCode);
        Assert.Contains("法 24", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-11-23", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BidDeadline_TwentiethDayInNationalDayHoliday_MovesToFirstWorkingDayAfter()
    {
        // Issued Sat 12 Sep: the 20th day, 2 Oct, is a holiday; 3–7 Oct too: the earliest deadline is Thu 8 Oct.
        var refused = Refused(() => TenderRules.CheckBidDeadline(At("2026-09-12"), At("2026-09-18"), At("2026-10-07", 9, 30), Limits, Calendar));
        Assert.Equal(TenderRules.BidDeadlineTooEarly, refused.RuleCode);
        Assert.Contains("2026-10-08", refused.Message, StringComparison.Ordinal);

        TenderRules.CheckBidDeadline(At("2026-09-12"), At("2026-09-18"), At("2026-10-08", 9, 30), Limits, Calendar);
    }

    [Fact]
    public void BidDeadline_BeforeSaleEnds_IsRefused()
    {
        var error = Refused(() => TenderRules.CheckBidDeadline(At("2026-11-03"), At("2026-11-24"), At("2026-11-23"), Limits, Calendar));

        Assert.Equal(TenderRules.DeadlineBeforeSaleEnd, error.RuleCode);
    }

    [Fact]
    public void SalePeriod_FiveDays_IsAcceptedAndFourRefusedNamingArticle16()
    {
        // From Wed 4 Nov: day 5 is Mon 9 Nov.
        TenderRules.CheckSalePeriod(At("2026-11-04"), At("2026-11-09", 17), Limits, Calendar);

        var error = Refused(() => TenderRules.CheckSalePeriod(At("2026-11-04"), At("2026-11-08", 23, 59), Limits, Calendar));
        Assert.Equal(TenderRules.SalePeriodTooShort, error.RuleCode);
        Assert.Contains("条例 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SalePeriod_FifthDayOnWeekend_RollsToMonday()
    {
        // From Mon 2 Nov: day 5 is Sat 7 Nov, not a working day; the sale runs at least to Mon 9 Nov.
        Assert.Equal(TenderRules.SalePeriodTooShort,
            Refused(() => TenderRules.CheckSalePeriod(At("2026-11-02"), At("2026-11-07", 17), Limits, Calendar)).RuleCode);
        TenderRules.CheckSalePeriod(At("2026-11-02"), At("2026-11-09", 17), Limits, Calendar);
    }

    [Fact]
    public void SalePeriod_EndingBeforeStart_IsRefused() =>
        Assert.Equal(TenderRules.SaleEndsBeforeStart,
            Refused(() => TenderRules.CheckSalePeriod(At("2026-11-04"), At("2026-11-04"), Limits, Calendar)).RuleCode);

    [Fact]
    public void Deposit_TwoPercent_IsAcceptedAndOneFenMoreRefusedNamingArticle26()
    {
        TenderRules.CheckDeposit("一标段", 5_000_000m, 100_000m, Limits);

        var error = Refused(() => TenderRules.CheckDeposit("一标段", 5_000_000m, 100_000.01m, Limits));
        Assert.Equal(TenderRules.DepositAboveCap, error.RuleCode);
        Assert.Contains("条例 26", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clarification_FifteenDaysBeforeDeadline_KeepsIt()
    {
        var deadline = At("2026-11-30", 9, 30);

        Assert.False(TenderRules.ClarificationForcesExtension(At("2026-11-15", 16), deadline, Limits, Calendar));
        Assert.Equal(deadline, TenderRules.DeadlineAfterClarification(At("2026-11-15", 16), deadline, null, Limits, Calendar));
    }

    [Fact]
    public void Clarification_FourteenDaysBeforeDeadline_MovesItToTheFifteenthDaySameTime()
    {
        var deadline = At("2026-11-30", 9, 30);

        Assert.True(TenderRules.ClarificationForcesExtension(At("2026-11-16", 8), deadline, Limits, Calendar));
        Assert.Equal(At("2026-12-01", 9, 30), TenderRules.DeadlineAfterClarification(At("2026-11-16", 8), deadline, null, Limits, Calendar));
    }

    [Fact]
    public void Clarification_TenDaysBeforeDeadline_ForcesExtensionOfAtLeastFifteenDays()
    {
        var moved = TenderRules.DeadlineAfterClarification(At("2026-11-20", 10), At("2026-11-30", 9, 30), null, Limits, Calendar);

        Assert.Equal(At("2026-12-07", 9, 30), moved); // 5 Dec is a Saturday: the 15th day rolls to Mon 7 Dec
    }

    [Fact]
    public void Clarification_WhoseFifteenthDayIsInNationalDay_MovesDeadlineToOctober8()
    {
        // Published Sun 20 Sep (a worked day): day 15 is 5 Oct, a holiday, so the earliest deadline is Thu 8 Oct.
        var moved = TenderRules.DeadlineAfterClarification(At("2026-09-20", 11), At("2026-10-06", 9, 30), null, Limits, Calendar);

        Assert.Equal(At("2026-10-08", 9, 30), moved);
    }

    [Fact]
    public void Clarification_ProposedDeadlineTooEarly_IsRefusedAndLaterOneKept()
    {
        var published = At("2026-11-20", 10);
        var deadline = At("2026-11-30", 9, 30);

        Assert.Equal(TenderRules.ExtendedDeadlineTooEarly,
            Refused(() => TenderRules.DeadlineAfterClarification(published, deadline, At("2026-12-04", 9, 30), Limits, Calendar)).RuleCode);
        Assert.Equal(At("2026-12-10", 9, 30), TenderRules.DeadlineAfterClarification(published, deadline, At("2026-12-10", 9, 30), Limits, Calendar));
    }

    [Fact]
    public void Objection_TenDaysBeforeDeadline_IsAcceptedAndNineRefusedNamingArticle22()
    {
        var deadline = At("2026-11-30", 9, 30);
        TenderRules.CheckObjectionInTime(At("2026-11-20", 23), deadline, Limits, Calendar);

        var error = Refused(() => TenderRules.CheckObjectionInTime(At("2026-11-21", 0, 1), deadline, Limits, Calendar));
        Assert.Equal(TenderRules.ObjectionTooLate, error.RuleCode);
        Assert.Contains("条例 22", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ObjectionAnswer_DueAtEndOfThirdDay_RolledPastNationalDay()
    {
        Assert.Equal(At("2026-11-20", 0), TenderRules.ObjectionAnswerDue(At("2026-11-16", 15), Limits, Calendar));
        // Received Mon 28 Sep: the 3rd day, 1 Oct, is a holiday; the answer is due at 24:00 on Thu 8 Oct.
        Assert.Equal(At("2026-10-09", 0), TenderRules.ObjectionAnswerDue(At("2026-09-28", 15), Limits, Calendar));
    }

    [Fact]
    public void Invitations_ThreeVerifiedEntities_AreEnough()
    {
        TenderRules.CheckInvitations([new(Guid.NewGuid(), "甲", true), new(Guid.NewGuid(), "乙", true), new(Guid.NewGuid(), "丙", true)], Limits);
    }

    [Fact]
    public void Invitations_TwoEntitiesOrTheSameOneTwice_AreRefusedNamingArticle17()
    {
        var a = new Invitee(Guid.NewGuid(), "甲", true);
        var error = Refused(() => TenderRules.CheckInvitations([a, new(Guid.NewGuid(), "乙", true)], Limits));
        Assert.Equal(TenderRules.TooFewInvitees, error.RuleCode);
        Assert.Contains("法 17", error.Message, StringComparison.Ordinal);

        Assert.Equal(TenderRules.TooFewInvitees,
            Refused(() => TenderRules.CheckInvitations([a, a, new(Guid.NewGuid(), "乙", true)], Limits)).RuleCode);
    }

    [Fact]
    public void Invitations_AnUnverifiedEntity_IsRefused()
    {
        var error = Refused(() => TenderRules.CheckInvitations(
            [new(Guid.NewGuid(), "甲", true), new(Guid.NewGuid(), "乙", true), new(Guid.NewGuid(), "未核验公司", false)], Limits));

        Assert.Equal(TenderRules.InviteeNotVerified, error.RuleCode);
        Assert.Contains("未核验公司", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prequalification_FiveDaySaleAndFiveDaysToApply_AreAccepted() =>
        TenderRules.CheckPrequalification(At("2026-11-04"), At("2026-11-09", 17), At("2026-11-16", 9), Limits, Calendar);

    [Fact]
    public void Prequalification_FourDaySale_IsRefused() =>
        Assert.Equal(TenderRules.PrequalificationSalePeriodTooShort,
            Refused(() => TenderRules.CheckPrequalification(At("2026-11-04"), At("2026-11-08", 17), At("2026-11-16"), Limits, Calendar)).RuleCode);

    [Fact]
    public void Prequalification_ApplicationsDueFourDaysAfterSale_AreRefusedNamingArticle17()
    {
        // Sale ends Mon 9 Nov: day 5 is Sat 14 Nov, rolled to Mon 16 Nov; Fri 13 Nov is too early.
        var error = Refused(() => TenderRules.CheckPrequalification(At("2026-11-04"), At("2026-11-09", 17), At("2026-11-13", 17), Limits, Calendar));

        Assert.Equal(TenderRules.ApplicationDeadlineTooEarly, error.RuleCode);
        Assert.Contains("条例 17", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Prequalification_FewerThanThreeQualified_Retenders(int qualified, bool retender)
    {
        var outcome = TenderRules.AfterPrequalification(qualified, Limits);

        Assert.Equal(retender, outcome is not null);
        if (outcome is not null)
        {
            Assert.Equal(TenderRules.TooFewQualified, outcome.RuleCode);
            Assert.Contains("条例 19", outcome.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Deadline_FewerThanThreeBids_Retenders(int bids, bool retender)
    {
        var outcome = TenderRules.AtDeadline(bids, Limits);

        Assert.Equal(retender, outcome is not null);
        if (outcome is not null)
        {
            Assert.Equal(TenderRules.TooFewBids, outcome.RuleCode);
            Assert.Contains("条例 44", outcome.Message, StringComparison.Ordinal);
        }
    }
}
