using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction.Award;

/// <summary>
/// The period and choice rules from the report to the contract on the shipped 2026 holiday arrangement (domain.md §9:
/// start day not counted, last day off rolled to the next working day, 24:00 China Standard Time).
/// </summary>
public sealed class AwardRulesTests
{
    private static readonly IBusinessCalendar Calendar = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), TimeProvider.System);
    private static readonly AwardLimits Limits = AwardLimits.Statutory;

    private static DateTimeOffset At(int month, int day, int hour = 10, int minute = 0, int second = 0) => new(2026, month, day, hour, minute, second, TimeSpan.FromHours(8));

    private static string Code(Action action) => Assert.Throws<DomainRuleException>(action).RuleCode;

    [Fact]
    public void PublicityEnds_ThreeCalendarDays_At2400OfTheThirdDay()
    {
        // Published Mon 2 Nov: 3, 4, 5 Nov are the three 日; the publicity runs out at 24:00 on Thu 5 Nov.
        Assert.Equal(At(11, 6, 0), AwardRules.PublicityEnds(At(11, 2), Limits, Calendar));
    }

    [Fact]
    public void PublicityEnds_LastDayOnAWeekend_RollsToMonday()
    {
        // Published Wed 4 Nov: the 3rd 日 is Sat 7 Nov, not a working day: the last day is Mon 9 Nov.
        Assert.Equal(At(11, 10, 0), AwardRules.PublicityEnds(At(11, 4), Limits, Calendar));
    }

    [Fact]
    public void PublicityEnds_LastDayInTheNationalDayHoliday_RollsPastTheHoliday()
    {
        // Published Mon 28 Sep 2026: the 3rd 日 is Thu 1 Oct, inside the 1–7 Oct holiday: the last day is Thu 8 Oct.
        Assert.Equal(At(10, 9, 0), AwardRules.PublicityEnds(At(9, 28), Limits, Calendar));
    }

    [Fact]
    public void PublishedInTime_UntilTheThirdDayAfterTheReport()
    {
        // Report on Fri 25 Sep: day 3 is Mon 28 Sep (a working day); publishing on the 29th is late (条例 54).
        Assert.True(AwardRules.PublishedInTime(At(9, 25, 16), At(9, 28, 23, 59), Limits, Calendar));
        Assert.False(AwardRules.PublishedInTime(At(9, 25, 16), At(9, 29, 0, 1), Limits, Calendar));
    }

    [Fact]
    public void Objection_AcceptedUntilTheLastSecondOfThePublicity_RefusedFromItsEnd()
    {
        var start = At(11, 2);
        var end = AwardRules.PublicityEnds(start, Limits, Calendar);
        AwardRules.CheckObjectionDuringPublicity(start, end, end.AddSeconds(-1));
        Assert.Equal(AwardRules.OutsidePublicity, Code(() => AwardRules.CheckObjectionDuringPublicity(start, end, end)));
        Assert.Equal(AwardRules.OutsidePublicity, Code(() => AwardRules.CheckObjectionDuringPublicity(start, end, start.AddMinutes(-1))));
        Assert.Equal(AwardRules.PublicityNotStarted, Code(() => AwardRules.CheckObjectionDuringPublicity(null, null, start)));
    }

    [Fact]
    public void ObjectionAnswerDue_ThirdDayAt2400_ReminderOnThatDay()
    {
        var due = AwardRules.ObjectionAnswerDue(At(11, 3, 15), Limits, Calendar);
        Assert.Equal(At(11, 7, 0), due); // Tue 3 Nov → Fri 6 Nov 24:00
        Assert.Equal(At(11, 6, 0), AwardRules.ObjectionReminderAt(due, At(11, 3, 15)));
    }

    [Fact]
    public void Complaint_OnlyAfterTheAnswer_AndWithinTenDaysOfIt()
    {
        Assert.Equal(AwardRules.ComplaintBeforeAnswer, Code(() => AwardRules.CheckComplaint(null, At(11, 7, 0), At(11, 4), Limits, Calendar)));
        // Answered Wed 4 Nov: the 10th 日 is Sat 14 Nov → Mon 16 Nov; complaints until then.
        AwardRules.CheckComplaint(At(11, 4), At(11, 7, 0), At(11, 16, 23, 59), Limits, Calendar);
        Assert.Equal(AwardRules.ComplaintTooLate, Code(() => AwardRules.CheckComplaint(At(11, 4), At(11, 7, 0), At(11, 17, 0, 1), Limits, Calendar)));
    }

    [Fact]
    public void Complaint_TheTendereeLetsTheAnswerPeriodPass_TheObjectorMayComplainWithinTenDaysOfItsEnd()
    {
        // Objection on Tue 3 Nov, answer due by Fri 6 Nov 24:00 (Sat 7 Nov 00:00), no answer: the bidder was held
        // back from the supervisor for ever. Still refused while the period runs.
        var due = AwardRules.ObjectionAnswerDue(At(11, 3, 15), Limits, Calendar);
        Assert.Equal(AwardRules.ComplaintBeforeAnswer, Code(() => AwardRules.CheckComplaint(null, due, At(11, 6, 23, 59), Limits, Calendar)));
        AwardRules.CheckComplaint(null, due, At(11, 7, 0, 1), Limits, Calendar);
        // Known on Sat 7 Nov: the 10th 日 is Tue 17 Nov.
        AwardRules.CheckComplaint(null, due, At(11, 17, 23, 59), Limits, Calendar);
        Assert.Equal(AwardRules.ComplaintTooLate, Code(() => AwardRules.CheckComplaint(null, due, At(11, 18, 0, 1), Limits, Calendar)));
    }

    private static readonly Guid Section = Guid.NewGuid();
    private static readonly AwardCandidate First = new(Section, "BD01", 1, Guid.NewGuid(), "一号", 100m, 90m, 300);
    private static readonly AwardCandidate Second = new(Section, "BD01", 2, Guid.NewGuid(), "二号", 101m, 85m, 310);

    [Fact]
    public void Winner_StateFunded_OnlyRankOne()
    {
        AwardRules.CheckWinner(true, [First, Second], First.EntityId, null);
        Assert.Equal(AwardRules.StateFundedRankOne, Code(() => AwardRules.CheckWinner(true, [First, Second], Second.EntityId, "更优方案")));
    }

    [Fact]
    public void Winner_NotStateFunded_AnyCandidateWithAReason()
    {
        AwardRules.CheckWinner(false, [First, Second], Second.EntityId, "施工组织设计更优");
        Assert.Equal(AwardRules.ReasonRequired, Code(() => AwardRules.CheckWinner(false, [First, Second], Second.EntityId, " ")));
        Assert.Equal(AwardRules.NotACandidate, Code(() => AwardRules.CheckWinner(false, [First, Second], Guid.NewGuid(), "理由")));
    }

    [Fact]
    public void PerformanceBond_TenPercentAccepted_AboveRefused()
    {
        AwardRules.CheckBond(4_200_000m, 420_000m, Limits);
        Assert.Equal(AwardRules.BondAboveCap, Code(() => AwardRules.CheckBond(4_200_000m, 420_000.01m, Limits)));
        Assert.Equal(AwardRules.BondNegative, Code(() => AwardRules.CheckBond(4_200_000m, -1m, Limits)));
    }

    [Fact]
    public void ContractDue_ThirtyDays_WinnerReportDue_FifteenDays()
    {
        // Awarded Mon 2 Nov: the 30th 日 is Wed 2 Dec; the 15th 日 is Tue 17 Nov.
        Assert.Equal(At(12, 3, 0), AwardRules.ContractDue(At(11, 2), Limits, Calendar));
        Assert.Equal(At(11, 18, 0), AwardRules.WinnerReportDue(At(11, 2), Limits, Calendar));
        // Awarded Sat 5 Sep: the 30th 日 is Mon 5 Oct, inside the holiday: due on Thu 8 Oct.
        Assert.Equal(At(10, 9, 0), AwardRules.ContractDue(At(9, 5), Limits, Calendar));
    }

    [Fact]
    public void Limits_LooserThanTheLaw_AreRefusedAtStart()
    {
        var validator = new AwardLimitsValidator();
        Assert.True(validator.Validate(null, new AwardLimits()).Succeeded);
        Assert.True(validator.Validate(null, new AwardLimits { PublicityDays = 5, ContractDays = 20, ContractReminderDays = [10, 15] }).Succeeded);
        Assert.False(validator.Validate(null, new AwardLimits { PublicityDays = 2 }).Succeeded);
        Assert.False(validator.Validate(null, new AwardLimits { ContractDays = 31 }).Succeeded);
        Assert.False(validator.Validate(null, new AwardLimits { PerformanceBondCapRate = 0.2m }).Succeeded);
        Assert.False(validator.Validate(null, new AwardLimits { WinnerReportDays = 16 }).Succeeded);
    }
}
