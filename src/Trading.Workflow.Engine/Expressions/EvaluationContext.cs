using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Expressions;

/// <summary>
/// What an evaluation needs besides variables: the clock for now() and today(), the time zone that
/// "today" and dates without an offset mean, and the working-day calendar (optional; working-day
/// functions fail clearly without it).
/// </summary>
public sealed class EvaluationContext
{
    public EvaluationContext(TimeProvider time, IBusinessCalendar? calendar = null, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        Calendar = calendar;
        TimeZone = timeZone ?? time.LocalTimeZone;
    }

    public static EvaluationContext Default { get; } = new(TimeProvider.System);

    public TimeProvider Time { get; }

    public IBusinessCalendar? Calendar { get; }

    public TimeZoneInfo TimeZone { get; }

    internal DateTimeOffset Now() => TimeZoneInfo.ConvertTime(Time.GetUtcNow(), TimeZone);

    internal DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    internal DateTimeOffset AtLocal(DateTime local) => new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeZone.GetUtcOffset(local));
}
