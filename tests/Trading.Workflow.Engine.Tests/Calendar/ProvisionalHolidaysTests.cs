using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Tests.Calendar;

public sealed class ProvisionalHolidaysTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    public void For_AYearWithAPublishedNotice_IsContainedInTheNoticesDaysOff(int year)
    {
        var official = HolidayCalendarData.Official.Find(year)!;

        var provisional = ProvisionalHolidays.For(year);

        Assert.Empty(provisional.DaysOff.Except(official.DaysOff));
        Assert.Empty(provisional.WorkedWeekendDays);
        Assert.False(provisional.Verified);
    }

    [Fact]
    public void For2027_StatutoryDaysAndWeekdaysInLieu()
    {
        var days = ProvisionalHolidays.For(2027).DaysOff;

        DateOnly[] expected =
        [
            new(2027, 1, 1),
            new(2027, 2, 5), new(2027, 2, 6), new(2027, 2, 7), new(2027, 2, 8), new(2027, 2, 9), new(2027, 2, 10),
            new(2027, 4, 5),
            new(2027, 5, 1), new(2027, 5, 2), new(2027, 5, 3), new(2027, 5, 4),
            new(2027, 6, 9),
            new(2027, 9, 15),
            new(2027, 10, 1), new(2027, 10, 2), new(2027, 10, 3), new(2027, 10, 4), new(2027, 10, 5),
        ];
        Assert.Equal(expected, days);
    }

    [Fact]
    public void AddCalendarDays_IntoAYearWithoutData_CountsProvisionallyAndKeepsWarning()
    {
        var calendar = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), new TestClock(Now)) { ProvisionalFutureYears = true };

        // 30 日 from 3 Dec 2026 ends Saturday 2 Jan 2027: rolled to Monday 4 Jan.
        var due = calendar.AddCalendarDays(new DateTimeOffset(2026, 12, 3, 10, 0, 0, ChinaStandardTime.Offset), 30);

        Assert.Equal(new DateOnly(2027, 1, 4), DateOnly.FromDateTime(due.DateTime));
        Assert.True(calendar.Current.IsProvisional(2027));
        Assert.DoesNotContain(2027, calendar.Years);
        Assert.NotNull(calendar.CoverageWarning());
    }

    [Fact]
    public async Task SaveYearAsync_ThePublishedArrangement_ReplacesTheProvisionalYear()
    {
        var calendar = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), new TestClock(Now)) { ProvisionalFutureYears = true };
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 2, 9)));

        await calendar.SaveYearAsync(new HolidayYearData(2027, [new DateOnly(2027, 2, 8)], [], "test notice", Verified: true), "管理员");

        Assert.True(calendar.IsWorkingDay(new DateOnly(2027, 2, 9)));
        Assert.False(calendar.Current.IsProvisional(2027));
    }

    [Fact]
    public void WithoutTheOption_AYearWithoutDataStillThrows()
    {
        var calendar = new ReloadableBusinessCalendar(new InMemoryHolidayCalendarSource(), new TestClock(Now));

        Assert.Throws<CalendarDataMissingException>(() => calendar.IsWorkingDay(new DateOnly(2027, 1, 4)));
    }
}
