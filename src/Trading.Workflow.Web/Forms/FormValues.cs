using System.Globalization;

namespace Trading.Workflow.Web.Forms;

/// <summary>Formats process variable values for people: money with separators, dates as dates, times in China Standard Time.</summary>
public static class FormValues
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static string Format(object? value, CultureInfo culture) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => culture.TwoLetterISOLanguageName == "en" ? (b ? "Yes" : "No") : (b ? "是" : "否"),
        decimal d => d.ToString(d == decimal.Truncate(d) ? "#,##0" : "#,##0.00", culture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => FormatTime(t),
        IReadOnlyDictionary<string, object?> map => string.Join("; ", map.Select(e => $"{e.Key}: {Format(e.Value, culture)}")),
        IEnumerable<object?> list => string.Join(", ", list.Select(v => Format(v, culture))),
        _ => Convert.ToString(value, culture) ?? string.Empty,
    };

    /// <summary>China Standard Time, to the minute.</summary>
    public static string FormatTime(DateTimeOffset time) => time.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
