using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Timers;

/// <summary>
/// A Quartz-style cron expression as Camunda 7 accepts in timeCycle: 6 or 7 fields,
/// <c>second minute hour day-of-month month day-of-week [year]</c>, with <c>* ? , - /</c>, <c>L</c>, <c>W</c>,
/// <c>LW</c>, <c>L-n</c> in day-of-month and <c>L</c>, <c>nL</c>, <c>n#k</c> in day-of-week (1 = Sunday … 7 = Saturday,
/// or SUN–SAT; months 1–12 or JAN–DEC). Exactly one of day-of-month and day-of-week must be <c>?</c>, as in Quartz.
/// Fire times are reckoned in China Standard Time.
/// </summary>
public sealed class CronExpression
{
    private const int MinYear = 1970;
    private const int MaxYear = 2199;

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly (string Zh, string En, int Min, int Max)[] Fields =
    [
        ("秒", "second", 0, 59),
        ("分", "minute", 0, 59),
        ("小时", "hour", 0, 23),
        ("日", "day-of-month", 1, 31),
        ("月", "month", 1, 12),
        ("星期", "day-of-week", 1, 7),
        ("年", "year", MinYear, MaxYear),
    ];

    private readonly bool[] _seconds;
    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _months;
    private readonly bool[]? _years;
    private readonly DaySpec _days;

    private CronExpression(string text, bool[] seconds, bool[] minutes, bool[] hours, DaySpec days, bool[] months, bool[]? years)
    {
        Text = text;
        _seconds = seconds;
        _minutes = minutes;
        _hours = hours;
        _days = days;
        _months = months;
        _years = years;
    }

    /// <summary>The expression with single spaces and upper-case names.</summary>
    public string Text { get; }

    public override string ToString() => Text;

    public static bool TryParse(string? text, [NotNullWhen(true)] out CronExpression? cron, [NotNullWhen(false)] out TimerParseError? error)
    {
        cron = null;
        var fields = (text ?? "").ToUpperInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (6 or 7))
        {
            error = Error(
                $"cron 表达式“{text}”应有 6 或 7 个字段（秒 分 时 日 月 星期 [年]），实际有 {fields.Length} 个",
                $"The cron expression '{text}' needs 6 or 7 fields (second minute hour day-of-month month day-of-week [year]); it has {fields.Length}");
            return false;
        }

        var domUnspecified = fields[3] == "?";
        var dowUnspecified = fields[5] == "?";
        if (domUnspecified == dowUnspecified)
        {
            error = Error(
                $"cron 表达式“{text}”中“日”和“星期”必须恰好有一个写成 ?（例如 0 0 9 * * ? 或 0 0 9 ? * MON-FRI）",
                $"In the cron expression '{text}' exactly one of day-of-month and day-of-week must be ? (e.g. 0 0 9 * * ? or 0 0 9 ? * MON-FRI)");
            return false;
        }

        var masks = new bool[7][];
        for (var i = 0; i < fields.Length; i++)
        {
            if (i == 3 || i == 5)
            {
                continue;
            }

            if (!TryParseList(fields[i], i, out var mask, out error))
            {
                return false;
            }

            masks[i] = mask;
        }

        DaySpec days;
        if (dowUnspecified)
        {
            if (!TryParseDayOfMonth(fields[3], out days, out error))
            {
                return false;
            }
        }
        else if (!TryParseDayOfWeek(fields[5], out days, out error))
        {
            return false;
        }

        cron = new CronExpression(string.Join(' ', fields), masks[0], masks[1], masks[2], days, masks[4], fields.Length == 7 ? masks[6] : null);
        error = null;
        return true;
    }

    /// <summary>The first fire time strictly after <paramref name="from"/>, in China Standard Time; null if the expression never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset from)
    {
        var local = ChinaStandardTime.ToChina(from).DateTime;
        var s = new DateTime(local.Ticks - local.Ticks % TimeSpan.TicksPerSecond).AddSeconds(1);
        for (var y = s.Year; y <= MaxYear; y++)
        {
            if (_years is not null && (y < MinYear || !_years[y]))
            {
                continue;
            }

            var yearBound = y == s.Year;
            for (var mo = yearBound ? s.Month : 1; mo <= 12; mo++)
            {
                if (!_months[mo])
                {
                    continue;
                }

                var monthBound = yearBound && mo == s.Month;
                var days = _days.DaysIn(y, mo);
                var daysInMonth = DateTime.DaysInMonth(y, mo);
                for (var d = monthBound ? s.Day : 1; d <= daysInMonth; d++)
                {
                    if ((days & (1u << d)) == 0)
                    {
                        continue;
                    }

                    var dayBound = monthBound && d == s.Day;
                    for (var h = dayBound ? s.Hour : 0; h < 24; h++)
                    {
                        if (!_hours[h])
                        {
                            continue;
                        }

                        var hourBound = dayBound && h == s.Hour;
                        for (var mi = hourBound ? s.Minute : 0; mi < 60; mi++)
                        {
                            if (!_minutes[mi])
                            {
                                continue;
                            }

                            var minuteBound = hourBound && mi == s.Minute;
                            for (var sec = minuteBound ? s.Second : 0; sec < 60; sec++)
                            {
                                if (_seconds[sec])
                                {
                                    return new DateTimeOffset(y, mo, d, h, mi, sec, ChinaStandardTime.Offset);
                                }
                            }
                        }
                    }
                }
            }
        }

        return null;
    }

    private static bool TryParseList(string field, int index, out bool[] mask, [NotNullWhen(false)] out TimerParseError? error)
    {
        var max = Fields[index].Max;
        mask = new bool[max + 1];
        foreach (var item in field.Split(','))
        {
            if (!TryParseItem(item, index, mask, out error))
            {
                return false;
            }
        }

        error = null;
        return true;
    }

    private static bool TryParseItem(string item, int index, bool[] mask, [NotNullWhen(false)] out TimerParseError? error)
    {
        var (_, _, min, max) = Fields[index];
        var step = 1;
        var rangeText = item;
        var slash = item.IndexOf('/');
        if (slash >= 0)
        {
            rangeText = item[..slash];
            if (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > max - min + 1)
            {
                error = FieldError(index, item, $"步长应为 1 到 {max - min + 1} 之间的整数", $"the step must be a whole number from 1 to {max - min + 1}");
                return false;
            }
        }

        int from, to;
        if (rangeText == "*")
        {
            (from, to) = (min, max);
        }
        else
        {
            var dash = rangeText.Length > 1 ? rangeText.IndexOf('-', 1) : -1;
            if (!TryValue(dash < 0 ? rangeText : rangeText[..dash], index, out from)
                || !TryValue(dash < 0 ? rangeText : rangeText[(dash + 1)..], index, out to))
            {
                error = FieldError(index, item, $"应为 {min} 到 {max} 之间的值、范围 a-b、* 或步长 a/n", $"expected a value from {min} to {max}, a range a-b, * or a step a/n");
                return false;
            }

            if (dash < 0 && slash >= 0)
            {
                to = max;
            }
        }

        // A range such as 22-2 or FRI-MON wraps past the field's maximum.
        var length = to >= from ? to - from + 1 : max - from + 1 + to - min + 1;
        for (var offset = 0; offset < length; offset += step)
        {
            var value = from + offset;
            mask[value > max ? value - max - 1 + min : value] = true;
        }

        error = null;
        return true;
    }

    private static bool TryValue(string text, int index, out int value)
    {
        var (_, _, min, max) = Fields[index];
        var names = index switch { 4 => MonthNames, 5 => DayNames, _ => null };
        if (names is not null && Array.IndexOf(names, text) is var named and >= 0)
        {
            value = named + 1;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static bool TryParseDayOfMonth(string field, out DaySpec spec, [NotNullWhen(false)] out TimerParseError? error)
    {
        error = null;
        if (field == "L")
        {
            spec = DaySpec.LastDay(0);
            return true;
        }

        if (field == "LW")
        {
            spec = DaySpec.LastWeekday();
            return true;
        }

        if (field.StartsWith("L-", StringComparison.Ordinal))
        {
            if (int.TryParse(field[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var back) && back <= 30)
            {
                spec = DaySpec.LastDay(back);
                return true;
            }

            spec = default;
            error = FieldError(3, field, "L-n 中的 n 应为 0 到 30", "n in L-n must be from 0 to 30");
            return false;
        }

        if (field.EndsWith('W'))
        {
            if (int.TryParse(field[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var day) && day is >= 1 and <= 31)
            {
                spec = DaySpec.NearestWeekday(day);
                return true;
            }

            spec = default;
            error = FieldError(3, field, "nW 中的 n 应为 1 到 31 的日期", "n in nW must be a day from 1 to 31");
            return false;
        }

        if (!TryParseList(field, 3, out var mask, out error))
        {
            spec = default;
            return false;
        }

        spec = DaySpec.MonthDays(mask);
        return true;
    }

    private static bool TryParseDayOfWeek(string field, out DaySpec spec, [NotNullWhen(false)] out TimerParseError? error)
    {
        error = null;
        if (field == "L")
        {
            spec = DaySpec.WeekDays(Mask(7));
            return true;
        }

        var hash = field.IndexOf('#');
        if (hash >= 0)
        {
            if (TryValue(field[..hash], 5, out var dow)
                && int.TryParse(field[(hash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var nth) && nth is >= 1 and <= 5)
            {
                spec = DaySpec.NthWeekday(dow, nth);
                return true;
            }

            spec = default;
            error = FieldError(5, field, "n#k 中 n 应为星期 1–7 或 SUN–SAT，k 应为 1 到 5", "in n#k, n must be a weekday 1–7 or SUN–SAT and k from 1 to 5");
            return false;
        }

        if (field.Length > 1 && field.EndsWith('L'))
        {
            if (TryValue(field[..^1], 5, out var dow))
            {
                spec = DaySpec.LastWeekdayOf(dow);
                return true;
            }

            spec = default;
            error = FieldError(5, field, "nL 中 n 应为星期 1–7 或 SUN–SAT", "n in nL must be a weekday 1–7 or SUN–SAT");
            return false;
        }

        if (!TryParseList(field, 5, out var mask, out error))
        {
            spec = default;
            return false;
        }

        spec = DaySpec.WeekDays(mask);
        return true;
    }

    private static bool[] Mask(int value)
    {
        var mask = new bool[8];
        mask[value] = true;
        return mask;
    }

    private static TimerParseError FieldError(int index, string item, string zh, string en)
    {
        var (fieldZh, fieldEn, _, _) = Fields[index];
        return Error(
            $"cron 表达式第 {index + 1} 个字段（{fieldZh}）中的“{item}”无效：{zh}",
            $"In the cron expression, field {index + 1} ({fieldEn}) has an invalid part '{item}': {en}");
    }

    private static TimerParseError Error(string zh, string en) => new(TimerParseErrorCode.InvalidCron, zh + "。", en + ".");

    private enum DayRule
    {
        MonthDays,
        WeekDays,
        LastDay,
        LastWeekday,
        NearestWeekday,
        NthWeekday,
        LastWeekdayOf,
    }

    /// <summary>Which days of a month match; bit d of the result is day d.</summary>
    private readonly record struct DaySpec(DayRule Rule, bool[]? Mask, int Value, int Nth)
    {
        public static DaySpec MonthDays(bool[] mask) => new(DayRule.MonthDays, mask, 0, 0);

        public static DaySpec WeekDays(bool[] mask) => new(DayRule.WeekDays, mask, 0, 0);

        public static DaySpec LastDay(int back) => new(DayRule.LastDay, null, back, 0);

        public static DaySpec LastWeekday() => new(DayRule.LastWeekday, null, 0, 0);

        public static DaySpec NearestWeekday(int day) => new(DayRule.NearestWeekday, null, day, 0);

        public static DaySpec NthWeekday(int dow, int nth) => new(DayRule.NthWeekday, null, dow, nth);

        public static DaySpec LastWeekdayOf(int dow) => new(DayRule.LastWeekdayOf, null, dow, 0);

        public uint DaysIn(int year, int month)
        {
            var count = DateTime.DaysInMonth(year, month);
            // Quartz numbering: 1 = Sunday.
            var firstDow = (int)new DateTime(year, month, 1).DayOfWeek + 1;
            int DowOf(int day) => (firstDow - 1 + day - 1) % 7 + 1;
            uint result = 0;
            switch (Rule)
            {
                case DayRule.MonthDays:
                    for (var d = 1; d <= count; d++)
                    {
                        result |= Mask![d] ? 1u << d : 0;
                    }

                    break;
                case DayRule.WeekDays:
                    for (var d = 1; d <= count; d++)
                    {
                        result |= Mask![DowOf(d)] ? 1u << d : 0;
                    }

                    break;
                case DayRule.LastDay:
                    if (count - Value >= 1)
                    {
                        result = 1u << (count - Value);
                    }

                    break;
                case DayRule.LastWeekday:
                    result = 1u << Weekday(count, count, DowOf(count));
                    break;
                case DayRule.NearestWeekday:
                    if (Value <= count)
                    {
                        result = 1u << Weekday(Value, count, DowOf(Value));
                    }

                    break;
                case DayRule.NthWeekday:
                    var first = 1 + ((Value - firstDow) % 7 + 7) % 7;
                    var nth = first + 7 * (Nth - 1);
                    if (nth <= count)
                    {
                        result = 1u << nth;
                    }

                    break;
                case DayRule.LastWeekdayOf:
                    var last = count - ((DowOf(count) - Value) % 7 + 7) % 7;
                    result = 1u << last;
                    break;
            }

            return result;
        }

        /// <summary>The weekday nearest to <paramref name="day"/> without leaving the month (Quartz's W).</summary>
        private static int Weekday(int day, int count, int dow) => dow switch
        {
            7 => day == 1 ? 3 : day - 1,
            1 => day == count ? day - 2 : day + 1,
            _ => day,
        };
    }
}
