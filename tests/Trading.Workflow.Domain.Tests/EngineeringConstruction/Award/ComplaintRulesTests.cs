using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction.Award;

/// <summary>
/// The supervisor's 条例 61 limits on the shipped 2026 holiday arrangement: acceptance within 3 working days of filing,
/// the decision within 30 working days of acceptance (the filing day not counted, 24:00 China Standard Time of the last
/// working day; the National Day holiday off, the 调休 Saturday 10 Oct worked), and the steps in their order.
/// </summary>
public sealed class ComplaintRulesTests
{
    private static readonly IBusinessCalendar Calendar = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), TimeProvider.System);
    private static readonly AwardLimits Limits = AwardLimits.Statutory;

    private static DateTimeOffset At(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    private static string Code(Action action) => Assert.Throws<DomainRuleException>(action).RuleCode;

    private static TenderComplaint Filed(DateTimeOffset at) =>
        TenderComplaint.File(ComplaintObjectionKind.Documents, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "演示建设集团", "投诉", "bidder1", at, ComplaintRules.AcceptDue(at, Limits, Calendar));

    [Fact]
    public void AcceptDue_ThreeWorkingDays_OnAnOrdinaryWeek()
    {
        // Filed Mon 2 Nov: 3, 4, 5 Nov; due at 24:00 Thu 5 Nov.
        Assert.Equal(At(11, 6, 0), ComplaintRules.AcceptDue(At(11, 2), Limits, Calendar));
        // Filed Thu 5 Nov: Fri 6, Mon 9, Tue 10; the weekend does not count.
        Assert.Equal(At(11, 11, 0), ComplaintRules.AcceptDue(At(11, 5), Limits, Calendar));
    }

    [Fact]
    public void AcceptDue_AcrossTheNationalDayHoliday_CountsTheWorkedSaturday()
    {
        // Filed Wed 30 Sep: 1–7 Oct are off; Thu 8, Fri 9 and the 调休 Saturday 10 Oct are the three working days.
        Assert.Equal(At(10, 11, 0), ComplaintRules.AcceptDue(At(9, 30), Limits, Calendar));
    }

    [Fact]
    public void DecideDue_ThirtyWorkingDaysAfterAcceptance_WithTheWorkedSaturday()
    {
        // Accepted Fri 9 Oct: Sat 10 Oct (调休) is day 1, then five weeks of five days to Fri 13 Nov (26), Mon 16–Thu 19 Nov (30).
        Assert.Equal(At(11, 20, 0), ComplaintRules.DecideDue(At(10, 9), Limits, Calendar));
        // Accepted Wed 30 Sep, before the holiday: day 1 is Thu 8 Oct, day 3 the 调休 Saturday, day 30 Tue 17 Nov.
        Assert.Equal(At(11, 18, 0), ComplaintRules.DecideDue(At(9, 30), Limits, Calendar));
    }

    [Fact]
    public void Decide_BeforeAcceptance_IsRefused_AndARefusedComplaintEnds()
    {
        var complaint = Filed(At(11, 2));
        Assert.Equal(AwardRules.ComplaintNotAccepted, Code(() => complaint.Decide("驳回", "supervisor", At(11, 3))));

        complaint.Refuse("投诉人未先提出异议。", "supervisor", At(11, 3));
        Assert.Equal(ComplaintStage.Refused, complaint.Stage);
        Assert.False(complaint.IsOpen);
        Assert.Equal(AwardRules.ComplaintRefused, Code(() => complaint.Accept("supervisor", At(11, 3), At(12, 1))));
        Assert.Equal(AwardRules.ComplaintRefused, Code(() => complaint.Decide("驳回", "supervisor", At(11, 3))));
        Assert.Equal(AwardRules.TextRequired, Code(() => Filed(At(11, 2)).Refuse(" ", "supervisor", At(11, 3))));
    }

    [Fact]
    public void Overdue_FromTheDueTime_OfTheStepOwed()
    {
        var complaint = Filed(At(11, 2));
        Assert.False(complaint.IsOverdue(At(11, 6, 0).AddTicks(-1)));
        Assert.True(complaint.IsOverdue(At(11, 6, 0)));

        // Accepted late all the same; then the decision's 30 working days run.
        complaint.Accept("supervisor", At(11, 9), ComplaintRules.DecideDue(At(11, 9), Limits, Calendar));
        Assert.Equal(ComplaintStage.Accepted, complaint.Stage);
        Assert.False(complaint.IsOverdue(At(11, 9)));
        Assert.True(complaint.IsOverdue(complaint.DecideDueAt!.Value));
        Assert.Equal(AwardRules.ComplaintAccepted, Code(() => complaint.Accept("supervisor", At(11, 10), At(12, 1))));

        complaint.Decide("投诉不成立。", "supervisor", At(12, 1));
        Assert.False(complaint.IsOverdue(At(12, 31)));
        Assert.Equal(AwardRules.ComplaintDecided, Code(() => complaint.Decide("再次", "supervisor", At(12, 2))));
    }
}
