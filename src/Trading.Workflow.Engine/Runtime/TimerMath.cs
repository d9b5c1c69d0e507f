using System.Globalization;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

internal readonly record struct TimerSchedule(DateTimeOffset Due, string Definition, int RepeatsLeft);

/// <summary>
/// Due times of timer definitions: ISO 8601 dates, durations (added to now) and repeating intervals
/// (<c>R3/PT10M</c>, <c>R/PT1H</c>, <c>R2/2026-01-01T09:00:00+08:00/P1D</c>). Values may come from expressions as
/// date-times or durations.
/// </summary>
internal sealed class TimerMath
{
    public TimerSchedule First(TimerKind kind, object? value, DateTimeOffset now, string elementId)
    {
        switch (value)
        {
            case DateTimeOffset date:
                return new(date, VariableValues.FormatDateTime(date), 0);
            case DateOnly day:
                var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), now.Offset);
                return new(start, VariableValues.FormatDateTime(start), 0);
            case IsoDuration duration:
                return new(duration.AddTo(now), duration.ToString(), 0);
            case string text:
                return Parse(kind, text.Trim(), now, elementId);
            default:
                throw Invalid(value is null ? "null" : VariableValues.Format(value), elementId);
        }
    }

    /// <summary>The next firing of a cycle after <paramref name="previousDue"/>; null when no repetition is left.</summary>
    public DateTimeOffset? Next(string definition, DateTimeOffset previousDue, int repeatsLeft)
    {
        if (repeatsLeft == 0 || !TryParseCycle(definition, previousDue, out _, out var interval, out _))
        {
            return null;
        }

        return interval.AddTo(previousDue);
    }

    private static TimerSchedule Parse(TimerKind kind, string text, DateTimeOffset now, string elementId)
    {
        if (kind == TimerKind.Cycle || text.StartsWith('R'))
        {
            if (!TryParseCycle(text, now, out var first, out _, out var repeats))
            {
                throw Invalid(text, elementId);
            }

            return new(first, text, repeats);
        }

        if (IsoDuration.TryParse(text, out var duration))
        {
            return new(duration.AddTo(now), text, 0);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return new(date, text, 0);
        }

        throw Invalid(text, elementId);
    }

    /// <summary>R[n]/[start/]interval: first firing at start, or one interval from <paramref name="now"/>; repeats after the first (-1: unbounded).</summary>
    private static bool TryParseCycle(string text, DateTimeOffset now, out DateTimeOffset first, out IsoDuration interval, out int repeatsAfterFirst)
    {
        first = default;
        interval = default;
        repeatsAfterFirst = 0;
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[0][0] != 'R')
        {
            return false;
        }

        int total;
        if (parts[0].Length == 1)
        {
            total = -1;
        }
        else if (!int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out total) || total < 1)
        {
            return false;
        }

        if (!IsoDuration.TryParse(parts[^1], out interval) || interval.Negative || interval == IsoDuration.Zero)
        {
            return false;
        }

        if (parts.Length == 3)
        {
            if (!DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out first))
            {
                return false;
            }
        }
        else
        {
            first = interval.AddTo(now);
        }

        repeatsAfterFirst = total < 0 ? -1 : total - 1;
        return true;
    }

    private static WorkflowDefinitionException Invalid(string text, string elementId) =>
        new($"节点 {elementId} 的定时器 {text} 无法解析（应为 ISO 8601 日期、时长或 R/周期）",
            $"The timer '{text}' of '{elementId}' is not an ISO 8601 date, duration or R/ cycle.",
            elementId);
}
