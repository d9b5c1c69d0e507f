using System.Globalization;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Tests.Calendar;

public sealed class BusinessCalendar2025Tests
{
    private readonly BusinessCalendar _calendar = BusinessCalendar.Official;

    private static DateOnly D(string iso) => DateOnly.Parse(iso, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-01-26")]
    [InlineData("2025-02-08")]
    [InlineData("2025-04-27")]
    [InlineData("2025-09-28")]
    [InlineData("2025-10-11")]
    public void IsWorkingDay_AdjustedWeekendDays2025_AreWorked(string date)
    {
        Assert.True(_calendar.IsWorkingDay(D(date)));
    }

    [Theory]
    [InlineData("2025-01-01")]
    [InlineData("2025-01-28")]
    [InlineData("2025-02-04")]
    [InlineData("2025-04-04")]
    [InlineData("2025-05-05")]
    [InlineData("2025-06-02")]
    [InlineData("2025-10-08")]
    public void IsWorkingDay_WeekdayHolidays2025_AreOff(string date)
    {
        Assert.False(_calendar.IsWorkingDay(D(date)));
    }

    [Fact]
    public void AddWorkingDays_FiveAfter30September2025_SkipsEightDayHolidayAndCountsWorkedSaturday()
    {
        // 1–8 Oct off, 9 Thu, 10 Fri, 11 Sat (worked), 12 Sun off, 13 Mon, 14 Tue.
        var result = _calendar.AddWorkingDays(new DateTimeOffset(2025, 9, 30, 9, 0, 0, TimeSpan.FromHours(8)), 5);

        Assert.Equal(new DateTimeOffset(2025, 10, 14, 9, 0, 0, TimeSpan.FromHours(8)), result);
    }

    [Fact]
    public void OfficialData_2025_IsMarkedUnverifiedFromMemory()
    {
        var year = HolidayCalendarData.Official.Find(2025)!;

        Assert.False(year.Verified);
        Assert.Contains("记忆", year.Source);
        Assert.Contains("memory", year.Source);
    }

    [Fact]
    public void OfficialData_2026_IsVerifiedWithTheNoticeAsSource()
    {
        var year = HolidayCalendarData.Official.Find(2026)!;

        Assert.True(year.Verified);
        Assert.Contains("国务院办公厅关于2026年部分节假日安排的通知", year.Source);
        Assert.Contains("2025年11月4日", year.Source);
    }

    [Fact]
    public void OfficialData_DayCounts_MatchTheNotices()
    {
        var data = HolidayCalendarData.Official;

        Assert.Equal(1 + 8 + 3 + 5 + 3 + 8, data.Find(2025)!.DaysOff.Count);
        Assert.Equal(5, data.Find(2025)!.WorkedWeekendDays.Count);
        Assert.Equal(3 + 9 + 3 + 5 + 3 + 3 + 7, data.Find(2026)!.DaysOff.Count);
        Assert.Equal(6, data.Find(2026)!.WorkedWeekendDays.Count);
    }
}
