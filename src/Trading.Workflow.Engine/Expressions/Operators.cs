using System.Globalization;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Expressions;

/// <summary>
/// Operator semantics shared by both syntaxes. Where they differ (null in arithmetic and ordering) a flag
/// chooses: JUEL follows the EL specification (null counts as 0, an ordering with null is false), FEEL
/// the DMN specification (null propagates). Mismatched types are errors in both.
/// </summary>
internal static class Operators
{
    public static object? Add(object? a, object? b, bool juel, int pos, Frame f)
    {
        if (a is decimal x && b is decimal y)
        {
            return (x + y);
        }

        if (a is null || b is null)
        {
            return NullArithmetic(a, b, juel, "+", pos);
        }

        switch (a)
        {
            case string s when b is string t:
                f.Allocate((long)s.Length + t.Length, pos);
                return string.Concat(s, t);
            case DateTimeOffset dt when b is IsoDuration d:
                return AddDuration(dt, d, pos);
            case IsoDuration d when b is DateTimeOffset dt:
                return AddDuration(dt, d, pos);
            case DateOnly date when b is IsoDuration d:
                return AddDuration(date, d, pos, f);
            case IsoDuration d when b is DateOnly date:
                return AddDuration(date, d, pos, f);
            case IsoDuration d when b is IsoDuration e:
                return Duration(VariableValues.SignedMonths(d) + VariableValues.SignedMonths(e), VariableValues.SignedTicks(d) + VariableValues.SignedTicks(e), pos);
        }

        throw Mismatch("+", a, b, pos);
    }

    public static object? Subtract(object? a, object? b, bool juel, int pos, Frame f)
    {
        if (a is decimal x && b is decimal y)
        {
            return (x - y);
        }

        if (a is null || b is null)
        {
            return NullArithmetic(a, b, juel, "-", pos);
        }

        switch (a)
        {
            case DateTimeOffset dt when b is IsoDuration d:
                return AddDuration(dt, d.Negate(), pos);
            case DateOnly date when b is IsoDuration d:
                return AddDuration(date, d.Negate(), pos, f);
            case DateTimeOffset dt when b is DateTimeOffset other:
                return Duration(0, (dt - other).Ticks, pos);
            case DateOnly date when b is DateOnly other:
                return Duration(0, (date.DayNumber - other.DayNumber) * TimeSpan.TicksPerDay, pos);
            case DateTimeOffset dt when b is DateOnly other:
                return Duration(0, (dt - f.Context.StartOfDay(other)).Ticks, pos);
            case DateOnly date when b is DateTimeOffset other:
                return Duration(0, (f.Context.StartOfDay(date) - other).Ticks, pos);
            case IsoDuration d when b is IsoDuration e:
                return Duration(VariableValues.SignedMonths(d) - VariableValues.SignedMonths(e), VariableValues.SignedTicks(d) - VariableValues.SignedTicks(e), pos);
        }

        throw Mismatch("-", a, b, pos);
    }

    public static object? Multiply(object? a, object? b, bool juel, int pos)
    {
        if (a is decimal x && b is decimal y)
        {
            return (x * y);
        }

        if (a is null || b is null)
        {
            return NullArithmetic(a, b, juel, "*", pos);
        }

        return (a, b) switch
        {
            (IsoDuration d, decimal n) => Scale(d, n, pos),
            (decimal n, IsoDuration d) => Scale(d, n, pos),
            _ => throw Mismatch("*", a, b, pos),
        };
    }

    public static object? Divide(object? a, object? b, bool juel, int pos)
    {
        if (a is decimal x && b is decimal y)
        {
            if (y == 0)
            {
                throw DivisionByZero(pos);
            }

            return (x / y);
        }

        if (a is null || b is null)
        {
            if (juel && b is null or 0m)
            {
                throw DivisionByZero(pos);
            }

            return NullArithmetic(a, b, juel, "/", pos);
        }

        switch (a, b)
        {
            case (IsoDuration d, decimal n):
                if (n == 0)
                {
                    throw DivisionByZero(pos);
                }

                return Scale(d, 1 / n, pos);
            case (IsoDuration d, IsoDuration e):
                var (dm, dt, em, et) = (VariableValues.SignedMonths(d), VariableValues.SignedTicks(d), VariableValues.SignedMonths(e), VariableValues.SignedTicks(e));
                if (dm == 0 && em == 0 && et != 0)
                {
                    return (decimal)dt / et;
                }

                if (dt == 0 && et == 0 && em != 0)
                {
                    return (decimal)dm / em;
                }

                if (em == 0 && et == 0)
                {
                    throw DivisionByZero(pos);
                }

                break;
        }

        throw Mismatch("/", a, b, pos);
    }

    public static object? Modulo(object? a, object? b, bool juel, int pos)
    {
        if (a is null || b is null)
        {
            if (juel && b is null or 0m)
            {
                throw DivisionByZero(pos);
            }

            return NullArithmetic(a, b, juel, "%", pos);
        }

        if (a is decimal x && b is decimal y)
        {
            if (y == 0)
            {
                throw DivisionByZero(pos);
            }

            // JUEL is Java's remainder (sign of the dividend); FEEL's modulo takes the sign of the divisor.
            var r = x % y;
            return juel || r == 0 || (r < 0) == (y < 0) ? r : r + y;
        }

        throw Mismatch("%", a, b, pos);
    }

    public static object? Power(object? a, object? b, int pos)
    {
        if (a is null || b is null)
        {
            return null;
        }

        if (a is not decimal x || b is not decimal y)
        {
            throw Mismatch("**", a, b, pos);
        }

        if (y == decimal.Truncate(y) && Math.Abs(y) <= 1000)
        {
            var n = (int)Math.Abs(y);
            var result = 1m;
            var factor = x;
            for (var e = n; e > 0; e >>= 1)
            {
                if ((e & 1) == 1)
                {
                    result *= factor;
                }

                if (e > 1)
                {
                    factor *= factor;
                }
            }

            return y < 0 ? 1 / result : result;
        }

        var d = Math.Pow((double)x, (double)y);
        if (double.IsNaN(d) || double.IsInfinity(d) || Math.Abs(d) > (double)decimal.MaxValue)
        {
            throw Overflow(pos);
        }

        return (decimal)d;
    }

    public static object? Negate(object? a, bool juel, int pos) => a switch
    {
        decimal x => -x,
        IsoDuration d => d.Negate(),
        null => juel ? 0m : null,
        _ => throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, pos,
            $"不能对{VariableValues.TypeNameZh(a)}取负", $"cannot negate a {VariableValues.TypeName(a)}"),
    };

    /// <summary>Ordering of two values; null when either is null. Mismatched or unordered types are errors.</summary>
    public static int? Compare(object? a, object? b, string op, int pos, Frame f)
    {
        if (a is decimal x && b is decimal y)
        {
            return x.CompareTo(y);
        }

        if (a is null || b is null)
        {
            return null;
        }

        switch (a)
        {
            case string s when b is string t:
                return Math.Sign(string.CompareOrdinal(s, t));
            case DateOnly d when b is DateOnly e:
                return d.CompareTo(e);
            case DateTimeOffset d when b is DateTimeOffset e:
                return d.UtcTicks.CompareTo(e.UtcTicks);
            case DateOnly d when b is DateTimeOffset e:
                return f.Context.StartOfDay(d).UtcTicks.CompareTo(e.UtcTicks);
            case DateTimeOffset d when b is DateOnly e:
                return d.UtcTicks.CompareTo(f.Context.StartOfDay(e).UtcTicks);
            case IsoDuration d when b is IsoDuration e:
                var (dm, dt, em, et) = (VariableValues.SignedMonths(d), VariableValues.SignedTicks(d), VariableValues.SignedMonths(e), VariableValues.SignedTicks(e));
                if ((dm == 0 && em == 0) || (dt == 0 && et == 0))
                {
                    return dm != em ? dm.CompareTo(em) : dt.CompareTo(et);
                }

                throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, pos,
                    $"含年月的时长与含天/时间的时长不能比较（{d} {op} {e}）",
                    $"a duration in years and months cannot be ordered against one in days and time ({d} {op} {e})");
        }

        throw Mismatch(op, a, b, pos);
    }

    public static bool ValueEquals(object? a, object? b, bool juel)
    {
        if (a is decimal x && b is decimal y)
        {
            return x == y;
        }

        if (juel)
        {
            // EL coerces a string to the type of the other side before comparing.
            switch (a, b)
            {
                case (decimal n, string s):
                    return TryNumber(s, out var m) && n == m;
                case (string s, decimal n):
                    return TryNumber(s, out var m2) && n == m2;
                case (bool p, string s):
                    return bool.TryParse(s.Trim(), out var q) && p == q;
                case (string s, bool p):
                    return bool.TryParse(s.Trim(), out var q2) && p == q2;
            }
        }

        return VariableValues.DeepEquals(a, b);
    }

    private static bool TryNumber(string s, out decimal value) =>
        decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>FEEL truth: true, false or null (unknown). Anything else is an error.</summary>
    public static bool? FeelTruth(object? value, string op, int pos) => value switch
    {
        bool b => b,
        null => null,
        _ => throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, pos,
            $"'{op}' 需要布尔值，得到{VariableValues.TypeNameZh(value)} {Show(value)}",
            $"'{op}' needs a boolean, got the {VariableValues.TypeName(value)} {Show(value)}"),
    };

    /// <summary>EL coercion to boolean: null is false, "true"/"false" strings count.</summary>
    public static bool JuelTruth(object? value, string op, int pos) => value switch
    {
        bool b => b,
        null => false,
        string s when bool.TryParse(s.Trim(), out var parsed) => parsed,
        _ => throw ExpressionException.At(ExpressionErrorCode.TypeMismatch, pos,
            $"'{op}' 需要布尔值，得到{VariableValues.TypeNameZh(value)} {Show(value)}",
            $"'{op}' needs a boolean, got the {VariableValues.TypeName(value)} {Show(value)}"),
    };

    /// <summary>EL's empty: null, "", an empty list or an empty object.</summary>
    public static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        IReadOnlyList<object?> l => l.Count == 0,
        IReadOnlyDictionary<string, object?> m => m.Count == 0,
        _ => false,
    };

    public static object AddDuration(DateTimeOffset start, IsoDuration d, int pos)
    {
        try
        {
            return d.AddTo(start);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Overflow(pos);
        }
    }

    public static object AddDuration(DateOnly start, IsoDuration d, int pos, Frame f)
    {
        try
        {
            if (d.Time == TimeSpan.Zero)
            {
                var sign = d.Negative ? -1 : 1;
                return start.AddYears(sign * d.Years).AddMonths(sign * d.Months).AddDays(sign * d.Days);
            }

            // A time part makes the result a date and time (from midnight in the context's zone).
            return d.AddTo(f.Context.StartOfDay(start));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Overflow(pos);
        }
    }

    public static IsoDuration Duration(long months, long ticks, int pos)
    {
        if (VariableValues.TryCreateDuration(months, ticks, out var result))
        {
            return result;
        }

        throw ExpressionException.At(ExpressionErrorCode.InvalidArgument, pos,
            "结果时长的年月部分与天/时间部分符号相反，无法表示",
            "the resulting duration has years/months and days/time of opposite signs, which ISO 8601 cannot express");
    }

    private static IsoDuration Scale(IsoDuration d, decimal n, int pos)
    {
        try
        {
            var months = decimal.Round(VariableValues.SignedMonths(d) * n, 0, MidpointRounding.ToEven);
            var ticks = decimal.Round(VariableValues.SignedTicks(d) * n, 0, MidpointRounding.ToEven);
            return Duration((long)months, (long)ticks, pos);
        }
        catch (OverflowException)
        {
            throw Overflow(pos);
        }
    }

    private static object? NullArithmetic(object? a, object? b, bool juel, string op, int pos)
    {
        if (!juel)
        {
            return null;
        }

        // EL: null counts as 0 in arithmetic.
        var x = a ?? 0m;
        var y = b ?? 0m;
        if (x is decimal dx && y is decimal dy)
        {
            return op switch
            {
                "+" => (dx + dy),
                "-" => (dx - dy),
                "*" => (dx * dy),
                "/" => (dx / dy),
                _ => (dx % dy),
            };
        }

        throw Mismatch(op, a, b, pos);
    }

    public static ExpressionException Mismatch(string op, object? a, object? b, int pos) =>
        ExpressionException.At(ExpressionErrorCode.TypeMismatch, pos,
            $"不能对{VariableValues.TypeNameZh(a)} {Show(a)} 和{VariableValues.TypeNameZh(b)} {Show(b)} 使用 '{op}'",
            $"cannot apply '{op}' to the {VariableValues.TypeName(a)} {Show(a)} and the {VariableValues.TypeName(b)} {Show(b)}");

    public static ExpressionException DivisionByZero(int pos) =>
        ExpressionException.At(ExpressionErrorCode.DivisionByZero, pos, "除数为零", "division by zero");

    public static ExpressionException Overflow(int pos) =>
        ExpressionException.At(ExpressionErrorCode.Overflow, pos, "结果超出范围", "the result is out of range");

    /// <summary>A short rendering of a value for messages.</summary>
    public static string Show(object? value)
    {
        var text = value is string s ? "\"" + s + "\"" : VariableValues.Format(value);
        return text.Length > 40 ? text[..37] + "..." : text;
    }
}
