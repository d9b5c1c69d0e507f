using System.Globalization;
using System.Text.Json;

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

    /// <summary>An amount in yuan with separators and both decimals, e.g. ¥8,600,000.00.</summary>
    public static string FormatMoney(decimal amount, CultureInfo culture) => "¥" + amount.ToString("#,##0.00", culture);

    /// <summary>The form's default value for a field, as the renderer and the validator take it.</summary>
    public static object? DefaultOf(FormField field) => field.DefaultValue switch
    {
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Number } e => e.TryGetDecimal(out var number) ? number : null,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        JsonElement => null,
        var value => value,
    };

    /// <summary>China Standard Time, to the minute.</summary>
    public static string FormatTime(DateTimeOffset time) => time.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>China Standard Time, to the second (trails and download records), whatever the server's own zone.</summary>
    public static string FormatSeconds(DateTimeOffset time) => time.ToOffset(ChinaOffset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
