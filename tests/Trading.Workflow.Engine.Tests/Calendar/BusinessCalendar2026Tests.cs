using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Tests.Calendar;

public sealed class BusinessCalendar2026Tests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private readonly BusinessCalendar _calendar = BusinessCalendar.Official;

    private static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void IsWorkingDay_Sunday4January2026_IsWorked()
    {
        Assert.Equal(DayOfWeek.Sunday, D("2026-01-04").DayOfWeek);
        Assert.True(_calendar.IsWorkingDay(D("2026-01-04")));
    }

    [Theory]
    [InlineData("2026-02-14")]
    [InlineData("2026-02-28")]
    public void IsWorkingDay_AdjustedSaturdaysInFebruary2026_AreWorked(string date)
    {
        Assert.Equal(DayOfWeek.Saturday, D(date).DayOfWeek);
        Assert.True(_calendar.IsWorkingDay(D(date)));
    }

    [Fact]
    public void IsWorkingDay_SpringFestival15To23February2026_EveryDayOff()
    {
        var days = Enumerable.Range(15, 9).Select(d => new DateOnly(2026, 2, d));

        Assert.All(days, d => Assert.False(_calendar.IsWorkingDay(d), d.ToString("O")));
    }

    [Fact]
    public void IsWorkingDay_DaysAroundSpringFestival2026_AreWorked()
    {
        Assert.True(_calendar.IsWorkingDay(D("2026-02-13")));
        Assert.True(_calendar.IsWorkingDay(D("2026-02-24")));
    }

    [Fact]
    public void IsWorkingDay_NationalDay1To7October2026_EveryDayOff()
    {
        var days = Enumerable.Range(1, 7).Select(d => new DateOnly(2026, 10, d));

        Assert.All(days, d => Assert.False(_calendar.IsWorkingDay(d), d.ToString("O")));
    }

    [Fact]
    public void IsWorkingDay_Saturday10October2026_IsWorked()
    {
        Assert.True(_calendar.IsWorkingDay(D("2026-10-10")));
    }

    [Fact]
    public void IsWorkingDay_OrdinarySundayAfterNationalDay_IsOff()
    {
        Assert.False(_calendar.IsWorkingDay(D("2026-10-11")));
    }

    [Theory]
    [InlineData("2026-01-01")]
    [InlineData("2026-01-02")]
    [InlineData("2026-04-06")]
    [InlineData("2026-05-05")]
    [InlineData("2026-06-19")]
    [InlineData("2026-09-25")]
    public void IsWorkingDay_WeekdayHolidays2026_AreOff(string date)
    {
        Assert.False(_calendar.IsWorkingDay(D(date)));
    }

    [Theory]
    [InlineData("2026-05-09")]
    [InlineData("2026-09-20")]
    public void IsWorkingDay_OtherAdjustedWeekendDays2026_AreWorked(string date)
    {
        Assert.True(_calendar.IsWorkingDay(D(date)));
    }

    [Fact]
    public void IsWorkingDay_OrdinarySaturday2026_IsOff()
    {
        Assert.False(_calendar.IsWorkingDay(D("2026-03-07")));
    }

    [Fact]
    public void IsWorkingDay_DateIn2027_ThrowsNaming2027()
    {
        var ex = Assert.Throws<CalendarDataMissingException>(() => _calendar.IsWorkingDay(D("2027-01-04")));

        Assert.Equal(2027, ex.Year);
        Assert.Contains("2027", ex.Message);
    }

    [Fact]
    public void AddWorkingDays_FiveAfter30September2026_Is13OctoberSameTime()
    {
        // 1–7 Oct off, 8 Thu, 9 Fri, 10 Sat (worked), 11 Sun off, 12 Mon, 13 Tue.
        var result = _calendar.AddWorkingDays(At("2026-09-30T10:30:00+08:00"), 5);

        Assert.Equal(new DateTimeOffset(2026, 10, 13, 10, 30, 0, China), result);
        Assert.Equal(China, result.Offset);
    }

    [Fact]
    public void AddWorkingDays_OneAfterFriday_IsMondayNotCountingStartDay()
    {
        var result = _calendar.AddWorkingDays(At("2026-03-06T09:00:00+08:00"), 1);

        Assert.Equal(At("2026-03-09T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddWorkingDays_OneAfterFriday13February2026_IsWorkedSaturday()
    {
        var result = _calendar.AddWorkingDays(At("2026-02-13T09:00:00+08:00"), 1);

        Assert.Equal(At("2026-02-14T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddWorkingDays_TwoAfterWorkedSaturday14February2026_SkipsSpringFestival()
    {
        // 14 Feb is the start (not counted); 15–23 off; 24 Tue, 25 Wed.
        var result = _calendar.AddWorkingDays(At("2026-02-14T09:00:00+08:00"), 2);

        Assert.Equal(At("2026-02-25T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddWorkingDays_NegativeOneFrom8October2026_Is30September()
    {
        var result = _calendar.AddWorkingDays(At("2026-10-08T15:00:00+08:00"), -1);

        Assert.Equal(At("2026-09-30T15:00:00+08:00"), result);
    }

    [Fact]
    public void AddWorkingDays_NegativeFromOffDay_CountsBackFromPreviousWorkingDays()
    {
        // From Sun 4 Oct (off) back 2 working days: 30 Sep, 29 Sep.
        var result = _calendar.AddWorkingDays(At("2026-10-04T08:00:00+08:00"), -2);

        Assert.Equal(At("2026-09-29T08:00:00+08:00"), result);
    }

    [Fact]
    public void AddWorkingDays_FromLastDayOf2025_FirstWorkingDayIsSunday4January2026()
    {
        var result = _calendar.AddWorkingDays(At("2025-12-31T17:00:00+08:00"), 1);

        Assert.Equal(At("2026-01-04T17:00:00+08:00"), result);
    }

    [Fact]
    public void AddWorkingDays_BackwardsAcrossYearBoundary_LandsIn2025()
    {
        var result = _calendar.AddWorkingDays(At("2026-01-04T09:00:00+08:00"), -1);

        Assert.Equal(At("2025-12-31T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddWorkingDays_CrossingInto2027_ThrowsNaming2027()
    {
        var ex = Assert.Throws<CalendarDataMissingException>(() => _calendar.AddWorkingDays(At("2026-12-29T09:00:00+08:00"), 5));

        Assert.Equal(2027, ex.Year);
    }

    [Fact]
    public void AddWorkingDays_BackwardsInto2024_ThrowsNaming2024()
    {
        var ex = Assert.Throws<CalendarDataMissingException>(() => _calendar.AddWorkingDays(At("2025-01-03T09:00:00+08:00"), -3));

        Assert.Equal(2024, ex.Year);
    }

    [Fact]
    public void AddWorkingDays_UtcStartTime_IsReckonedOnTheChineseDate()
    {
        // 17:00Z on 30 Sep is 01:00 on 1 Oct in China, so the count starts from 1 Oct.
        var result = _calendar.AddWorkingDays(At("2026-09-30T17:00:00Z"), 1);

        Assert.Equal(At("2026-10-08T01:00:00+08:00"), result);
    }

    [Fact]
    public void AddWorkingDays_Zero_ReturnsStartInChinaTime()
    {
        var result = _calendar.AddWorkingDays(At("2026-10-03T02:00:00Z"), 0);

        Assert.Equal(At("2026-10-03T10:00:00+08:00"), result);
        Assert.Equal(China, result.Offset);
    }

    [Fact]
    public void AddWorkingDays_EveryStartDateIn2025And2026_MatchesADayByDayWalk()
    {
        foreach (var n in new[] { 1, 3, 5, 20, -1, -7, -20 })
        {
            for (var date = new DateOnly(2025, 1, 1); date <= new DateOnly(2026, 12, 31); date = date.AddDays(1))
            {
                var expected = Walk(date, n);
                if (expected is null)
                {
                    Assert.Throws<CalendarDataMissingException>(() => _calendar.ShiftWorkingDays(date, n));
                    continue;
                }

                Assert.Equal(expected.Value, _calendar.ShiftWorkingDays(date, n));
            }
        }
    }

    [Fact]
    public void WorkingDaysBetween_InvertsAddWorkingDaysBothWays()
    {
        for (var date = new DateOnly(2025, 1, 1); date <= new DateOnly(2026, 11, 30); date = date.AddDays(1))
        {
            foreach (var n in new[] { 1, 5, 15 })
            {
                Assert.Equal(n, _calendar.WorkingDaysBetween(date, _calendar.ShiftWorkingDays(date, n)));
            }

            if (date.Year == 2026)
            {
                Assert.Equal(-5, _calendar.WorkingDaysBetween(date, _calendar.ShiftWorkingDays(date, -5)));
            }
        }
    }

    [Fact]
    public void WorkingDaysBetween_WholeYear2026_CountsEveryWorkingDay()
    {
        var expected = Enumerable.Range(0, 365).Count(i => _calendar.IsWorkingDay(new DateOnly(2026, 1, 1).AddDays(i)));

        Assert.Equal(expected, _calendar.WorkingDaysBetween(D("2025-12-31"), D("2026-12-31")));
    }

    [Fact]
    public void WorkingDaysBetween_SameDate_IsZero()
    {
        Assert.Equal(0, _calendar.WorkingDaysBetween(D("2026-10-09"), D("2026-10-09")));
    }

    [Fact]
    public void NextWorkingDay_After30September2026_Is8October()
    {
        Assert.Equal(D("2026-10-08"), _calendar.NextWorkingDay(D("2026-09-30")));
    }

    [Fact]
    public void PreviousWorkingDay_Before24February2026_Is14February()
    {
        Assert.Equal(D("2026-02-14"), _calendar.PreviousWorkingDay(D("2026-02-24")));
    }

    [Fact]
    public void AddCalendarDays_LastDayOn1October2026_RollsTo8October()
    {
        var result = _calendar.AddCalendarDays(At("2026-09-21T09:00:00+08:00"), 10);

        Assert.Equal(At("2026-10-08T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddCalendarDays_LastDayOnWorkedSaturday10October2026_StaysThere()
    {
        var result = _calendar.AddCalendarDays(At("2026-09-30T09:00:00+08:00"), 10);

        Assert.Equal(At("2026-10-10T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddCalendarDays_LastDayOnWorkingDay_IsNotMoved()
    {
        var result = _calendar.AddCalendarDays(At("2026-03-02T09:00:00+08:00"), 17);

        Assert.Equal(At("2026-03-19T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddCalendarDays_LastDayOnOrdinarySunday_RollsToMonday()
    {
        var result = _calendar.AddCalendarDays(At("2026-03-02T09:00:00+08:00"), 6);

        Assert.Equal(At("2026-03-09T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddCalendarDays_StartDayIsNotCounted()
    {
        var result = _calendar.AddCalendarDays(At("2026-03-02T09:00:00+08:00"), 1);

        Assert.Equal(At("2026-03-03T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddCalendarDays_BackwardsOntoHoliday_RollsToEarlierWorkingDay()
    {
        // 20 days before 25 Oct is 5 Oct (off): the latest working day not after it is 30 Sep.
        var result = _calendar.AddCalendarDays(At("2026-10-25T09:00:00+08:00"), -20);

        Assert.Equal(At("2026-09-30T09:00:00+08:00"), result);
    }

    [Fact]
    public void AddCalendarDays_LastDayIn2027_ThrowsNaming2027()
    {
        var ex = Assert.Throws<CalendarDataMissingException>(() => _calendar.AddCalendarDays(At("2026-12-20T09:00:00+08:00"), 20));

        Assert.Equal(2027, ex.Year);
    }

    [Fact]
    public void AddCalendarDays_RollOverFrom31December2026_ThrowsNaming2027()
    {
        // Thu 31 Dec 2026 + 2 days = Sat 2 Jan 2027: data for 2027 is needed to know whether it works.
        var ex = Assert.Throws<CalendarDataMissingException>(() => _calendar.AddCalendarDays(At("2026-12-31T09:00:00+08:00"), 2));

        Assert.Equal(2027, ex.Year);
    }

    [Fact]
    public void Years_OfficialCalendar_Are2025And2026()
    {
        Assert.Equal([2025, 2026], _calendar.Years.Order());
    }

    private DateOnly? Walk(DateOnly date, int n)
    {
        var step = Math.Sign(n);
        var left = Math.Abs(n);
        var d = date;
        while (left > 0)
        {
            d = d.AddDays(step);
            if (d.Year is < 2025 or > 2026)
            {
                return null;
            }

            if (_calendar.Data.Find(d.Year) is { } year)
            {
                var working = year.WorkedWeekendDays.Contains(d)
                    || (!year.DaysOff.Contains(d) && d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
                left -= working ? 1 : 0;
            }
        }

        return d;
    }
}
