using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Tests.Calendar;

public sealed class HolidayCalendarDataTests
{
    private static HolidayYearData Year(int year, DateOnly[] off, DateOnly[] worked) => new(year, off, worked, "test", true);

    [Fact]
    public void Validate_OfficialData_HasNoProblems()
    {
        Assert.Empty(HolidayCalendarData.Official.Validate());
    }

    [Fact]
    public void Validate_DayBothOffAndWorked_ReportsItWithDate()
    {
        var day = new DateOnly(2026, 2, 14);
        var data = new HolidayCalendarData([Year(2026, [day], [day])]);

        var problem = Assert.Single(data.Validate());

        Assert.Equal(HolidayCalendarProblemCode.DayBothOffAndWorked, problem.Code);
        Assert.Equal(day, problem.Date);
        Assert.Contains("2026-02-14", problem.MessageZh);
        Assert.Contains("2026-02-14", problem.MessageEn);
    }

    [Fact]
    public void Validate_DateOfAnotherYear_ReportsDateOutsideYear()
    {
        var data = new HolidayCalendarData([Year(2026, [new DateOnly(2027, 1, 1)], [])]);

        var problem = Assert.Single(data.Validate());

        Assert.Equal(HolidayCalendarProblemCode.DateOutsideYear, problem.Code);
        Assert.Equal(2026, problem.Year);
    }

    [Fact]
    public void Validate_WorkedDayOnAWeekday_ReportsWorkedDayNotWeekend()
    {
        var data = new HolidayCalendarData([Year(2026, [], [new DateOnly(2026, 3, 4)])]);

        var problem = Assert.Single(data.Validate());

        Assert.Equal(HolidayCalendarProblemCode.WorkedDayNotWeekend, problem.Code);
    }

    [Fact]
    public void Validate_SameYearTwice_ReportsDuplicateYear()
    {
        var data = new HolidayCalendarData([Year(2026, [], []), Year(2026, [], [])]);

        var problem = Assert.Single(data.Validate());

        Assert.Equal(HolidayCalendarProblemCode.DuplicateYear, problem.Code);
    }

    [Fact]
    public void Validate_DateListedTwice_ReportsDuplicateDate()
    {
        var day = new DateOnly(2026, 10, 1);
        var data = new HolidayCalendarData([Year(2026, [day, day], [])]);

        var problem = Assert.Single(data.Validate());

        Assert.Equal(HolidayCalendarProblemCode.DuplicateDate, problem.Code);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsAllOfThem()
    {
        var both = new DateOnly(2026, 2, 28);
        var data = new HolidayCalendarData([Year(2026, [both, new DateOnly(2025, 12, 31)], [both, new DateOnly(2026, 3, 4)])]);

        Assert.Equal(3, data.Validate().Count);
    }

    [Fact]
    public void Constructor_OfBusinessCalendarWithInvalidData_ThrowsWithEveryProblem()
    {
        var both = new DateOnly(2026, 2, 28);
        var data = new HolidayCalendarData([Year(2026, [both], [both, new DateOnly(2026, 3, 4)])]);

        var ex = Assert.Throws<HolidayCalendarValidationException>(() => new BusinessCalendar(data));

        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains("节假日数据有误", ex.Message);
        Assert.Contains("holiday data is invalid", ex.Message);
    }

    [Fact]
    public void IsWorkingDay_YearMissingBetweenCoveredYears_ThrowsNamingIt()
    {
        var calendar = new BusinessCalendar(new HolidayCalendarData([Year(2025, [], []), Year(2027, [], [])]));

        var ex = Assert.Throws<CalendarDataMissingException>(() => calendar.IsWorkingDay(new DateOnly(2026, 6, 1)));

        Assert.Equal(2026, ex.Year);
    }

    [Fact]
    public void IsWorkingDay_EmptyCalendar_ThrowsNamingTheYear()
    {
        var calendar = new BusinessCalendar(HolidayCalendarData.Empty);

        var ex = Assert.Throws<CalendarDataMissingException>(() => calendar.IsWorkingDay(new DateOnly(2026, 6, 1)));

        Assert.Equal(2026, ex.Year);
    }

    [Fact]
    public void WithYear_ExistingYear_ReplacesIt()
    {
        var edited = Year(2026, [new DateOnly(2026, 3, 3)], []).EditedBy("admin", new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.FromHours(8)));

        var data = HolidayCalendarData.Official.WithYear(edited);

        Assert.Equal([2025, 2026], data.Years.Select(y => y.Year));
        Assert.Equal("admin", data.Find(2026)!.LastEditedBy);
        Assert.False(new BusinessCalendar(data).IsWorkingDay(new DateOnly(2026, 3, 3)));
    }

    [Fact]
    public void WithoutYear_RemovesIt()
    {
        var data = HolidayCalendarData.Official.WithoutYear(2025);

        Assert.Equal([2026], data.Years.Select(y => y.Year));
    }

    [Fact]
    public void ToJson_ThenFromJson_KeepsEveryField()
    {
        var at = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.FromHours(8));
        var original = HolidayCalendarData.Official.WithYear(HolidayCalendarData.Official.Find(2026)!.EditedBy("管理员", at));

        var copy = HolidayCalendarData.FromJson(original.ToJson());

        Assert.Equal(original.Years.Count, copy.Years.Count);
        foreach (var (a, b) in original.Years.Zip(copy.Years))
        {
            Assert.Equal(a.Year, b.Year);
            Assert.Equal(a.DaysOff, b.DaysOff);
            Assert.Equal(a.WorkedWeekendDays, b.WorkedWeekendDays);
            Assert.Equal(a.Source, b.Source);
            Assert.Equal(a.Verified, b.Verified);
            Assert.Equal(a.LastEditedBy, b.LastEditedBy);
            Assert.Equal(a.LastEditedAt, b.LastEditedAt);
        }
    }

    [Fact]
    public void FromJson_MalformedText_ThrowsFormatExceptionInBothLanguages()
    {
        var ex = Assert.Throws<FormatException>(() => HolidayCalendarData.FromJson("{\"years\": [ {\"year\": \"x\"} ]"));

        Assert.Contains("JSON", ex.Message);
        Assert.Contains("节假日数据", ex.Message);
    }

    [Fact]
    public void FromJson_WithoutYearsList_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => HolidayCalendarData.FromJson("{}"));
    }
}
