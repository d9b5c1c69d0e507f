using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Engine.Timers;

/// <summary>
/// A parsed BPMN timer definition (timeDate, timeDuration or timeCycle), with our working-day forms.
/// Immutable and pure: due times come from the <c>from</c> and <c>due</c> arguments, never from a clock.
/// <see cref="Text"/> is the canonical form; a cycle's successor (<see cref="AfterFire"/>) is persisted by its text.
/// Syntax and semantics: Timers/README.md.
/// </summary>
public sealed partial class TimerDefinition : IEquatable<TimerDefinition>
{
    /// <summary>A cycle that needs more steps than this to reach the requested time is refused rather than looped over.</summary>
    public const int MaxCycleSteps = 1_000_000;

    private TimerDefinition(
        TimerKind kind,
        DateTimeOffset? date = null,
        TimerDuration? duration = null,
        int? repetitionsLeft = null,
        DateTimeOffset? cycleStart = null,
        DateTimeOffset? cycleEnd = null,
        CronExpression? cron = null)
    {
        Kind = kind;
        Date = date;
        Duration = duration;
        RepetitionsLeft = repetitionsLeft;
        CycleStart = cycleStart;
        CycleEnd = cycleEnd;
        Cron = cron;
        Text = BuildText();
    }

    public TimerKind Kind { get; }

    /// <summary>The canonical text; parsing it gives an equal definition.</summary>
    public string Text { get; }

    /// <summary>The due time of a timeDate.</summary>
    public DateTimeOffset? Date { get; }

    /// <summary>The duration of a timeDuration, or the interval of an ISO cycle.</summary>
    public TimerDuration? Duration { get; }

    /// <summary>Firings left for an ISO cycle (counting the next one); null when unbounded and for cron and non-cycles.</summary>
    public int? RepetitionsLeft { get; }

    /// <summary>The first firing of an <c>R/start/duration</c> cycle.</summary>
    public DateTimeOffset? CycleStart { get; }

    /// <summary>The time after which an <c>R/duration/end</c> cycle no longer fires.</summary>
    public DateTimeOffset? CycleEnd { get; }

    /// <summary>The cron expression of a cron cycle.</summary>
    public CronExpression? Cron { get; }

    /// <summary>True when computing a due time needs the working-day calendar (PnWD, PnCD).</summary>
    public bool NeedsCalendar => Duration?.NeedsCalendar == true;

    /// <summary>
    /// True when the text is an expression (<c>${…}</c>, <c>#{…}</c> anywhere, or FEEL starting with <c>=</c>):
    /// the runtime evaluates it and parses the resulting text.
    /// </summary>
    public static bool IsExpression([NotNullWhen(true)] string? text) =>
        text is not null
        && (text.TrimStart().StartsWith('=') || text.Contains("${", StringComparison.Ordinal) || text.Contains("#{", StringComparison.Ordinal));

    /// <summary>Parses a definition, telling the kind from its form: R… or six/seven fields is a cycle, P… a duration, anything else a date.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out TimerDefinition? definition, [NotNullWhen(false)] out TimerParseError? error)
    {
        definition = null;
        if (!Precheck(text, out var normalized, out error))
        {
            return false;
        }

        return TryParseAs(Infer(normalized), normalized, out definition, out error);
    }

    /// <summary>Parses the content of a BPMN timeDate, timeDuration or timeCycle element; a definition of another kind is an error.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, TimerKind kind, [NotNullWhen(true)] out TimerDefinition? definition, [NotNullWhen(false)] out TimerParseError? error)
    {
        definition = null;
        if (!Precheck(text, out var normalized, out error))
        {
            return false;
        }

        if (TryParseAs(kind, normalized, out definition, out error))
        {
            return true;
        }

        var written = Infer(normalized);
        if (written != kind && TryParse(normalized, out _, out _))
        {
            error = TimerErrors.KindMismatch(text!.Trim(), kind, written);
        }

        return false;
    }

    public static TimerDefinition Parse(string text) =>
        TryParse(text, out var definition, out var error) ? definition : throw new TimerFormatException(error);

    public static TimerDefinition Parse(string text, TimerKind kind) =>
        TryParse(text, kind, out var definition, out var error) ? definition : throw new TimerFormatException(error);

    /// <summary>
    /// When the timer falls due, for a timer armed (or re-armed after firing) at <paramref name="from"/>:
    /// a date is its date (even if already past: fire at once); a duration and an <c>R/duration</c> cycle add the
    /// duration to <paramref name="from"/>; an <c>R/start/duration</c> cycle gives its first occurrence at or after
    /// <paramref name="from"/>; cron the first match strictly after it. Null when the timer will not fire again.
    /// Results are in China Standard Time.
    /// </summary>
    public DateTimeOffset? NextDue(DateTimeOffset from, IBusinessCalendar? calendar)
    {
        switch (Kind)
        {
            case TimerKind.Date:
                return ChinaStandardTime.ToChina(Date!.Value);
            case TimerKind.Duration:
                return Duration!.AddTo(from, calendar);
        }

        if (Cron is not null)
        {
            return Cron.NextAfter(from);
        }

        if (CycleStart is null)
        {
            var due = Duration!.AddTo(from, calendar);
            return CycleEnd is { } end && due > end ? null : due;
        }

        return FirstOccurrence(from, inclusive: true, calendar)?.At;
    }

    /// <summary>
    /// The definition to re-arm with after the firing due at <paramref name="due"/>, or null when the timer is done
    /// (a date or duration, or a cycle's last repetition). Counted cycles count down (R3/PT10M → R2/PT10M); a cycle
    /// with a start moves its start to the next occurrence after <paramref name="due"/>, counting occurrences missed
    /// meanwhile as used. Arm the successor with <c>NextDue(due, calendar)</c> and persist its <see cref="Text"/>.
    /// </summary>
    public TimerDefinition? AfterFire(DateTimeOffset due, IBusinessCalendar? calendar)
    {
        if (Kind != TimerKind.Cycle)
        {
            return null;
        }

        if (Cron is not null)
        {
            return this;
        }

        if (CycleStart is null)
        {
            return RepetitionsLeft switch
            {
                null => this,
                1 => null,
                var left => new TimerDefinition(TimerKind.Cycle, duration: Duration, repetitionsLeft: left - 1, cycleEnd: CycleEnd),
            };
        }

        if (FirstOccurrence(due, inclusive: false, calendar) is not { } next)
        {
            return null;
        }

        return new TimerDefinition(TimerKind.Cycle, duration: Duration, repetitionsLeft: RepetitionsLeft - (int?)next.Index, cycleStart: next.At);
    }

    public bool Equals(TimerDefinition? other) => other is not null && Text == other.Text;

    public override bool Equals(object? obj) => Equals(obj as TimerDefinition);

    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Text;

    /// <summary>The first occurrence of an R/start/duration series after (or at) <paramref name="bound"/>, with its index from the start.</summary>
    private (long Index, DateTimeOffset At)? FirstOccurrence(DateTimeOffset bound, bool inclusive, IBusinessCalendar? calendar)
    {
        var duration = Duration!;
        var limit = RepetitionsLeft;
        var at = ChinaStandardTime.ToChina(CycleStart!.Value);
        long index = 0;

        // Fixed-length intervals jump close to the bound instead of stepping through a long past.
        if (duration.FixedLength is { Ticks: > 0 } length && at < bound)
        {
            var jump = (bound - at).Ticks / length.Ticks - 1;
            if (limit is { } n)
            {
                jump = Math.Min(jump, n - 1);
            }

            if (jump > 0)
            {
                index = jump;
                at = at.AddTicks(jump * length.Ticks);
            }
        }

        var steps = 0;
        while (inclusive ? at < bound : at <= bound)
        {
            index++;
            if (limit is { } n && index >= n)
            {
                return null;
            }

            if (++steps > MaxCycleSteps)
            {
                throw new InvalidOperationException(
                    $"循环定时器 {Text} 要走超过 {MaxCycleSteps} 步才能到达 {bound:O}。 / The cycle {Text} needs more than {MaxCycleSteps} steps to reach {bound:O}.");
            }

            at = duration.AddTo(at, calendar);
        }

        return (index, at);
    }

    private static bool Precheck(string? text, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out TimerParseError? error)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = TimerErrors.Empty();
            return false;
        }

        if (IsExpression(text))
        {
            error = TimerErrors.Expression(text.Trim());
            return false;
        }

        // Designators, 'T', 'Z' and cron names are upper case in canonical form; accept lower case as written.
        normalized = text.Trim().ToUpperInvariant();
        error = null;
        return true;
    }

    private static bool TryParseAs(TimerKind kind, string text, [NotNullWhen(true)] out TimerDefinition? definition, [NotNullWhen(false)] out TimerParseError? error)
    {
        if (kind == TimerKind.Cycle)
        {
            return TryParseCycle(text, out definition, out error);
        }

        if (kind == TimerKind.Duration)
        {
            return TryParseDuration(text, out definition, out error);
        }

        return TryParseDate(text, out definition, out error);
    }

    private static TimerKind Infer(string text)
    {
        if (text.Any(char.IsWhiteSpace))
        {
            return TimerKind.Cycle;
        }

        if (text.StartsWith('R'))
        {
            return TimerKind.Cycle;
        }

        return text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal) ? TimerKind.Duration : TimerKind.Date;
    }

    private static bool TryParseDate(string text, [NotNullWhen(true)] out TimerDefinition? definition, [NotNullWhen(false)] out TimerParseError? error)
    {
        definition = null;
        if (text.EndsWith("/EOD", StringComparison.Ordinal))
        {
            error = TimerErrors.EndOfDayNotAllowed(text);
            return false;
        }

        if (!TryParseDateTime(text, out var date))
        {
            error = TimerErrors.InvalidDate(text);
            return false;
        }

        definition = new TimerDefinition(TimerKind.Date, date: date);
        error = null;
        return true;
    }

    private static bool TryParseDuration(string text, [NotNullWhen(true)] out TimerDefinition? definition, [NotNullWhen(false)] out TimerParseError? error)
    {
        definition = null;
        if (!TimerDuration.TryParse(text, allowEndOfDay: true, out var duration, out error))
        {
            return false;
        }

        definition = new TimerDefinition(TimerKind.Duration, duration: duration);
        return true;
    }

    private static bool TryParseCycle(string text, [NotNullWhen(true)] out TimerDefinition? definition, [NotNullWhen(false)] out TimerParseError? error)
    {
        definition = null;
        if (text.Any(char.IsWhiteSpace))
        {
            if (!CronExpression.TryParse(text, out var cron, out error))
            {
                return false;
            }

            definition = new TimerDefinition(TimerKind.Cycle, cron: cron);
            return true;
        }

        var parts = text.Split('/');
        if (parts.Length is not (2 or 3) || !parts[0].StartsWith('R'))
        {
            error = TimerErrors.InvalidCycle(text);
            return false;
        }

        int? repetitions = null;
        if (parts[0].Length > 1)
        {
            if (!int.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                error = TimerErrors.InvalidRepetitions(text, parts[0]);
                return false;
            }

            repetitions = count;
        }

        if (parts.Length == 3 && parts[2] == "EOD")
        {
            error = TimerErrors.EndOfDayNotAllowed(text);
            return false;
        }

        DateTimeOffset? start = null, end = null;
        string durationText;
        if (parts.Length == 2)
        {
            durationText = parts[1];
        }
        else if (Infer(parts[1]) == TimerKind.Duration)
        {
            durationText = parts[1];
            if (!TryParseDateTime(parts[2], out var endValue))
            {
                error = TimerErrors.InvalidDate(parts[2]);
                return false;
            }

            end = endValue;
        }
        else
        {
            if (!TryParseDateTime(parts[1], out var startValue))
            {
                error = TimerErrors.InvalidDate(parts[1]);
                return false;
            }

            if (TryParseDateTime(parts[2], out _))
            {
                error = TimerErrors.StartAndEnd(text);
                return false;
            }

            start = startValue;
            durationText = parts[2];
        }

        if (!TimerDuration.TryParse(durationText, allowEndOfDay: false, out var duration, out error))
        {
            return false;
        }

        if (duration.IsZero)
        {
            error = TimerErrors.ZeroCycleDuration(text);
            return false;
        }

        definition = new TimerDefinition(TimerKind.Cycle, duration: duration, repetitionsLeft: repetitions, cycleStart: start, cycleEnd: end);
        return true;
    }

    /// <summary>ISO 8601 extended date or date-time; without an offset the time is China Standard Time.</summary>
    private static bool TryParseDateTime(string text, out DateTimeOffset value)
    {
        value = default;
        var m = DateTimePattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        static int Int(Group g) => g.Success ? int.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
        int year = Int(m.Groups["y"]), month = Int(m.Groups["mo"]), day = Int(m.Groups["d"]);
        int hour = Int(m.Groups["h"]), minute = Int(m.Groups["mi"]), second = Int(m.Groups["s"]);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var offset = ChinaStandardTime.Offset;
        var off = m.Groups["off"];
        if (off.Success && off.Value != "Z")
        {
            var hours = int.Parse(off.Value.AsSpan(1, 2), CultureInfo.InvariantCulture);
            var minutes = off.Value.Length > 3 ? int.Parse(off.Value.AsSpan(off.Value.Length - 2), CultureInfo.InvariantCulture) : 0;
            if (hours > 14 || minutes > 59 || hours * 60 + minutes > 14 * 60)
            {
                return false;
            }

            offset = new TimeSpan(hours, minutes, 0) * (off.Value[0] == '-' ? -1 : 1);
        }
        else if (off.Success)
        {
            offset = TimeSpan.Zero;
        }

        var fraction = m.Groups["f"].Success ? long.Parse(m.Groups["f"].Value.PadRight(7, '0'), CultureInfo.InvariantCulture) : 0;
        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(fraction), offset);
        return true;
    }

    private string BuildText()
    {
        switch (Kind)
        {
            case TimerKind.Date:
                return Format(Date!.Value);
            case TimerKind.Duration:
                return Duration!.ToString();
        }

        if (Cron is not null)
        {
            return Cron.Text;
        }

        var sb = new StringBuilder("R");
        if (RepetitionsLeft is { } n)
        {
            sb.Append(n.ToString(CultureInfo.InvariantCulture));
        }

        sb.Append('/');
        if (CycleStart is { } start)
        {
            sb.Append(Format(start)).Append('/');
        }

        sb.Append(Duration);
        if (CycleEnd is { } end)
        {
            sb.Append('/').Append(Format(end));
        }

        return sb.ToString();
    }

    private static string Format(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:T(?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d{1,7}))?)?)?(?<off>Z|[+-]\d{2}(?::?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();
}
