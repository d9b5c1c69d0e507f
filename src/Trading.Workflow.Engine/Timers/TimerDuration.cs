using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Timers;

public enum TimerDurationUnit
{
    /// <summary>An ISO 8601 duration (P5D, PT1H, P1M…), on the clock and the plain calendar.</summary>
    Iso,

    /// <summary><c>PnWD</c>: n working days, same time of day.</summary>
    WorkingDays,

    /// <summary><c>PnCD</c>: n calendar days by the Civil Code rule, same time of day.</summary>
    CalendarDays,
}

/// <summary>
/// A timer duration: ISO 8601, or our working-day (<c>P5WD</c>) and Civil Code calendar-day (<c>P10CD</c>) forms,
/// optionally ending at 24:00 of the day it lands on (<c>/EOD</c>). See Timers/README.md.
/// </summary>
public sealed partial record TimerDuration
{
    private TimerDuration(TimerDurationUnit unit, IsoDuration iso, int days, bool endOfDay)
    {
        Unit = unit;
        Iso = iso;
        Days = days;
        EndOfDay = endOfDay;
    }

    public TimerDurationUnit Unit { get; }

    /// <summary>The ISO duration when <see cref="Unit"/> is <see cref="TimerDurationUnit.Iso"/>.</summary>
    public IsoDuration Iso { get; }

    /// <summary>The day count for working-day and calendar-day units.</summary>
    public int Days { get; }

    /// <summary>The due time is 24:00 (end) of the day reached, expressed as 00:00 of the next day in China Standard Time.</summary>
    public bool EndOfDay { get; }

    public bool NeedsCalendar => Unit != TimerDurationUnit.Iso;

    public bool IsZero => Unit == TimerDurationUnit.Iso ? Iso.IsYearMonthOnly && Iso.Years == 0 && Iso.Months == 0 : Days == 0;

    /// <summary>The fixed length, when the duration has one (no months, years, calendar rules or end of day).</summary>
    public TimeSpan? FixedLength =>
        Unit == TimerDurationUnit.Iso && !EndOfDay && Iso.Years == 0 && Iso.Months == 0 ? Iso.ToTimeSpan() : null;

    public static TimerDuration FromIso(IsoDuration duration, bool endOfDay = false) =>
        duration.Negative ? throw new ArgumentOutOfRangeException(nameof(duration), "A timer duration cannot be negative.") : new(TimerDurationUnit.Iso, duration, 0, endOfDay);

    public static TimerDuration WorkingDays(int days, bool endOfDay = false) =>
        new(TimerDurationUnit.WorkingDays, IsoDuration.Zero, NonNegative(days), endOfDay);

    public static TimerDuration CalendarDays(int days, bool endOfDay = false) =>
        new(TimerDurationUnit.CalendarDays, IsoDuration.Zero, NonNegative(days), endOfDay);

    /// <summary>
    /// Adds the duration to <paramref name="from"/> in China Standard Time. Working and calendar days need
    /// <paramref name="calendar"/> (and throw <see cref="CalendarDataMissingException"/> past its data).
    /// </summary>
    public DateTimeOffset AddTo(DateTimeOffset from, IBusinessCalendar? calendar)
    {
        var local = ChinaStandardTime.ToChina(from);
        var due = Unit switch
        {
            TimerDurationUnit.WorkingDays => RequireCalendar(calendar).AddWorkingDays(local, Days),
            TimerDurationUnit.CalendarDays => RequireCalendar(calendar).AddCalendarDays(local, Days),
            _ => Iso.AddTo(local),
        };
        return EndOfDay ? ChinaStandardTime.StartOf(ChinaStandardTime.DateOf(due).AddDays(1)) : ChinaStandardTime.ToChina(due);
    }

    public override string ToString()
    {
        var text = Unit switch
        {
            TimerDurationUnit.WorkingDays => string.Create(CultureInfo.InvariantCulture, $"P{Days}WD"),
            TimerDurationUnit.CalendarDays => string.Create(CultureInfo.InvariantCulture, $"P{Days}CD"),
            _ => Iso.ToString(),
        };
        return EndOfDay ? text + "/EOD" : text;
    }

    internal static bool TryParse(string text, bool allowEndOfDay, [NotNullWhen(true)] out TimerDuration? duration, [NotNullWhen(false)] out TimerParseError? error)
    {
        duration = null;
        var body = text;
        var endOfDay = false;
        if (body.EndsWith("/EOD", StringComparison.Ordinal))
        {
            if (!allowEndOfDay)
            {
                error = TimerErrors.EndOfDayNotAllowed(text);
                return false;
            }

            body = body[..^4];
            endOfDay = true;
        }

        if (body.StartsWith('-'))
        {
            error = TimerErrors.NegativeDuration(text);
            return false;
        }

        var days = DayPattern().Match(body);
        if (days.Success)
        {
            if (!int.TryParse(days.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                error = TimerErrors.InvalidDuration(text);
                return false;
            }

            duration = days.Groups["unit"].Value == "WD" ? WorkingDays(n, endOfDay) : CalendarDays(n, endOfDay);
            error = null;
            return true;
        }

        // IsoDuration accepts a bare "P" (no component); a timer needs at least one.
        if (body == "P" || !IsoDuration.TryParse(body, out var iso))
        {
            error = TimerErrors.InvalidDuration(text);
            return false;
        }

        duration = FromIso(iso, endOfDay);
        error = null;
        return true;
    }

    private static IBusinessCalendar RequireCalendar(IBusinessCalendar? calendar) =>
        calendar ?? throw new InvalidOperationException(
            "按工作日或日历日（民法典规则）计算的定时器需要工作日历。 / A working-day or Civil Code calendar-day timer needs the working-day calendar.");

    private static int NonNegative(int days) =>
        days >= 0 ? days : throw new ArgumentOutOfRangeException(nameof(days), days, "A timer duration cannot be negative.");

    [GeneratedRegex(@"^P(?<n>\d+)(?<unit>WD|CD)$", RegexOptions.CultureInvariant)]
    private static partial Regex DayPattern();
}
