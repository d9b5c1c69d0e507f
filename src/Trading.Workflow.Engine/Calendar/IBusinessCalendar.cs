namespace Trading.Workflow.Engine.Calendar;

/// <summary>
/// The working-day calendar: weekends and public holidays off, adjusted weekend days (调休) on.
/// Every method throws <see cref="CalendarDataMissingException"/> for a date in a year without data,
/// because a silent Monday-to-Friday guess would move legal deadlines.
/// </summary>
public interface IBusinessCalendar
{
    bool IsWorkingDay(DateOnly date);

    /// <summary>The same time of day on the <paramref name="days"/>-th working day after the start date (the start day is not counted).</summary>
    DateTimeOffset AddWorkingDays(DateTimeOffset start, int days);

    /// <summary>Calendar days by the Civil Code rule: the start day is not counted; a last day that is not a working day moves to the next working day.</summary>
    DateTimeOffset AddCalendarDays(DateTimeOffset start, int days);

    /// <summary>Years the calendar has data for.</summary>
    IReadOnlyCollection<int> Years { get; }

    /// <summary>
    /// Working days from <paramref name="from"/> to <paramref name="to"/>, start day not counted: for from &lt;= to the
    /// working days d with from &lt; d &lt;= to; for from &gt; to the negated count of to &lt;= d &lt; from. So
    /// <c>AddWorkingDays(x, n)</c> lands on a date y with <c>WorkingDaysBetween(x, y) == n</c>.
    /// </summary>
    int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        if (from <= to)
        {
            for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            {
                count += IsWorkingDay(d) ? 1 : 0;
            }

            return count;
        }

        for (var d = to; d < from; d = d.AddDays(1))
        {
            count += IsWorkingDay(d) ? 1 : 0;
        }

        return -count;
    }

    /// <summary>The first working day strictly after <paramref name="date"/>.</summary>
    DateOnly NextWorkingDay(DateOnly date)
    {
        var d = date.AddDays(1);
        while (!IsWorkingDay(d))
        {
            d = d.AddDays(1);
        }

        return d;
    }

    /// <summary>
    /// A warning for the administrator when the calendar's data ends within <paramref name="horizonDays"/> days of
    /// <paramref name="today"/> (or does not cover today at all); null when the data reaches far enough.
    /// </summary>
    CalendarCoverageWarning? CoverageWarning(DateOnly today, int horizonDays = CalendarCoverageWarning.DefaultHorizonDays) =>
        CalendarCoverageWarning.Evaluate(Years, today, horizonDays);
}
