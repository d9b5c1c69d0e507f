using System.Globalization;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Expressions;

/// <summary>
/// Reads expression results where the runtime needs a particular kind of value: timer durations and dates,
/// due dates, candidate lists. Strings are accepted in ISO 8601 / comma-separated form, as Camunda accepts them.
/// </summary>
public static class ExpressionValues
{
    /// <summary>An IsoDuration, or ISO 8601 duration text (P5D, PT2H).</summary>
    public static bool TryGetDuration(object? value, out IsoDuration duration)
    {
        switch (value)
        {
            case IsoDuration d:
                duration = d;
                return true;
            case string s:
                return VariableValues.TryParseDuration(s, out duration);
            default:
                duration = default;
                return false;
        }
    }

    /// <summary>
    /// A date and time; a date means its start in the context's zone; text is ISO 8601 (with an offset, or local to
    /// the context's zone, or a date alone).
    /// </summary>
    public static bool TryGetDateTime(object? value, EvaluationContext context, out DateTimeOffset dateTime)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (value)
        {
            case DateTimeOffset dt:
                dateTime = dt;
                return true;
            case DateOnly d:
                dateTime = context.StartOfDay(d);
                return true;
            case string s when Builtins.TryParseDateTime(s, context, out dateTime):
                return true;
            case string s when Builtins.TryParseDate(s, out var date):
                dateTime = context.StartOfDay(date);
                return true;
            default:
                dateTime = default;
                return false;
        }
    }

    /// <summary>
    /// Names from a candidate-users or candidate-groups value: null is none, a string is split on commas
    /// (Camunda's "a, b"), a list gives each non-null item as text. Blank names are dropped.
    /// </summary>
    public static IReadOnlyList<string> ToStringList(object? value)
    {
        var result = new List<string>();
        switch (value)
        {
            case null:
                break;
            case string s:
                foreach (var part in s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    result.Add(part);
                }

                break;
            case IReadOnlyList<object?> list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item && VariableValues.Format(item).Trim() is { Length: > 0 } text)
                    {
                        result.Add(text);
                    }
                }

                break;
            default:
                result.Add(VariableValues.Format(value));
                break;
        }

        return result;
    }

    /// <summary>A whole number (loop cardinality, priority) from a number or numeric text.</summary>
    public static bool TryGetInt32(object? value, out int number)
    {
        number = 0;
        var d = value switch
        {
            decimal n => n,
            string s when decimal.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => (decimal?)null,
        };
        if (d is not { } whole || whole != decimal.Truncate(whole) || whole < int.MinValue || whole > int.MaxValue)
        {
            return false;
        }

        number = (int)whole;
        return true;
    }
}
