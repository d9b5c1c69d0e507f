using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Tests.Expressions;

/// <summary>Weekends and 2026-01-01 off, 2026-01-04 (a Sunday) worked; data for 2026 only.</summary>
internal sealed class TestBusinessCalendar : IBusinessCalendar
{
    public IReadOnlyCollection<int> Years { get; } = [2026];

    public bool IsWorkingDay(DateOnly date)
    {
        if (date.Year != 2026)
        {
            throw new CalendarDataMissingException(date.Year);
        }

        if (date == new DateOnly(2026, 1, 1))
        {
            return false;
        }

        if (date == new DateOnly(2026, 1, 4))
        {
            return true;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        var current = start;
        while (days > 0)
        {
            current = current.AddDays(1);
            if (IsWorkingDay(DateOnly.FromDateTime(current.DateTime)))
            {
                days--;
            }
        }

        return current;
    }

    public DateTimeOffset AddCalendarDays(DateTimeOffset start, int days)
    {
        var current = start.AddDays(days);
        while (!IsWorkingDay(DateOnly.FromDateTime(current.DateTime)))
        {
            current = current.AddDays(1);
        }

        return current;
    }
}

internal static class ExpressionTestSupport
{
    public static readonly TimeZoneInfo China = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");

    /// <summary>2026-03-10 10:00 in UTC+8 (a Tuesday).</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    public static readonly EvaluationContext Context = new(new TestClock(Now, China), new TestBusinessCalendar(), China);

    public static readonly EvaluationContext ContextWithoutCalendar = new(new TestClock(Now, China), null, China);

    public static Dictionary<string, object?> Variables() => new()
    {
        ["amount"] = 1500m,
        ["price"] = 1.50m,
        ["name"] = "Alice",
        ["approved"] = true,
        ["rejected"] = false,
        ["count"] = 3m,
        ["items"] = new List<object?> { 1m, 2m, 3m },
        ["names"] = new List<object?> { "a", "b" },
        ["emptyList"] = new List<object?>(),
        ["orders"] = new List<object?>
        {
            new Dictionary<string, object?> { ["id"] = 1m, ["amount"] = 100m },
            new Dictionary<string, object?> { ["id"] = 2m, ["amount"] = 300m },
        },
        ["applicant"] = new Dictionary<string, object?>
        {
            ["name"] = "张三",
            ["address"] = new Dictionary<string, object?> { ["city"] = "北京" },
        },
        ["start"] = new DateOnly(2026, 1, 5),
        ["deadline"] = new DateTimeOffset(2026, 1, 5, 9, 30, 0, TimeSpan.FromHours(8)),
        ["period"] = new IsoDuration(0, 0, 5, TimeSpan.Zero),
        ["blank"] = "",
        ["nothing"] = null,
        ["projectCode"] = "ZB-2026-001",
        ["loopCounter"] = 2m,
        ["status"] = "APPROVED",
    };

    public static object? Eval(string text, EvaluationContext? context = null) =>
        new ExpressionEngine().Compile(text).Evaluate(new DictionaryVariableScope(Variables()), context ?? Context);

    /// <summary>Type and invariant text of a value, e.g. "number:3", so one string states both.</summary>
    public static string Show(object? value) => VariableValues.TypeName(value) + ":" + VariableValues.Format(value);

    public static string EvalShow(string text) => Show(Eval(text));

    public static ExpressionException EvalError(string text, EvaluationContext? context = null) =>
        Assert.Throws<ExpressionException>(() => Eval(text, context));

    public static ExpressionException CompileError(string text, ExpressionOptions? options = null) =>
        Assert.Throws<ExpressionException>(() => new ExpressionEngine(options).Compile(text));
}
