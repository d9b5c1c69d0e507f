using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// A clarification (法 23) clarifies tender documents already issued: before the sale (preparing, or prequalifying) it is
/// refused and the deadline stays; once the documents are on sale it moves the deadline out.
/// </summary>
public sealed class TenderClarificationStageTests
{
    private static readonly IBusinessCalendar Calendar = BusinessCalendar.Official;
    private static readonly TenderLimits Limits = TenderLimits.Statutory;
    private static readonly DateTimeOffset Now = At(11, 2, 10);

    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static Tender Scheduled()
    {
        var tender = Tender.Create(Guid.NewGuid(), "530100-GC-2026-00078", "演示市政道路改造工程（演示数据）", Guid.NewGuid(), Guid.NewGuid(), null, TenderKind.Open, Now);
        tender.Schedule(new TenderSchedule([Guid.NewGuid()], null, At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), Limits, Calendar, "tenderee", Now);
        return tender;
    }

    [Fact]
    public void Clarification_WhilePreparing_IsRefused_TheDeadlineStays()
    {
        var tender = Scheduled();

        var error = Assert.Throws<DomainRuleException>(() => tender.MoveDeadline(At(12, 1, 9, 30), Now));

        Assert.Equal(TenderRules.DocumentsNotIssued, error.RuleCode);
        Assert.Equal(At(11, 24, 9, 30), tender.BidDeadline);
    }

    [Fact]
    public void Clarification_DuringPrequalification_IsRefused()
    {
        var tender = Scheduled();
        tender.StartPrequalification(Now);

        var error = Assert.Throws<DomainRuleException>(() => tender.MoveDeadline(At(12, 1, 9, 30), Now));

        Assert.Equal(TenderRules.DocumentsNotIssued, error.RuleCode);
    }

    [Fact]
    public void Clarification_OnceOnSale_MovesTheDeadline()
    {
        var tender = Scheduled();
        tender.OpenSale(At(11, 4), Limits, Calendar);

        tender.MoveDeadline(At(12, 1, 9, 30), At(11, 16));

        Assert.Equal(At(12, 1, 9, 30), tender.BidDeadline);
    }
}
