namespace Trading.Workflow.Engine.Calendar;

/// <summary>
/// One year of the official holiday arrangement (国务院办公厅 notice): the days off beyond ordinary weekends
/// (holidays, whether or not they fall on a weekend) and the weekend days that are worked (调休).
/// </summary>
/// <param name="Source">Where the data comes from (the notice and its date), shown to the administrator.</param>
/// <param name="Verified">False when the data was entered from memory or a secondary source and still needs checking against the notice.</param>
public sealed record HolidayYearData(
    int Year,
    IReadOnlyList<DateOnly> DaysOff,
    IReadOnlyList<DateOnly> WorkedWeekendDays,
    string? Source = null,
    bool Verified = false,
    string? LastEditedBy = null,
    DateTimeOffset? LastEditedAt = null)
{
    /// <summary>The earliest year an arrangement is kept for, and the last (the administrator's editor offers these).</summary>
    public const int FirstYear = 2000;

    public const int LastYear = 2199;

    /// <summary>
    /// The statutory public holidays of <paramref name="year"/> in days (全国年节及纪念日放假办法: 10 until 2007, 11 from
    /// 2008, 13 from 2025). A year's arrangement lists at least these as days off, weekends of the holiday blocks
    /// included, so a verified year with fewer is incomplete.
    /// </summary>
    public static int StatutoryDaysOff(int year) => year switch
    {
        < 2008 => 10,
        < 2025 => 11,
        _ => 13,
    };

    /// <summary>The same data stamped as edited by <paramref name="by"/> at <paramref name="at"/>.</summary>
    public HolidayYearData EditedBy(string by, DateTimeOffset at) => this with { LastEditedBy = by, LastEditedAt = at };

    internal IEnumerable<HolidayCalendarProblem> Validate()
    {
        if (Year < 1 || Year >= DateOnly.MaxValue.Year)
        {
            yield return HolidayCalendarProblem.YearOutOfRange(Year);
            yield break;
        }

        foreach (var problem in ValidateList(DaysOff, isWorked: false))
        {
            yield return problem;
        }

        foreach (var problem in ValidateList(WorkedWeekendDays, isWorked: true))
        {
            yield return problem;
        }

        foreach (var day in DaysOff.Intersect(WorkedWeekendDays).Order())
        {
            yield return HolidayCalendarProblem.BothOffAndWorked(Year, day);
        }
    }

    private IEnumerable<HolidayCalendarProblem> ValidateList(IReadOnlyList<DateOnly> days, bool isWorked)
    {
        var seen = new HashSet<DateOnly>();
        foreach (var day in days)
        {
            if (day.Year != Year)
            {
                yield return HolidayCalendarProblem.DateOutsideYear(Year, day);
            }

            if (!seen.Add(day))
            {
                yield return HolidayCalendarProblem.DuplicateDate(Year, day);
            }

            if (isWorked && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                yield return HolidayCalendarProblem.WorkedDayNotWeekend(Year, day);
            }
        }
    }
}
