namespace Trading.Workflow.Engine.Calendar;

/// <summary>
/// China Standard Time (UTC+08:00, no daylight saving). Working days and timer dates are reckoned in it,
/// whatever offset the clock or the caller uses, because the holiday calendar is China's.
/// </summary>
public static class ChinaStandardTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateTimeOffset ToChina(DateTimeOffset value) => value.ToOffset(Offset);

    /// <summary>The calendar date of <paramref name="value"/> in China.</summary>
    public static DateOnly DateOf(DateTimeOffset value) => DateOnly.FromDateTime(value.ToOffset(Offset).DateTime);

    /// <summary>00:00 of <paramref name="date"/> in China.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);
}
