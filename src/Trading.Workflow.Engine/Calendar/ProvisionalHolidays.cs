using System.Globalization;

namespace Trading.Workflow.Engine.Calendar;

/// <summary>
/// A provisional year for a year whose State Council arrangement is not published yet: the statutory days off of
/// 《全国年节及纪念日放假办法》 (2024 revision: 元旦 1 day, 春节 除夕 to 初三, 清明, 劳动节 1–2 May, 端午, 中秋,
/// 国庆 1–3 Oct), lunar dates from <see cref="ChineseLunisolarCalendar"/>, and a weekday off in lieu of each that falls
/// on a weekend (办法 art. 6). The 调休 swaps are unknown until the notice, so none are assumed.
/// </summary>
/// <remarks>
/// Why: a deadline running into next year (a 30-day contract period in December) cannot wait for the notice. The
/// platform counts it on these days and keeps warning (<see cref="CalendarCoverageWarning"/>) until an administrator
/// enters the published arrangement, which then replaces the provisional year.
/// </remarks>
public static class ProvisionalHolidays
{
    public const string SourceText =
        "临时：按《全国年节及纪念日放假办法》推算，调休以国务院办公厅通知为准 / Provisional: statutory holidays only, the State Council's arrangement is not entered yet";

    private static readonly ChineseLunisolarCalendar Lunar = new();

    public static bool Supports(int year) => year > Lunar.MinSupportedDateTime.Year && year < Lunar.MaxSupportedDateTime.Year;

    public static HolidayYearData For(int year)
    {
        if (!Supports(year))
        {
            throw new CalendarDataMissingException(year);
        }

        var springFestival = LunarToGregorian(year, 1, 1);
        var statutory = new SortedSet<DateOnly>
        {
            new(year, 1, 1),
            springFestival.AddDays(-1), springFestival, springFestival.AddDays(1), springFestival.AddDays(2),
            Qingming(year),
            new(year, 5, 1), new(year, 5, 2),
            LunarToGregorian(year, 5, 5),
            LunarToGregorian(year, 8, 15),
            new(year, 10, 1), new(year, 10, 2), new(year, 10, 3),
        };

        // 除夕 of a Spring Festival on 1 January would fall in the year before.
        statutory.RemoveWhere(d => d.Year != year);
        var off = new SortedSet<DateOnly>(statutory);
        foreach (var day in statutory.Where(IsWeekend))
        {
            var inLieu = day.AddDays(1);
            while (IsWeekend(inLieu) || off.Contains(inLieu))
            {
                inLieu = inLieu.AddDays(1);
            }

            if (inLieu.Year == year)
            {
                off.Add(inLieu);
            }
        }

        return new HolidayYearData(year, [.. off], [], SourceText, Verified: false);
    }

    private static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Month <paramref name="month"/> (1–12, not a leap month) and day of lunar year <paramref name="year"/>.</summary>
    private static DateOnly LunarToGregorian(int year, int month, int day)
    {
        var leap = Lunar.GetLeapMonth(year);
        var index = leap > 0 && month >= leap ? month + 1 : month;
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }

    /// <summary>清明 (the solar term at 15° past the vernal equinox): 4 or 5 April this century, by the usual rule.</summary>
    private static DateOnly Qingming(int year)
    {
        var y = year % 100;
        var c = year >= 2000 ? 4.81 : 5.59;
        return new DateOnly(year, 4, (int)(y * 0.2422 + c) - (y / 4));
    }
}
