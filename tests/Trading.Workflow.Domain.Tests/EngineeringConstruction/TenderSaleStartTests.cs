using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// A sale being set starts now or later (the 5 日 of 条例 16 and the 20 日 of 法 24 run from its start), with a few minutes'
/// grace for a form's "now" that never reaches back to an earlier date; a sale already started keeps its start.
/// Times are China Standard Time.
/// </summary>
public sealed class TenderSaleStartTests
{
    private static readonly IBusinessCalendar Calendar = BusinessCalendar.Official;
    private static readonly TenderLimits Limits = TenderLimits.Statutory;
    private static readonly DateTimeOffset Now = At(11, 2, 10); // Mon 2 Nov 2026

    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static Tender NewTender() =>
        Tender.Create(Guid.NewGuid(), "530100-GC-2026-00077", "演示市政道路改造工程（演示数据）", Guid.NewGuid(), Guid.NewGuid(), null, TenderKind.Open, Now);

    private static TenderSchedule Dates(DateTimeOffset start, DateTimeOffset end, DateTimeOffset deadline) => new([Guid.NewGuid()], null, start, end, deadline);

    [Fact]
    public void Schedule_SaleStartingThreeDaysAgo_IsRefusedAndNothingIsSet()
    {
        // The QA case: sale from today − 3 days to today + 12 days, deadline today + 33 days: each period long enough
        // counted from the start, which had passed.
        var tender = NewTender();

        var error = Assert.Throws<DomainRuleException>(() =>
            tender.Schedule(Dates(Now.AddDays(-3), Now.AddDays(12), Now.AddDays(33)), Limits, Calendar, "tenderee", Now));

        Assert.Equal(TenderRules.SaleStartsInPast, error.RuleCode);
        Assert.Contains("2026-10-30 10:00", error.Message, StringComparison.Ordinal);
        Assert.False(tender.IsScheduled);
    }

    [Fact]
    public void Schedule_SaleStartingNowOrAFewMinutesAgo_IsAccepted()
    {
        var tender = NewTender();
        tender.Schedule(Dates(Now.AddMinutes(-4), At(11, 9, 17), At(11, 24, 9, 30)), Limits, Calendar, "tenderee", Now);

        Assert.Equal(Now.AddMinutes(-4), tender.SaleStartsAt);
    }

    [Fact]
    public void SaleStart_MoreThanFiveMinutesAgo_OrOnAnEarlierDate_IsRefused()
    {
        Assert.Equal(TenderRules.SaleStartsInPast,
            Assert.Throws<DomainRuleException>(() => TenderRules.CheckSaleStartsAhead(Now.AddMinutes(-6), Now)).RuleCode);

        // Two minutes past midnight: 23:59 is within the grace but on the day before, which the periods would count.
        var justAfterMidnight = At(11, 3, 0, 2);
        Assert.Equal(TenderRules.SaleStartsInPast,
            Assert.Throws<DomainRuleException>(() => TenderRules.CheckSaleStartsAhead(At(11, 2, 23, 59), justAfterMidnight)).RuleCode);
        TenderRules.CheckSaleStartsAhead(At(11, 3, 0, 0), justAfterMidnight);
    }

    [Fact]
    public void Schedule_PrequalificationSaleStartingYesterday_IsRefused()
    {
        var tender = NewTender();

        var error = Assert.Throws<DomainRuleException>(() => tender.Schedule(
            new TenderSchedule([Guid.NewGuid()], null, At(11, 18), At(11, 23, 17), At(12, 8, 9, 30), true, At(11, 1), At(11, 9, 17), At(11, 16)),
            Limits, Calendar, "tenderee", Now));

        Assert.Equal(TenderRules.SaleStartsInPast, error.RuleCode);
        Assert.False(tender.IsScheduled);
    }

    [Fact]
    public void DemoCompression_BeforeTheSale_CannotStartItInThePast()
    {
        var tender = NewTender();
        tender.Schedule(Dates(At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), Limits, Calendar, "tenderee", Now);

        var error = Assert.Throws<DomainRuleException>(() => tender.CompressForDemo(Now.AddHours(-1), Now.AddMinutes(10), Now.AddMinutes(20), Now));

        Assert.Equal(TenderRules.SaleStartsInPast, error.RuleCode);
        Assert.Equal(At(11, 4), tender.SaleStartsAt);
    }

    [Fact]
    public void DemoCompression_DuringTheSale_KeepsTheStartAlreadyPassed_ButMovesItToNoOtherPastInstant()
    {
        var tender = NewTender();
        tender.Schedule(Dates(Now, At(11, 9, 17), At(11, 24, 9, 30)), Limits, Calendar, "tenderee", Now);
        tender.OpenSale(Now, Limits, Calendar);
        var later = Now.AddDays(2);

        tender.CompressForDemo(tender.SaleStartsAt, later, later.AddMinutes(20), later);
        Assert.Equal(Now, tender.SaleStartsAt);
        Assert.Equal(later.AddMinutes(20), tender.BidDeadline);
        Assert.Equal(later.AddMinutes(20), tender.OriginalBidDeadline);

        // A clarification's move stays on record through a later compression.
        tender.MoveDeadline(later.AddMinutes(40), later);
        tender.CompressForDemo(tender.SaleStartsAt, later, later.AddMinutes(50), later);
        Assert.Equal(later.AddMinutes(20), tender.OriginalBidDeadline);
        Assert.Equal(later.AddMinutes(50), tender.BidDeadline);

        Assert.Equal(TenderRules.SaleStartsInPast,
            Assert.Throws<DomainRuleException>(() => tender.CompressForDemo(Now.AddHours(-1), later, later.AddMinutes(30), later)).RuleCode);
        Assert.Equal(Now, tender.SaleStartsAt);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ScheduleAsync_SaleInThePast_IsRefused_AndTheScheduleSavedBeforeStands(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider);
        var (project, _) = await host.StartProjectAsync(301);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        await host.Tenders.ScheduleAsync(project.Id, Dates(At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)) with { TenderDocumentIds = [document] }, TenderHost.Tenderee);
        var now = host.Clock.GetUtcNow();

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.ScheduleAsync(
            project.Id, Dates(now.AddDays(-3), now.AddDays(12), now.AddDays(33)) with { TenderDocumentIds = [document] }, TenderHost.Tenderee));

        Assert.Equal(TenderRules.SaleStartsInPast, refused.RuleCode);
        var tender = (await host.Tenders.FindAsync(project.Id))!;
        Assert.Equal((At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), (tender.SaleStartsAt, tender.SaleEndsAt, tender.BidDeadline));
        Assert.Equal(At(11, 24, 9, 30), (await host.Services.GetRequiredService<SealedBidService>().FindWindowAsync(Assert.Single(project.Sections).Id))!.Deadline);
        await using var db = host.Database.Database.Create();
        Assert.Equal(1, await db.Set<AuditEntry>().AsNoTracking().CountAsync(e => e.Action == "engineering-construction.tender.scheduled"));
    }

    [Fact]
    public void OpenSale_AtTheSetStart_MovesNothing()
    {
        var tender = NewTender();
        tender.Schedule(Dates(At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), Limits, Calendar, "tenderee", Now);

        Assert.Null(tender.OpenSale(At(11, 4).AddSeconds(3), Limits, Calendar));
        Assert.Equal(At(11, 4), tender.SaleStartsAt);
        Assert.Equal(At(11, 24, 9, 30), tender.BidDeadline);
    }

    [Fact]
    public void OpenSale_Late_WithTheDatesStillLongEnough_StartsNow_AndKeepsTheEndAndTheDeadline()
    {
        var tender = NewTender();
        tender.Schedule(Dates(At(11, 4), At(11, 20, 17), At(12, 10, 9, 30)), Limits, Calendar, "tenderee", Now);

        var moved = tender.OpenSale(At(11, 6, 14), Limits, Calendar);

        Assert.NotNull(moved);
        Assert.False(moved.DeadlineMoved);
        Assert.Equal(At(11, 6, 14), tender.SaleStartsAt);
        Assert.Equal(At(11, 20, 17), tender.SaleEndsAt);
        Assert.Equal(At(12, 10, 9, 30), tender.BidDeadline);
    }

    [Fact]
    public void OpenSale_AWeekLate_MovesTheEndAndTheDeadlineToTheirEarliestDays_AtTheTimesSet()
    {
        var tender = NewTender();
        tender.Schedule(Dates(At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), Limits, Calendar, "tenderee", Now);

        // Wed 11 Nov: the 5th 日 is Mon 16 Nov, the 20th 日 is Tue 1 Dec.
        var moved = tender.OpenSale(At(11, 11, 10), Limits, Calendar);

        Assert.NotNull(moved);
        Assert.True(moved.DeadlineMoved);
        Assert.Equal((At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), (moved.SaleStartsBefore, moved.SaleEndsBefore, moved.DeadlineBefore));
        Assert.Equal(At(11, 11, 10), tender.SaleStartsAt);
        Assert.Equal(At(11, 16, 17), tender.SaleEndsAt);
        Assert.Equal(At(12, 1, 9, 30), tender.BidDeadline);
        TenderRules.CheckSalePeriod(tender.SaleStartsAt, tender.SaleEndsAt, Limits, Calendar);
        TenderRules.CheckBidDeadline(tender.SaleStartsAt, tender.SaleEndsAt, tender.BidDeadline, Limits, Calendar);
    }
}
