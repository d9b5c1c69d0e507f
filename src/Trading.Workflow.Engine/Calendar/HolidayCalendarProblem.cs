using System.Globalization;

namespace Trading.Workflow.Engine.Calendar;

public enum HolidayCalendarProblemCode
{
    YearOutOfRange,
    DuplicateYear,
    DateOutsideYear,
    DuplicateDate,
    DayBothOffAndWorked,
    WorkedDayNotWeekend,
}

/// <summary>One thing wrong with the holiday data, with the year and date it concerns.</summary>
public sealed record HolidayCalendarProblem(
    HolidayCalendarProblemCode Code,
    int Year,
    DateOnly? Date,
    string MessageZh,
    string MessageEn)
{
    public override string ToString() => $"{MessageZh} / {MessageEn}";

    internal static HolidayCalendarProblem YearOutOfRange(int year) => new(
        HolidayCalendarProblemCode.YearOutOfRange, year, null,
        Inv($"年份 {year} 无效。"),
        Inv($"The year {year} is not valid."));

    internal static HolidayCalendarProblem DuplicateYear(int year) => new(
        HolidayCalendarProblemCode.DuplicateYear, year, null,
        Inv($"{year} 年的数据出现了不止一次。"),
        Inv($"The year {year} appears more than once."));

    internal static HolidayCalendarProblem DateOutsideYear(int year, DateOnly date) => new(
        HolidayCalendarProblemCode.DateOutsideYear, year, date,
        Inv($"{date:yyyy-MM-dd} 不属于 {year} 年，不能放在 {year} 年的安排里。"),
        Inv($"{date:yyyy-MM-dd} does not belong to {year} and cannot be part of the {year} arrangement."));

    internal static HolidayCalendarProblem DuplicateDate(int year, DateOnly date) => new(
        HolidayCalendarProblemCode.DuplicateDate, year, date,
        Inv($"{date:yyyy-MM-dd} 在 {year} 年的同一列表中出现了不止一次。"),
        Inv($"{date:yyyy-MM-dd} is listed more than once in the same {year} list."));

    internal static HolidayCalendarProblem BothOffAndWorked(int year, DateOnly date) => new(
        HolidayCalendarProblemCode.DayBothOffAndWorked, year, date,
        Inv($"{date:yyyy-MM-dd} 不能既是放假日又是调休上班日。"),
        Inv($"{date:yyyy-MM-dd} cannot be both a day off and a worked weekend day."));

    internal static HolidayCalendarProblem WorkedDayNotWeekend(int year, DateOnly date) => new(
        HolidayCalendarProblemCode.WorkedDayNotWeekend, year, date,
        Inv($"{date:yyyy-MM-dd} 不是周末，不能列为调休上班日（工作日本来就上班）。"),
        Inv($"{date:yyyy-MM-dd} is not a Saturday or Sunday, so it cannot be a worked weekend day (it is a working day anyway)."));

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
