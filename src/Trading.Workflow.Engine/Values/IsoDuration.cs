using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Trading.Workflow.Engine.Values;

/// <summary>
/// An ISO 8601 duration (PnYnMnDTnHnMnS, or PnW). Years and months stay separate from days and time
/// because a month has no fixed length; <see cref="AddTo"/> applies them on the calendar.
/// </summary>
public readonly partial record struct IsoDuration(int Years, int Months, int Days, TimeSpan Time, bool Negative = false)
{
    public static IsoDuration Zero => default;

    public bool IsYearMonthOnly => Days == 0 && Time == TimeSpan.Zero;

    public static IsoDuration FromTimeSpan(TimeSpan value) =>
        value < TimeSpan.Zero ? new(0, 0, 0, value.Negate(), true) : new(0, 0, 0, value);

    public static IsoDuration Parse(string text) =>
        TryParse(text, out var result)
            ? result
            : throw new FormatException($"'{text}' is not an ISO 8601 duration (e.g. P5D, PT2H, P1M).");

    public static bool TryParse(string? text, out IsoDuration result)
    {
        result = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = DurationPattern().Match(text.Trim());
        if (!match.Success || match.Length == 2 || text.Trim().EndsWith('T'))
        {
            return false;
        }

        var weeks = match.Groups["w"].Success;
        if (weeks && (match.Groups["y"].Success || match.Groups["mo"].Success || match.Groups["d"].Success || match.Groups["t"].Success))
        {
            return false;
        }

        static int Int(Group g) => g.Success ? int.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
        static double Dbl(Group g) => g.Success ? double.Parse(g.Value.Replace(',', '.'), CultureInfo.InvariantCulture) : 0;

        var time = TimeSpan.FromHours(Int(match.Groups["h"])) + TimeSpan.FromMinutes(Int(match.Groups["mi"])) + TimeSpan.FromSeconds(Dbl(match.Groups["s"]));
        result = new IsoDuration(Int(match.Groups["y"]), Int(match.Groups["mo"]), Int(match.Groups["d"]) + 7 * Int(match.Groups["w"]), time, match.Groups["neg"].Success);
        return true;
    }

    /// <summary>Adds the duration: years and months first (clamped to the month's last day), then days, then time.</summary>
    public DateTimeOffset AddTo(DateTimeOffset start)
    {
        var sign = Negative ? -1 : 1;
        return start.AddYears(sign * Years).AddMonths(sign * Months).AddDays(sign * Days).Add(Negative ? Time.Negate() : Time);
    }

    /// <summary>Length in days and time only; throws for a duration with years or months.</summary>
    public TimeSpan ToTimeSpan()
    {
        if (Years != 0 || Months != 0)
        {
            throw new InvalidOperationException($"The duration {this} has years or months and no fixed length.");
        }

        var span = TimeSpan.FromDays(Days) + Time;
        return Negative ? span.Negate() : span;
    }

    public IsoDuration Negate() => this with { Negative = !Negative };

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Negative)
        {
            sb.Append('-');
        }

        sb.Append('P');
        if (Years != 0) sb.Append(Years).Append('Y');
        if (Months != 0) sb.Append(Months).Append('M');
        if (Days != 0) sb.Append(Days).Append('D');
        if (Time != TimeSpan.Zero)
        {
            sb.Append('T');
            var hours = (int)Time.TotalHours;
            if (hours != 0) sb.Append(hours).Append('H');
            if (Time.Minutes != 0) sb.Append(Time.Minutes).Append('M');
            var seconds = Time.Seconds + Time.Milliseconds / 1000m;
            if (seconds != 0) sb.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('S');
        }

        if (sb.Length == (Negative ? 2 : 1))
        {
            sb.Append("T0S");
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"^(?<neg>-)?P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?<t>T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:[.,]\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
