using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Expressions;

internal delegate object? BuiltinBody(object?[] args, Frame f, int pos);

/// <summary>A built-in function. When <paramref name="nullPropagates"/> is set, a null in any argument makes the result null (FEEL's rule).</summary>
internal sealed class Builtin(string name, int minArgs, int maxArgs, BuiltinBody body, bool nullPropagates = true)
{
    public string Name { get; } = name;

    public int MinArgs { get; } = minArgs;

    public int MaxArgs { get; } = maxArgs;

    public object? Invoke(object?[] args, Frame f, int pos)
    {
        if (nullPropagates)
        {
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] is null)
                {
                    return null;
                }
            }
        }

        var result = body(args, f, pos);
        f.AllocateResult(result, args, pos);
        return result is bool b ? VariableValues.Box(b) : result;
    }
}

/// <summary>
/// The function library. FEEL names follow DMN 1.3 §10.3.4 (plus Camunda's common extensions); JUEL names are
/// the camelCase forms and the Java methods that Camunda 7, Flowable and Activiti models call on values.
/// Nothing here reaches .NET objects: every function works on the engine's value types only.
/// </summary>
internal static class Builtins
{
    private const int Unbounded = int.MaxValue;

    public static readonly Dictionary<string, Builtin> Feel = new(StringComparer.Ordinal);
    public static readonly Dictionary<string, Builtin> Juel = new(StringComparer.Ordinal);

    /// <summary>FEEL function names of several words, longest first, so the parser can join their tokens.</summary>
    public static readonly string[][] FeelMultiWord;

    private static readonly ConcurrentDictionary<(string Pattern, RegexOptions Options, TimeSpan Timeout), Regex> RegexCache = new();

    private static readonly string[] DayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    static Builtins()
    {
        // conversion
        Both("string", "string", 1, 1, (a, f, p) => VariableValues.Format(a[0]));
        Both("number", "number", 1, 3, (a, f, p) => NumberOf(a, p), nullPropagates: false);
        Both("date", "date", 1, 3, (a, f, p) => ToDate(a, f, p));
        Feel["date and time"] = new("date and time", 1, 1, (a, f, p) => ToDateTime(a[0], f, p));
        Juel["dateTime"] = new("dateTime", 0, 1, (a, f, p) => a.Length == 0 ? f.Context.Now() : ToDateTime(a[0], f, p));
        Both("duration", "duration", 1, 1, (a, f, p) => a[0] is IsoDuration d ? d : ParseDuration(Str(a, 0, "duration", p), p));
        Feel["years and months duration"] = new("years and months duration", 2, 2, (a, f, p) => YearsAndMonths(a, f, p));
        Both("now", "now", 0, 0, (a, f, p) => f.Context.Now());
        Both("today", "today", 0, 0, (a, f, p) => DateOnly.FromDateTime(f.Context.Now().DateTime));

        // strings
        Feel["substring"] = new("substring", 2, 3, FeelSubstring);
        Juel["substring"] = new("substring", 2, 3, (a, f, p) => JavaSubstring(Str(a, 0, "substring", p), a, 1, p));
        Feel["string length"] = new("string length", 1, 1, (a, f, p) => (decimal)Str(a, 0, "string length", p).Length);
        Juel["length"] = new("length", 1, 1, (a, f, p) => Size(a[0], "length", p), nullPropagates: false);
        Both("upper case", "toUpperCase", 1, 1, (a, f, p) => Str(a, 0, "upper case", p).ToUpperInvariant());
        Both("lower case", "toLowerCase", 1, 1, (a, f, p) => Str(a, 0, "lower case", p).ToLowerInvariant());
        Juel["upperCase"] = Juel["toUpperCase"];
        Juel["lowerCase"] = Juel["toLowerCase"];
        Both("substring before", "substringBefore", 2, 2, (a, f, p) => SubstringBefore(Str(a, 0, "substring before", p), Str(a, 1, "substring before", p)));
        Both("substring after", "substringAfter", 2, 2, (a, f, p) => SubstringAfter(Str(a, 0, "substring after", p), Str(a, 1, "substring after", p)));
        Feel["replace"] = new("replace", 3, 4, (a, f, p) =>
            RegexReplace(GetRegex(Str(a, 1, "replace", p), a.Length > 3 ? Str(a, 3, "replace", p) : null, false, f, p),
                Str(a, 0, "replace", p), ConvertReplacement(Str(a, 2, "replace", p)), f, p));
        Juel["replace"] = new("replace", 3, 3, (a, f, p) => OrdinalReplace(Str(a, 0, "replace", p), Str(a, 1, "replace", p), Str(a, 2, "replace", p), f, p));
        Both("contains", "contains", 2, 2, (a, f, p) => Contains(a[0], a[1], "contains", p), nullPropagates: false);
        Both("starts with", "startsWith", 2, 2, (a, f, p) => Str(a, 0, "starts with", p).StartsWith(Str(a, 1, "starts with", p), StringComparison.Ordinal));
        Both("ends with", "endsWith", 2, 2, (a, f, p) => Str(a, 0, "ends with", p).EndsWith(Str(a, 1, "ends with", p), StringComparison.Ordinal));
        Feel["matches"] = new("matches", 2, 3, (a, f, p) =>
            Match(GetRegex(Str(a, 1, "matches", p), a.Length > 2 ? Str(a, 2, "matches", p) : null, false, f, p), Str(a, 0, "matches", p), f, p));
        Juel["matches"] = new("matches", 2, 2, (a, f, p) => Match(GetRegex(Str(a, 1, "matches", p), null, true, f, p), Str(a, 0, "matches", p), f, p));
        Both("split", "split", 2, 2, (a, f, p) => Split(Str(a, 0, "split", p), Str(a, 1, "split", p), f, p));
        Feel["string join"] = new("string join", 1, 2, (a, f, p) => Join(a, "string join", f, p), nullPropagates: false);
        Juel["join"] = new("join", 1, 2, (a, f, p) => Join(a, "join", f, p), nullPropagates: false);
        Both("trim", "trim", 1, 1, (a, f, p) => Str(a, 0, "trim", p).Trim());
        Juel["indexOf"] = new("indexOf", 2, 2, (a, f, p) => a[0] is IReadOnlyList<object?> l ? IndexOf(l, a[1], f, p) : (decimal)Str(a, 0, "indexOf", p).IndexOf(Str(a, 1, "indexOf", p), StringComparison.Ordinal), nullPropagates: false);
        Juel["containsIgnoreCase"] = new("containsIgnoreCase", 2, 2, (a, f, p) => Str(a, 0, "containsIgnoreCase", p).Contains(Str(a, 1, "containsIgnoreCase", p), StringComparison.OrdinalIgnoreCase));

        // lists
        Both("list contains", "listContains", 2, 2, (a, f, p) => ListContains(List(a, 0, "list contains", p), a[1], f, p), nullPropagates: false);
        Feel["count"] = new("count", 1, 1, (a, f, p) => (decimal)List(a, 0, "count", p).Count);
        Juel["count"] = Feel["count"];
        Juel["size"] = new("size", 1, 1, (a, f, p) => Size(a[0], "size", p), nullPropagates: false);
        Both("min", "min", 1, Unbounded, (a, f, p) => MinMax(a, -1, "min", f, p));
        Both("max", "max", 1, Unbounded, (a, f, p) => MinMax(a, 1, "max", f, p));
        Both("sum", "sum", 1, Unbounded, (a, f, p) => Sum(a, "sum", f, p));
        Both("mean", "mean", 1, Unbounded, (a, f, p) => Mean(a, f, p));
        Both("product", "product", 1, Unbounded, (a, f, p) => Product(a, f, p));
        Both("all", "all", 1, Unbounded, (a, f, p) => AllAny(a, true, "all", f, p), nullPropagates: false);
        Both("any", "any", 1, Unbounded, (a, f, p) => AllAny(a, false, "any", f, p), nullPropagates: false);
        Feel["sublist"] = new("sublist", 2, 3, Sublist);
        Both("append", "append", 1, Unbounded, (a, f, p) => Append(a, f, p), nullPropagates: false);
        Both("concatenate", "concatenate", 0, Unbounded, (a, f, p) => Concatenate(a, "concatenate", false, f, p));
        Both("union", "union", 0, Unbounded, (a, f, p) => Concatenate(a, "union", true, f, p));
        Both("reverse", "reverse", 1, 1, (a, f, p) => Reverse(List(a, 0, "reverse", p)));
        Feel["index of"] = new("index of", 2, 2, (a, f, p) => IndexesOf(List(a, 0, "index of", p), a[1], f, p), nullPropagates: false);
        Both("distinct values", "distinctValues", 1, 1, (a, f, p) => Distinct(List(a, 0, "distinct values", p), f, p));
        Both("flatten", "flatten", 1, 1, (a, f, p) => Flatten(List(a, 0, "flatten", p), f, p));
        Feel["remove"] = new("remove", 2, 2, (a, f, p) => Remove(a, p));
        Feel["insert before"] = new("insert before", 3, 3, (a, f, p) => InsertBefore(a, p), nullPropagates: false);
        Feel["is empty"] = new("is empty", 1, 1, (a, f, p) => Operators.IsEmpty(a[0]), nullPropagates: false);
        Juel["isEmpty"] = Feel["is empty"];
        Juel["empty"] = Feel["is empty"];

        // numbers
        Both("decimal", "decimal", 2, 2, (a, f, p) => Round(a, "decimal", MidpointRounding.ToEven, p));
        Both("round", "round", 1, 2, (a, f, p) => Round(a, "round", MidpointRounding.AwayFromZero, p));
        Feel["round up"] = new("round up", 2, 2, (a, f, p) => Round(a, "round up", MidpointRounding.AwayFromZero, p, directed: true));
        Feel["round down"] = new("round down", 2, 2, (a, f, p) => Round(a, "round down", MidpointRounding.ToZero, p, directed: true));
        Feel["round half up"] = new("round half up", 2, 2, (a, f, p) => Round(a, "round half up", MidpointRounding.AwayFromZero, p));
        Feel["round half down"] = new("round half down", 2, 2, (a, f, p) => RoundHalfDown(a, p));
        Both("floor", "floor", 1, 2, (a, f, p) => Round(a, "floor", MidpointRounding.ToNegativeInfinity, p, directed: true));
        Both("ceiling", "ceiling", 1, 2, (a, f, p) => Round(a, "ceiling", MidpointRounding.ToPositiveInfinity, p, directed: true));
        Juel["ceil"] = Juel["ceiling"];
        Both("abs", "abs", 1, 1, (a, f, p) => a[0] is IsoDuration d ? d with { Negative = false } : Math.Abs(Num(a, 0, "abs", p)));
        Both("modulo", "modulo", 2, 2, (a, f, p) => Operators.Modulo(Num(a, 0, "modulo", p), Num(a, 1, "modulo", p), false, p));
        Both("sqrt", "sqrt", 1, 1, (a, f, p) => Sqrt(Num(a, 0, "sqrt", p), p));
        Both("odd", "odd", 1, 1, (a, f, p) => Num(a, 0, "odd", p) is var n && n == decimal.Truncate(n) && n % 2 != 0);
        Both("even", "even", 1, 1, (a, f, p) => Num(a, 0, "even", p) is var n && n == decimal.Truncate(n) && n % 2 == 0);

        // dates
        Both("day of week", "dayOfWeek", 1, 1, (a, f, p) => DayNames[IsoWeekday(DatePart(a, 0, "day of week", p)) - 1]);
        Both("day of year", "dayOfYear", 1, 1, (a, f, p) => (decimal)DatePart(a, 0, "day of year", p).DayOfYear);
        Both("week of year", "weekOfYear", 1, 1, (a, f, p) => (decimal)ISOWeek.GetWeekOfYear(DatePart(a, 0, "week of year", p).ToDateTime(TimeOnly.MinValue)));
        Both("month of year", "monthOfYear", 1, 1, (a, f, p) => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(DatePart(a, 0, "month of year", p).Month));
        Both("add working days", "addWorkingDays", 2, 2, (a, f, p) => CalendarShift(a, f, p, "add working days", (c, d, n) => c.AddWorkingDays(d, n)));
        Both("add calendar days", "addCalendarDays", 2, 2, (a, f, p) => CalendarShift(a, f, p, "add calendar days", (c, d, n) => c.AddCalendarDays(d, n)));
        Both("is working day", "isWorkingDay", 1, 1, (a, f, p) => WithCalendar(f, p, "is working day", c => c.IsWorkingDay(DatePart(a, 0, "is working day", p))));

        // contexts
        Feel["get value"] = new("get value", 2, 2, (a, f, p) => Map(a, 0, "get value", p).TryGetValue(Str(a, 1, "get value", p), out var v) ? v : null);
        Feel["get entries"] = new("get entries", 1, 1, (a, f, p) => Entries(Map(a, 0, "get entries", p)));
        Feel["context put"] = new("context put", 3, 3, (a, f, p) => Put(Map(a, 0, "context put", p), Str(a, 1, "context put", p), a[2]), nullPropagates: false);

        var multi = new List<string[]>();
        foreach (var name in Feel.Keys)
        {
            if (name.Contains(' '))
            {
                multi.Add(name.Split(' '));
            }
        }

        multi.Sort((x, y) => y.Length.CompareTo(x.Length));
        FeelMultiWord = [.. multi];
    }

    private static void Both(string feel, string juel, int min, int max, BuiltinBody body, bool nullPropagates = true)
    {
        var f = new Builtin(feel, min, max, body, nullPropagates);
        Feel[feel] = f;
        Juel[juel] = feel == juel ? f : new Builtin(juel, min, max, body, nullPropagates);
    }

    // ---------- argument helpers ----------

    private static ExpressionException ArgType(string fn, int index, string expectedZh, string expectedEn, object? actual, int pos) =>
        ExpressionException.At(ExpressionErrorCode.TypeMismatch, pos,
            $"函数 '{fn}' 的第 {index + 1} 个参数必须是{expectedZh}，得到{VariableValues.TypeNameZh(actual)} {Operators.Show(actual)}",
            $"argument {index + 1} of '{fn}' must be a {expectedEn}, got the {VariableValues.TypeName(actual)} {Operators.Show(actual)}");

    private static ExpressionException Invalid(int pos, string zh, string en) =>
        ExpressionException.At(ExpressionErrorCode.InvalidArgument, pos, zh, en);

    private static string Str(object?[] a, int i, string fn, int pos) =>
        a[i] as string ?? throw ArgType(fn, i, "字符串", "string", a[i], pos);

    private static decimal Num(object?[] a, int i, string fn, int pos) =>
        a[i] is decimal d ? d : throw ArgType(fn, i, "数字", "number", a[i], pos);

    private static int Int(object?[] a, int i, string fn, int pos)
    {
        var d = Num(a, i, fn, pos);
        if (d != decimal.Truncate(d) || d > int.MaxValue || d < int.MinValue)
        {
            throw ArgType(fn, i, "整数", "whole number", a[i], pos);
        }

        return (int)d;
    }

    private static IReadOnlyList<object?> List(object?[] a, int i, string fn, int pos) =>
        a[i] as IReadOnlyList<object?> ?? throw ArgType(fn, i, "列表", "list", a[i], pos);

    private static IReadOnlyDictionary<string, object?> Map(object?[] a, int i, string fn, int pos) =>
        a[i] as IReadOnlyDictionary<string, object?> ?? throw ArgType(fn, i, "对象", "context", a[i], pos);

    private static DateOnly DatePart(object?[] a, int i, string fn, int pos) => a[i] switch
    {
        DateOnly d => d,
        DateTimeOffset dt => DateOnly.FromDateTime(dt.DateTime),
        _ => throw ArgType(fn, i, "日期", "date", a[i], pos),
    };

    /// <summary>The items of a list argument, or the arguments themselves (FEEL allows min(1, 2, 3) and min([1, 2, 3])).</summary>
    private static IReadOnlyList<object?> Items(object?[] a, string fn, int pos) =>
        a.Length == 1 ? a[0] as IReadOnlyList<object?> ?? [a[0]] : a;

    // ---------- conversion ----------

    /// <summary>FEEL number(from[, grouping separator, decimal separator]); the separators may be null.</summary>
    private static object? NumberOf(object?[] a, int pos)
    {
        if (a[0] is null)
        {
            return null;
        }

        if (a[0] is decimal d)
        {
            return d;
        }

        var text = Str(a, 0, "number", pos);
        if (a.Length == 1)
        {
            return ParseNumber(text, pos);
        }

        var grouping = a[1] is null ? null : Str(a, 1, "number", pos);
        var separator = a.Length > 2 && a[2] is not null ? Str(a, 2, "number", pos) : null;
        if (grouping is not (null or " " or "," or ".") || separator is not (null or "," or ".") || (grouping is not null && grouping == separator))
        {
            throw Invalid(pos, "number 的分隔符无效", "invalid separators for number");
        }

        if (grouping is not null)
        {
            text = text.Replace(grouping, "", StringComparison.Ordinal);
        }

        if (separator == ",")
        {
            text = text.Replace(',', '.');
        }

        return ParseNumber(text, pos);
    }

    private static decimal ParseNumber(string text, int pos) =>
        decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw Invalid(pos, $"'{text}' 不是数字", $"'{text}' is not a number");

    private static IsoDuration ParseDuration(string text, int pos) =>
        VariableValues.TryParseDuration(text, out var d)
            ? d
            : throw Invalid(pos, $"'{text}' 不是 ISO 8601 时长（如 P5D、PT2H、P1M）", $"'{text}' is not an ISO 8601 duration (e.g. P5D, PT2H, P1M)");

    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static bool TryParseDateTime(string text, EvaluationContext context, out DateTimeOffset value)
    {
        var s = text.Trim();
        value = default;
        if (s.Length < 19 || s[10] is not ('T' or 't' or ' '))
        {
            return false;
        }

        // With an offset (or Z) the text is exact; without one it is local time in the context's zone.
        var hasOffset = s.EndsWith('Z') || s.EndsWith('z') || s.LastIndexOfAny(['+', '-']) > 10;
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        }

        if (!DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        value = context.AtLocal(local);
        return true;
    }

    private static object ToDate(object?[] a, Frame f, int pos)
    {
        if (a.Length == 3)
        {
            try
            {
                return new DateOnly(Int(a, 0, "date", pos), Int(a, 1, "date", pos), Int(a, 2, "date", pos));
            }
            catch (ArgumentOutOfRangeException)
            {
                throw Invalid(pos, "日期不存在", "the date does not exist");
            }
        }

        if (a.Length != 1)
        {
            throw ExpressionException.At(ExpressionErrorCode.WrongArgumentCount, pos, "date 需要 1 个或 3 个参数", "date takes 1 or 3 arguments");
        }

        return a[0] switch
        {
            DateOnly d => d,
            DateTimeOffset dt => DateOnly.FromDateTime(dt.DateTime),
            string s when TryParseDate(s, out var d) => d,
            string s when TryParseDateTime(s, f.Context, out var dt) => DateOnly.FromDateTime(dt.DateTime),
            string s => throw Invalid(pos, $"'{s}' 不是日期（格式 yyyy-MM-dd）", $"'{s}' is not a date (format yyyy-MM-dd)"),
            _ => throw ArgType("date", 0, "字符串或日期", "string or date", a[0], pos),
        };
    }

    private static object ToDateTime(object? value, Frame f, int pos) => value switch
    {
        DateTimeOffset dt => dt,
        DateOnly d => f.Context.StartOfDay(d),
        string s when TryParseDateTime(s, f.Context, out var dt) => dt,
        string s when TryParseDate(s, out var d) => f.Context.StartOfDay(d),
        string s => throw Invalid(pos, $"'{s}' 不是日期时间（如 2026-01-01T09:30:00+08:00）", $"'{s}' is not a date and time (e.g. 2026-01-01T09:30:00+08:00)"),
        _ => throw ArgType("date and time", 0, "字符串或日期", "string or date", value, pos),
    };

    private static object YearsAndMonths(object?[] a, Frame f, int pos)
    {
        var from = DatePart(a, 0, "years and months duration", pos);
        var to = DatePart(a, 1, "years and months duration", pos);
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        if (months > 0 && to.Day < from.Day)
        {
            months--;
        }
        else if (months < 0 && to.Day > from.Day)
        {
            months++;
        }

        return Operators.Duration(months, 0, pos);
    }

    // ---------- strings ----------

    private static object FeelSubstring(object?[] a, Frame f, int pos)
    {
        var s = Str(a, 0, "substring", pos);
        var start = Int(a, 1, "substring", pos);
        var begin = start > 0 ? start - 1 : s.Length + start;
        if (begin < 0 || begin > s.Length || start == 0)
        {
            throw Invalid(pos, $"substring 的起始位置 {start} 超出字符串范围", $"substring start position {start} is outside the string");
        }

        var length = a.Length > 2 ? Int(a, 2, "substring", pos) : s.Length - begin;
        if (length < 0)
        {
            throw Invalid(pos, "substring 的长度不能为负", "substring length cannot be negative");
        }

        return s.Substring(begin, Math.Min(length, s.Length - begin));
    }

    private static object JavaSubstring(string s, object?[] a, int first, int pos)
    {
        var begin = Int(a, first, "substring", pos);
        var end = a.Length > first + 1 ? Int(a, first + 1, "substring", pos) : s.Length;
        if (begin < 0 || end > s.Length || begin > end)
        {
            throw Invalid(pos, $"substring({begin}, {end}) 超出长度为 {s.Length} 的字符串", $"substring({begin}, {end}) is outside a string of length {s.Length}");
        }

        return s[begin..end];
    }

    private static string SubstringBefore(string s, string match)
    {
        var i = s.IndexOf(match, StringComparison.Ordinal);
        return i < 0 ? "" : s[..i];
    }

    private static string SubstringAfter(string s, string match)
    {
        var i = s.IndexOf(match, StringComparison.Ordinal);
        return i < 0 ? "" : s[(i + match.Length)..];
    }

    private static object? Contains(object? haystack, object? needle, string fn, int pos) => haystack switch
    {
        null => null,
        string s when needle is string t => s.Contains(t, StringComparison.Ordinal),
        string => needle is null ? null : throw ArgType(fn, 1, "字符串", "string", needle, pos),
        IReadOnlyList<object?> l => ListContains(l, needle, null, pos),
        _ => throw ArgType(fn, 0, "字符串或列表", "string or list", haystack, pos),
    };

    private static Regex GetRegex(string pattern, string? flags, bool anchored, Frame f, int pos)
    {
        var options = RegexOptions.CultureInvariant;
        foreach (var c in flags ?? "")
        {
            options |= c switch
            {
                'i' => RegexOptions.IgnoreCase,
                's' => RegexOptions.Singleline,
                'm' => RegexOptions.Multiline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                _ => throw Invalid(pos, $"不支持的正则标志 '{c}'", $"unsupported regular expression flag '{c}'"),
            };
        }

        var text = anchored ? @"\A(?:" + pattern + @")\z" : pattern;
        var timeout = f.Engine.Options.RegexTimeout;
        if (RegexCache.TryGetValue((text, options, timeout), out var cached))
        {
            return cached;
        }

        try
        {
            var regex = new Regex(text, options, timeout);
            if (RegexCache.Count < 1000)
            {
                RegexCache[(text, options, timeout)] = regex;
            }

            return regex;
        }
        catch (ArgumentException ex)
        {
            throw Invalid(pos, $"正则表达式无效：{ex.Message}", $"invalid regular expression: {ex.Message}");
        }
    }

    private static object Match(Regex regex, string input, Frame f, int pos)
    {
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            throw RegexTimeout(f, pos);
        }
    }

    private static ExpressionException RegexTimeout(Frame f, int pos) =>
        ExpressionException.At(ExpressionErrorCode.Timeout, pos,
            "正则表达式匹配超时", $"the regular expression took longer than {f.Engine.Options.RegexTimeout.TotalMilliseconds} ms");

    /// <summary>
    /// A regular-expression replace whose result is checked against the memory budget before it is built: with a
    /// plain replacement, the input plus one replacement per match bounds it; with group references ($1), each
    /// substitute is counted as it is made.
    /// </summary>
    private static string RegexReplace(Regex regex, string input, string replacement, Frame f, int pos)
    {
        try
        {
            if (!replacement.Contains('$', StringComparison.Ordinal))
            {
                f.Reserve(input.Length + ((long)regex.Count(input) * replacement.Length), pos);
                return regex.Replace(input, replacement);
            }

            long length = input.Length;
            return regex.Replace(input, match =>
            {
                var substitute = match.Result(replacement);
                length += substitute.Length - match.Length;
                f.Reserve(length, pos);
                return substitute;
            });
        }
        catch (RegexMatchTimeoutException)
        {
            throw RegexTimeout(f, pos);
        }
    }

    /// <summary>Java's String.replace: every occurrence, compared ordinally; the result's length is checked against the budget first.</summary>
    private static string OrdinalReplace(string s, string oldValue, string newValue, Frame f, int pos)
    {
        if (oldValue.Length > 0 && newValue.Length > oldValue.Length)
        {
            long occurrences = 0;
            for (var at = s.IndexOf(oldValue, StringComparison.Ordinal); at >= 0; at = s.IndexOf(oldValue, at + oldValue.Length, StringComparison.Ordinal))
            {
                occurrences++;
            }

            f.Reserve(s.Length + (occurrences * (newValue.Length - oldValue.Length)), pos);
        }

        return s.Replace(oldValue, newValue, StringComparison.Ordinal);
    }

    // XPath replacement strings use $1 like .NET, but a literal $ is written \$ there.
    private static string ConvertReplacement(string replacement) => replacement.Replace("\\$", "$$", StringComparison.Ordinal);

    private static object Split(string s, string delimiter, Frame f, int pos)
    {
        try
        {
            var parts = GetRegex(delimiter, null, false, f, pos).Split(s);
            var result = new object?[parts.Length];
            Array.Copy(parts, result, parts.Length);
            return result;
        }
        catch (RegexMatchTimeoutException)
        {
            throw RegexTimeout(f, pos);
        }
    }

    private static object? Join(object?[] a, string fn, Frame f, int pos)
    {
        if (a[0] is null)
        {
            return null;
        }

        var list = List(a, 0, fn, pos);
        var delimiter = a.Length > 1 && a[1] is not null ? Str(a, 1, fn, pos) : "";
        long length = 0;
        for (var i = 0; i < list.Count; i++)
        {
            length += list[i] is string part ? part.Length + delimiter.Length : 0;
        }

        f.Reserve(length, pos);
        var sb = new StringBuilder();
        var first = true;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                continue;
            }

            if (list[i] is not string s)
            {
                throw Invalid(pos, $"{fn} 的列表只能包含字符串", $"the list given to {fn} may hold strings only");
            }

            if (!first)
            {
                sb.Append(delimiter);
            }

            sb.Append(s);
            first = false;
        }

        return sb.ToString();
    }

    private static object? Size(object? value, string fn, int pos) => value switch
    {
        null => 0m,
        string s => (decimal)s.Length,
        IReadOnlyList<object?> l => (decimal)l.Count,
        IReadOnlyDictionary<string, object?> m => (decimal)m.Count,
        _ => throw ArgType(fn, 0, "字符串、列表或对象", "string, list or context", value, pos),
    };

    // ---------- lists ----------

    private static bool ListContains(IReadOnlyList<object?> list, object? value, Frame? f, int pos)
    {
        for (var i = 0; i < list.Count; i++)
        {
            f?.Step(pos);
            if (Operators.ValueEquals(list[i], value, false))
            {
                return true;
            }
        }

        return false;
    }

    private static object? MinMax(object?[] a, int sign, string fn, Frame f, int pos)
    {
        var items = Items(a, fn, pos);
        object? best = null;
        for (var i = 0; i < items.Count; i++)
        {
            f.Step(pos);
            var item = items[i];
            if (item is null)
            {
                return null;
            }

            if (best is null || Operators.Compare(item, best, fn, pos, f) * sign > 0)
            {
                best = item;
            }
        }

        return best;
    }

    private static object? Sum(object?[] a, string fn, Frame f, int pos)
    {
        var items = Items(a, fn, pos);
        if (items.Count == 0)
        {
            return 0m;
        }

        object? total = null;
        for (var i = 0; i < items.Count; i++)
        {
            f.Step(pos);
            var item = items[i];
            if (item is not (decimal or IsoDuration))
            {
                throw Invalid(pos, $"{fn} 只能累加数字或时长，得到 {Operators.Show(item)}", $"{fn} adds numbers or durations only, got {Operators.Show(item)}");
            }

            total = total is null ? item : Operators.Add(total, item, false, pos, f);
        }

        return total;
    }

    private static object? Mean(object?[] a, Frame f, int pos)
    {
        var items = Items(a, "mean", pos);
        if (items.Count == 0)
        {
            return null;
        }

        return Operators.Divide(Sum(a, "mean", f, pos), (decimal)items.Count, false, pos);
    }

    private static object? Product(object?[] a, Frame f, int pos)
    {
        var items = Items(a, "product", pos);
        if (items.Count == 0)
        {
            return null;
        }

        var total = 1m;
        for (var i = 0; i < items.Count; i++)
        {
            f.Step(pos);
            total *= items[i] as decimal? ?? throw Invalid(pos, $"product 只能相乘数字，得到 {Operators.Show(items[i])}", $"product multiplies numbers only, got {Operators.Show(items[i])}");
        }

        return total;
    }

    private static object? AllAny(object?[] a, bool all, string fn, Frame f, int pos)
    {
        if (a.Length == 1 && a[0] is null)
        {
            return null;
        }

        var items = Items(a, fn, pos);
        var sawNull = false;
        for (var i = 0; i < items.Count; i++)
        {
            f.Step(pos);
            switch (items[i])
            {
                case bool b when b != all:
                    return VariableValues.Box(!all);
                case bool:
                    break;
                default:
                    // FEEL: a non-boolean item makes the answer unknown unless another item decides it.
                    sawNull = true;
                    break;
            }
        }

        return sawNull ? null : VariableValues.Box(all);
    }

    private static object Sublist(object?[] a, Frame f, int pos)
    {
        var list = List(a, 0, "sublist", pos);
        var start = Int(a, 1, "sublist", pos);
        var begin = start > 0 ? start - 1 : list.Count + start;
        if (start == 0 || begin < 0 || begin > list.Count)
        {
            throw Invalid(pos, $"sublist 的起始位置 {start} 超出列表范围", $"sublist start position {start} is outside the list");
        }

        var length = a.Length > 2 ? Int(a, 2, "sublist", pos) : list.Count - begin;
        if (length < 0 || begin + length > list.Count)
        {
            throw Invalid(pos, "sublist 的长度超出列表范围", "sublist length goes past the end of the list");
        }

        var result = new object?[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = list[begin + i];
        }

        return result;
    }

    private static object? Append(object?[] a, Frame f, int pos)
    {
        if (a[0] is null)
        {
            return null;
        }

        var list = List(a, 0, "append", pos);
        var result = new List<object?>(list.Count + a.Length - 1);
        result.AddRange(list);
        for (var i = 1; i < a.Length; i++)
        {
            result.Add(a[i]);
        }

        f.Step(pos);
        return result;
    }

    private static object Concatenate(object?[] a, string fn, bool distinct, Frame f, int pos)
    {
        var result = new List<object?>();
        for (var i = 0; i < a.Length; i++)
        {
            var list = List(a, i, fn, pos);
            for (var j = 0; j < list.Count; j++)
            {
                f.Step(pos);
                if (!distinct || !ListContains(result, list[j], null, pos))
                {
                    result.Add(list[j]);
                }
            }
        }

        return result;
    }

    private static object Reverse(IReadOnlyList<object?> list)
    {
        var result = new object?[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            result[i] = list[list.Count - 1 - i];
        }

        return result;
    }

    private static object? IndexesOf(IReadOnlyList<object?> list, object? match, Frame f, int pos)
    {
        var result = new List<object?>();
        for (var i = 0; i < list.Count; i++)
        {
            f.Step(pos);
            if (Operators.ValueEquals(list[i], match, false))
            {
                result.Add((decimal)(i + 1));
            }
        }

        return result;
    }

    private static object IndexOf(IReadOnlyList<object?> list, object? match, Frame f, int pos)
    {
        for (var i = 0; i < list.Count; i++)
        {
            f.Step(pos);
            if (Operators.ValueEquals(list[i], match, false))
            {
                return (decimal)i;
            }
        }

        return -1m;
    }

    private static object Distinct(IReadOnlyList<object?> list, Frame f, int pos)
    {
        var result = new List<object?>();
        for (var i = 0; i < list.Count; i++)
        {
            f.Step(pos);
            if (!ListContains(result, list[i], null, pos))
            {
                result.Add(list[i]);
            }
        }

        return result;
    }

    private static object Flatten(IReadOnlyList<object?> list, Frame f, int pos)
    {
        var result = new List<object?>();
        FlattenInto(list, result, f, pos, 0);
        return result;
    }

    private static void FlattenInto(IReadOnlyList<object?> list, List<object?> result, Frame f, int pos, int depth)
    {
        for (var i = 0; i < list.Count; i++)
        {
            f.Step(pos);
            if (list[i] is IReadOnlyList<object?> inner && depth < VariableValues.MaxDepth)
            {
                FlattenInto(inner, result, f, pos, depth + 1);
            }
            else
            {
                result.Add(list[i]);
            }
        }
    }

    private static object Remove(object?[] a, int pos)
    {
        var list = List(a, 0, "remove", pos);
        var position = Int(a, 1, "remove", pos);
        var index = position > 0 ? position - 1 : list.Count + position;
        if (position == 0 || index < 0 || index >= list.Count)
        {
            throw Invalid(pos, $"remove 的位置 {position} 超出列表范围", $"remove position {position} is outside the list");
        }

        var result = new List<object?>(list);
        result.RemoveAt(index);
        return result;
    }

    private static object? InsertBefore(object?[] a, int pos)
    {
        if (a[0] is null || a[1] is null)
        {
            return null;
        }

        var list = List(a, 0, "insert before", pos);
        var position = Int(a, 1, "insert before", pos);
        var index = position > 0 ? position - 1 : list.Count + position;
        if (position == 0 || index < 0 || index > list.Count)
        {
            throw Invalid(pos, $"insert before 的位置 {position} 超出列表范围", $"insert before position {position} is outside the list");
        }

        var result = new List<object?>(list);
        result.Insert(index, a[2]);
        return result;
    }

    // ---------- numbers ----------

    private static object Round(object?[] a, string fn, MidpointRounding mode, int pos, bool directed = false)
    {
        var n = Num(a, 0, fn, pos);
        var scale = a.Length > 1 ? Int(a, 1, fn, pos) : 0;
        if (scale is < -28 or > 28)
        {
            throw Invalid(pos, $"{fn} 的小数位数必须在 -28 到 28 之间", $"the scale of {fn} must be between -28 and 28");
        }

        if (scale < 0)
        {
            var factor = Pow10(-scale);
            return RoundTo(n / factor, 0, mode, directed) * factor;
        }

        return RoundTo(n, scale, mode, directed);
    }

    private static decimal RoundTo(decimal n, int scale, MidpointRounding mode, bool directed)
    {
        if (!directed)
        {
            return decimal.Round(n, scale, mode);
        }

        // Directed modes (floor, ceiling, up, down) move every fraction, not only midpoints.
        var factor = Pow10(scale);
        var shifted = n * factor;
        var whole = mode switch
        {
            MidpointRounding.ToNegativeInfinity => decimal.Floor(shifted),
            MidpointRounding.ToPositiveInfinity => decimal.Ceiling(shifted),
            MidpointRounding.ToZero => decimal.Truncate(shifted),
            _ => shifted < 0 ? decimal.Floor(shifted) : decimal.Ceiling(shifted),
        };
        return decimal.Round(whole / factor, scale);
    }

    private static object RoundHalfDown(object?[] a, int pos)
    {
        var n = Num(a, 0, "round half down", pos);
        var scale = Int(a, 1, "round half down", pos);
        var factor = Pow10(Math.Clamp(scale, 0, 28));
        var shifted = n * factor;
        var whole = decimal.Truncate(shifted);
        var fraction = Math.Abs(shifted - whole);
        if (fraction > 0.5m)
        {
            whole += Math.Sign(shifted);
        }

        return decimal.Round(whole / factor, Math.Clamp(scale, 0, 28));
    }

    private static decimal Pow10(int n)
    {
        var r = 1m;
        for (var i = 0; i < n; i++)
        {
            r *= 10;
        }

        return r;
    }

    private static object Sqrt(decimal n, int pos)
    {
        if (n < 0)
        {
            throw Invalid(pos, "不能对负数开平方", "cannot take the square root of a negative number");
        }

        if (n == 0)
        {
            return 0m;
        }

        // Newton's method in decimal, seeded from double.
        var x = (decimal)Math.Sqrt((double)n);
        for (var i = 0; i < 10; i++)
        {
            var next = (x + n / x) / 2;
            if (next == x)
            {
                break;
            }

            x = next;
        }

        return x;
    }

    // ---------- dates ----------

    private static int IsoWeekday(DateOnly d) => d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek;

    private static T WithCalendar<T>(Frame f, int pos, string fn, Func<IBusinessCalendar, T> action)
    {
        var calendar = f.Context.Calendar ?? throw ExpressionException.At(ExpressionErrorCode.NoCalendar, pos,
            $"'{fn}' 需要工作日历，但求值上下文没有提供", $"'{fn}' needs the working-day calendar, but the evaluation context has none");
        try
        {
            return action(calendar);
        }
        catch (CalendarDataMissingException ex)
        {
            throw new ExpressionException(ExpressionErrorCode.CalendarDataMissing,
                $"第 {pos + 1} 个字符处：工作日历缺少 {ex.Year} 年的节假日数据",
                $"At character {pos + 1}: the working-day calendar has no holiday data for {ex.Year}", pos, null, ex);
        }
    }

    private static object CalendarShift(object?[] a, Frame f, int pos, string fn, Func<IBusinessCalendar, DateTimeOffset, int, DateTimeOffset> shift)
    {
        var days = Int(a, 1, fn, pos);
        return a[0] switch
        {
            DateOnly d => DateOnly.FromDateTime(WithCalendar(f, pos, fn, c => shift(c, f.Context.StartOfDay(d), days)).DateTime),
            DateTimeOffset dt => WithCalendar(f, pos, fn, c => shift(c, dt, days)),
            _ => throw ArgType(fn, 0, "日期或日期时间", "date or date and time", a[0], pos),
        };
    }

    // ---------- contexts ----------

    private static object Entries(IReadOnlyDictionary<string, object?> map)
    {
        var result = new List<object?>(map.Count);
        foreach (var entry in map)
        {
            result.Add(new Dictionary<string, object?>(2, StringComparer.Ordinal) { ["key"] = entry.Key, ["value"] = entry.Value });
        }

        return result;
    }

    private static object Put(IReadOnlyDictionary<string, object?> map, string key, object? value)
    {
        var result = new Dictionary<string, object?>(map, StringComparer.Ordinal) { [key] = value };
        return result;
    }

    // ---------- properties ----------

    /// <summary>Properties of dates, date-times and durations (FEEL §10.3.2.7), e.g. <c>dueDate.year</c>, <c>d.days</c>.</summary>
    public static bool TryGetProperty(object? value, string name, out object? result)
    {
        result = null;
        switch (value)
        {
            case DateOnly d:
                result = name switch
                {
                    "year" => (decimal)d.Year,
                    "month" => (decimal)d.Month,
                    "day" => (decimal)d.Day,
                    "weekday" => (decimal)IsoWeekday(d),
                    _ => null,
                };
                break;
            case DateTimeOffset dt:
                result = name switch
                {
                    "year" => (decimal)dt.Year,
                    "month" => (decimal)dt.Month,
                    "day" => (decimal)dt.Day,
                    "weekday" => (decimal)IsoWeekday(DateOnly.FromDateTime(dt.DateTime)),
                    "hour" => (decimal)dt.Hour,
                    "minute" => (decimal)dt.Minute,
                    "second" => dt.Second + (dt.Ticks % TimeSpan.TicksPerSecond) / (decimal)TimeSpan.TicksPerSecond,
                    "time offset" or "timeOffset" => IsoDuration.FromTimeSpan(dt.Offset),
                    "date" => DateOnly.FromDateTime(dt.DateTime),
                    _ => null,
                };
                break;
            case IsoDuration duration:
                var months = VariableValues.SignedMonths(duration);
                var ticks = VariableValues.SignedTicks(duration);
                result = name switch
                {
                    "years" => (decimal)(months / 12),
                    "months" => (decimal)(months % 12),
                    "days" => (decimal)(ticks / TimeSpan.TicksPerDay),
                    "hours" => (decimal)(ticks % TimeSpan.TicksPerDay / TimeSpan.TicksPerHour),
                    "minutes" => (decimal)(ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute),
                    "seconds" => ticks % TimeSpan.TicksPerMinute / (decimal)TimeSpan.TicksPerSecond,
                    _ => null,
                };
                break;
        }

        return result is not null;
    }

    // ---------- JUEL methods ----------

    /// <summary>The Java-style methods JUEL models call on values. Only these exist; nothing is looked up by reflection.</summary>
    public static readonly HashSet<string> MethodNames = new(StringComparer.Ordinal)
    {
        "toString", "equals", "length", "isEmpty", "contains", "startsWith", "endsWith", "toUpperCase", "toLowerCase",
        "trim", "substring", "indexOf", "lastIndexOf", "equalsIgnoreCase", "matches", "replace", "replaceAll", "split",
        "concat", "size", "get", "containsKey", "keySet", "values", "intValue", "longValue", "doubleValue", "compareTo",
        "isBefore", "isAfter", "plusYears", "plusMonths", "plusWeeks", "plusDays", "plusHours", "plusMinutes", "plusSeconds",
        "minusYears", "minusMonths", "minusWeeks", "minusDays", "minusHours", "minusMinutes", "minusSeconds", "toDate",
        "getYear", "getMonthValue", "getDayOfMonth",
    };

    public static object? InvokeMethod(object? receiver, string name, object?[] args, Frame f, int pos)
    {
        if (receiver is null)
        {
            throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, pos,
                $"不能对空值调用方法 '{name}'", $"cannot call the method '{name}' on null");
        }

        var result = name switch
        {
            "toString" when args.Length == 0 => VariableValues.Format(receiver),
            "equals" when args.Length == 1 => VariableValues.Box(Operators.ValueEquals(receiver, args[0], false)),
            "compareTo" when args.Length == 1 => (decimal)(Operators.Compare(receiver, args[0], "compareTo", pos, f) ?? 0),
            _ => receiver switch
            {
                string s => StringMethod(s, name, args, f, pos),
                IReadOnlyList<object?> l => ListMethod(l, name, args, f, pos),
                IReadOnlyDictionary<string, object?> m => MapMethod(m, name, args, pos),
                decimal d => name switch
                {
                    "intValue" or "longValue" when args.Length == 0 => decimal.Truncate(d),
                    "doubleValue" when args.Length == 0 => d,
                    _ => NoMethod,
                },
                DateTimeOffset dt => DateTimeMethod(dt, name, args, f, pos),
                DateOnly date => DateMethod(date, name, args, f, pos),
                _ => NoMethod,
            },
        };

        if (!ReferenceEquals(result, NoMethod))
        {
            f.AllocateResult(result, [receiver, .. args], pos);
        }

        if (ReferenceEquals(result, NoMethod))
        {
            throw ExpressionException.At(ExpressionErrorCode.UnknownFunction, pos,
                $"{VariableValues.TypeNameZh(receiver)}没有 {args.Length} 个参数的方法 '{name}'",
                $"a {VariableValues.TypeName(receiver)} has no method '{name}' taking {args.Length} argument(s)");
        }

        return result is bool b ? VariableValues.Box(b) : result;
    }

    private static readonly object NoMethod = new();

    private static object? StringMethod(string s, string name, object?[] a, Frame f, int pos) => (name, a.Length) switch
    {
        ("length", 0) => (decimal)s.Length,
        ("isEmpty", 0) => s.Length == 0,
        ("contains", 1) => s.Contains(Str(a, 0, name, pos), StringComparison.Ordinal),
        ("startsWith", 1) => s.StartsWith(Str(a, 0, name, pos), StringComparison.Ordinal),
        ("endsWith", 1) => s.EndsWith(Str(a, 0, name, pos), StringComparison.Ordinal),
        ("toUpperCase", 0) => s.ToUpperInvariant(),
        ("toLowerCase", 0) => s.ToLowerInvariant(),
        ("trim", 0) => s.Trim(),
        ("substring", 1 or 2) => JavaSubstring(s, a, 0, pos),
        ("indexOf", 1) => (decimal)s.IndexOf(Str(a, 0, name, pos), StringComparison.Ordinal),
        ("lastIndexOf", 1) => (decimal)s.LastIndexOf(Str(a, 0, name, pos), StringComparison.Ordinal),
        ("equalsIgnoreCase", 1) => a[0] is string t && string.Equals(s, t, StringComparison.OrdinalIgnoreCase),
        ("matches", 1) => Match(GetRegex(Str(a, 0, name, pos), null, true, f, pos), s, f, pos),
        ("replace", 2) => OrdinalReplace(s, Str(a, 0, name, pos), Str(a, 1, name, pos), f, pos),
        ("replaceAll", 2) => ReplaceAll(s, Str(a, 0, name, pos), Str(a, 1, name, pos), f, pos),
        ("split", 1) => Split(s, Str(a, 0, name, pos), f, pos),
        ("concat", 1) => Concat(s, Str(a, 0, name, pos), f, pos),
        _ => NoMethod,
    };

    private static string Concat(string s, string t, Frame f, int pos)
    {
        f.Reserve((long)s.Length + t.Length, pos);
        return string.Concat(s, t);
    }

    private static string ReplaceAll(string s, string pattern, string replacement, Frame f, int pos)
    {
        return RegexReplace(GetRegex(pattern, null, false, f, pos), s, replacement, f, pos);
    }

    private static object? ListMethod(IReadOnlyList<object?> l, string name, object?[] a, Frame f, int pos) => (name, a.Length) switch
    {
        ("size", 0) => (decimal)l.Count,
        ("isEmpty", 0) => l.Count == 0,
        ("contains", 1) => ListContains(l, a[0], f, pos),
        ("indexOf", 1) => IndexOf(l, a[0], f, pos),
        ("get", 1) => Int(a, 0, name, pos) is var i && i >= 0 && i < l.Count
            ? l[i]
            : throw Invalid(pos, $"下标 {Operators.Show(a[0])} 超出长度为 {l.Count} 的列表", $"index {Operators.Show(a[0])} is outside a list of size {l.Count}"),
        _ => NoMethod,
    };

    private static object? MapMethod(IReadOnlyDictionary<string, object?> m, string name, object?[] a, int pos) => (name, a.Length) switch
    {
        ("size", 0) => (decimal)m.Count,
        ("isEmpty", 0) => m.Count == 0,
        ("containsKey", 1) => m.ContainsKey(Str(a, 0, name, pos)),
        ("get", 1) => m.TryGetValue(Str(a, 0, name, pos), out var v) ? v : null,
        ("keySet", 0) => KeysOf(m),
        ("values", 0) => ValuesOf(m),
        _ => NoMethod,
    };

    private static object KeysOf(IReadOnlyDictionary<string, object?> m)
    {
        var result = new List<object?>(m.Count);
        foreach (var key in m.Keys)
        {
            result.Add(key);
        }

        return result;
    }

    private static object ValuesOf(IReadOnlyDictionary<string, object?> m)
    {
        var result = new List<object?>(m.Count);
        foreach (var value in m.Values)
        {
            result.Add(value);
        }

        return result;
    }

    private static object? DateTimeMethod(DateTimeOffset dt, string name, object?[] a, Frame f, int pos)
    {
        if (a.Length == 1 && name is "isBefore" or "isAfter")
        {
            var c = Operators.Compare(dt, a[0], name, pos, f) ?? throw ArgType(name, 0, "日期时间", "date and time", a[0], pos);
            return name == "isBefore" ? c < 0 : c > 0;
        }

        if (a.Length == 0)
        {
            return name switch
            {
                "toDate" => dt,
                "getYear" => (decimal)dt.Year,
                "getMonthValue" => (decimal)dt.Month,
                "getDayOfMonth" => (decimal)dt.Day,
                _ => NoMethod,
            };
        }

        if (a.Length != 1 || Shift(name) is not { } unit)
        {
            return NoMethod;
        }

        var n = Int(a, 0, name, pos) * (name.StartsWith("minus", StringComparison.Ordinal) ? -1 : 1);
        try
        {
            return unit switch
            {
                'Y' => dt.AddYears(n),
                'M' => dt.AddMonths(n),
                'W' => dt.AddDays(7.0 * n),
                'D' => dt.AddDays(n),
                'h' => dt.AddHours(n),
                'm' => dt.AddMinutes(n),
                _ => dt.AddSeconds(n),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Operators.Overflow(pos);
        }
    }

    private static object? DateMethod(DateOnly d, string name, object?[] a, Frame f, int pos)
    {
        if (a.Length == 1 && name is "isBefore" or "isAfter")
        {
            var c = Operators.Compare(d, a[0], name, pos, f) ?? throw ArgType(name, 0, "日期", "date", a[0], pos);
            return name == "isBefore" ? c < 0 : c > 0;
        }

        if (a.Length == 0)
        {
            return name switch
            {
                "getYear" => (decimal)d.Year,
                "getMonthValue" => (decimal)d.Month,
                "getDayOfMonth" => (decimal)d.Day,
                _ => NoMethod,
            };
        }

        if (a.Length != 1 || Shift(name) is not { } unit || unit is 'h' or 'm' or 's')
        {
            return NoMethod;
        }

        var n = Int(a, 0, name, pos) * (name.StartsWith("minus", StringComparison.Ordinal) ? -1 : 1);
        try
        {
            return unit switch
            {
                'Y' => d.AddYears(n),
                'M' => d.AddMonths(n),
                'W' => d.AddDays(7 * n),
                _ => d.AddDays(n),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Operators.Overflow(pos);
        }
    }

    private static char? Shift(string name) => name switch
    {
        "plusYears" or "minusYears" => 'Y',
        "plusMonths" or "minusMonths" => 'M',
        "plusWeeks" or "minusWeeks" => 'W',
        "plusDays" or "minusDays" => 'D',
        "plusHours" or "minusHours" => 'h',
        "plusMinutes" or "minusMinutes" => 'm',
        "plusSeconds" or "minusSeconds" => 's',
        _ => null,
    };
}
