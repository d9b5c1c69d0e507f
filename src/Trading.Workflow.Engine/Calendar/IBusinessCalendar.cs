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
}
