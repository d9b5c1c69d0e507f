using System.Globalization;
using System.Text;

namespace Trading.Workflow.Domain.Notices.Search;

/// <summary>
/// The portal's filters as FTS5 tokens of a notice's "facets" column (SQLite), so a filtered search is one FTS5 query:
/// <c>t</c>+trade type, <c>c</c>+centre, <c>k</c>+kind, <c>r</c>+region, and the day of publication in China Standard
/// Time as <c>d</c>yyyyMMdd, <c>m</c>yyyyMM and <c>y</c>yyyy (a date range is covered by the fewest whole years, months
/// and days). Each token is letters and digits only, which FTS5's unicode61 tokenizer keeps whole. The schema script
/// <c>Notices/Schema/Sqlite/0002_notice_search_keys.sql</c> writes the same tokens for notices published before it.
/// </summary>
public static class NoticeFacets
{
    /// <summary>China Standard Time (no daylight saving): publication days are days in China.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static string TradeType(string tradeType) => "t" + Token(tradeType);

    public static string Centre(Guid centreId) => "c" + centreId.ToString("N", CultureInfo.InvariantCulture);

    public static string Kind(NoticeKind kind) => "k" + Token(kind.ToString());

    public static string Region(string regionCode) => "r" + Token(regionCode);

    public static string Day(DateOnly day) => "d" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Month(DateOnly day) => "m" + day.ToString("yyyyMM", CultureInfo.InvariantCulture);

    public static string Year(DateOnly day) => "y" + day.ToString("yyyy", CultureInfo.InvariantCulture);

    public static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(ChinaOffset).DateTime);

    /// <summary>True when <paramref name="at"/> is midnight in China, so a day token covers exactly what it bounds.</summary>
    public static bool IsChinaMidnight(DateTimeOffset at) => at.ToOffset(ChinaOffset).TimeOfDay == TimeSpan.Zero;

    /// <summary>The facets text of a published notice.</summary>
    public static string For(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var day = ChinaDay(notice.PublishedAt ?? throw new InvalidOperationException("Only published notices have facets."));
        return string.Join(' ', TradeType(notice.TradeType), Centre(notice.CentreId), Kind(notice.Kind), Region(notice.RegionCode),
            Year(day), Month(day), Day(day));
    }

    /// <summary>
    /// The fewest year, month and day tokens whose days are exactly <paramref name="first"/> to <paramref name="last"/>
    /// (both included); empty when the range is empty.
    /// </summary>
    public static List<string> DayRange(DateOnly first, DateOnly last)
    {
        var tokens = new List<string>();
        var day = first;
        while (day <= last)
        {
            if (day.Month == 1 && day.Day == 1 && day.AddYears(1).AddDays(-1) <= last)
            {
                tokens.Add(Year(day));
                day = day.AddYears(1);
            }
            else if (day.Day == 1 && day.AddMonths(1).AddDays(-1) <= last)
            {
                tokens.Add(Month(day));
                day = day.AddMonths(1);
            }
            else
            {
                tokens.Add(Day(day));
                day = day.AddDays(1);
            }
        }

        return tokens;
    }

    // Lower-case letters and digits only (trade type codes are "engineering-construction", regions six digits).
    private static string Token(string value)
    {
        var token = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                token.Append(char.ToLowerInvariant(c));
            }
        }

        return token.ToString();
    }
}
