using System.Globalization;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Web.Components.Shared;

/// <summary>
/// The value of an <c>&lt;input type="datetime-local"&gt;</c>, read and written as China time. Every such input parses
/// through here: blazor.web.js sends the browser's "yyyy-MM-ddTHH:mm" with ":00" appended, and a browser with a step
/// below a minute sends seconds (and fractions) itself, so minutes alone are never enough.
/// </summary>
public static class DateTimeLocalInput
{
    private static readonly string[] Formats =
        ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"];

    /// <summary>The instant the text names in China time; null when it is empty or not a datetime-local value.</summary>
    public static DateTimeOffset? Parse(string? text) =>
        DateTime.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, ChinaStandardTime.Offset)
            : null;

    /// <summary>The input's value for <paramref name="value"/>: China time to the minute.</summary>
    public static string Format(DateTimeOffset value) =>
        ChinaStandardTime.ToChina(value).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}
