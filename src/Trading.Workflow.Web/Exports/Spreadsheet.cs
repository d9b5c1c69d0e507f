using System.Globalization;
using System.Text;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Web.Exports;

/// <summary>How a column's cells are written: money and counts as numbers, times as Excel dates in China Standard Time.</summary>
public enum CellKind
{
    Text,
    Money,
    Integer,
    Time,
    Date,
}

public sealed record SheetColumn(string Header, CellKind Kind = CellKind.Text);

/// <summary>One worksheet of an export: its columns and rows (one value per column, null for an empty cell).</summary>
public sealed record SpreadsheetSheet(string Name, IReadOnlyList<SheetColumn> Columns, IEnumerable<IReadOnlyList<object?>> Rows);

/// <summary>
/// The .xlsx exports of staff and supervisors' lists (MiniExcel). A sheet holds what its page shows, with the page's
/// headers in the user's language; the header row is written as a row of its own so an empty list still names its
/// columns. Values stay typed (numbers, dates) so a centre's accountant can sum and sort them; text is written as text
/// and never as a formula.
/// </summary>
public static class Spreadsheet
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Excel refuses sheet names over 31 characters or with any of these.</summary>
    private static readonly char[] NotInSheetNames = ['\\', '/', '?', '*', '[', ']', ':'];

    public static byte[] Write(IReadOnlyList<SpreadsheetSheet> sheets)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        if (sheets.Count == 0)
        {
            throw new ArgumentException("An export has at least one sheet.", nameof(sheets));
        }

        var workbook = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        var formats = new Dictionary<string, DynamicExcelColumn>(StringComparer.Ordinal);
        foreach (var sheet in sheets)
        {
            var keys = sheet.Columns.Select((c, i) => Key(c.Kind, i)).ToArray();
            foreach (var (column, key) in sheet.Columns.Zip(keys))
            {
                if (Format(column.Kind) is { } format && !formats.ContainsKey(key))
                {
                    formats[key] = new DynamicExcelColumn(key) { Format = format };
                }
            }

            var rows = new List<IDictionary<string, object?>> { Row(keys, sheet.Columns.Select(c => (object?)c.Header).ToArray(), header: true) };
            rows.AddRange(sheet.Rows.Select(values => Row(keys, values, header: false, sheet.Columns)));
            workbook[UniqueName(SheetName(sheet.Name), workbook)] = rows;
        }

        var configuration = new OpenXmlConfiguration
        {
            FastMode = true,
            EnableAutoWidth = true,
            FreezeRowCount = 1,
            TableStyles = TableStyles.None,
            DynamicColumns = [.. formats.Values],
        };
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, workbook, printHeader: false, configuration: configuration);
        return stream.ToArray();
    }

    /// <summary>The download: <paramref name="name"/> and the China date and time of <paramref name="at"/> as its file name.</summary>
    public static IResult File(string name, DateTimeOffset at, IReadOnlyList<SpreadsheetSheet> sheets) =>
        TypedResults.File(Write(sheets), ContentType, FileName(name, at));

    public static string FileName(string name, DateTimeOffset at)
    {
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsControl(c) || Path.GetInvalidFileNameChars().Contains(c) || c is '"' or '\\' or '/' ? '_' : c);
        }

        return $"{safe}-{ChinaStandardTime.ToChina(at).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.xlsx";
    }

    internal static string SheetName(string name)
    {
        var clean = new string([.. name.Select(c => NotInSheetNames.Contains(c) ? '-' : c)]).Trim('\'', ' ');
        return clean.Length == 0 ? "Sheet" : clean.Length > 31 ? clean[..31] : clean;
    }

    private static string UniqueName(string name, Dictionary<string, object> taken)
    {
        var candidate = name;
        for (var n = 2; taken.ContainsKey(candidate); n++)
        {
            var suffix = $" ({n})";
            candidate = (name.Length + suffix.Length > 31 ? name[..(31 - suffix.Length)] : name) + suffix;
        }

        return candidate;
    }

    // A column's key carries its kind, so one number format per key serves every sheet that has that kind there.
    private static string Key(CellKind kind, int index) => $"{(char)('a' + (int)kind)}{index}";

    private static string? Format(CellKind kind) => kind switch
    {
        CellKind.Money => "#,##0.00",
        CellKind.Integer => "0",
        CellKind.Time => "yyyy-mm-dd hh:mm",
        CellKind.Date => "yyyy-mm-dd",
        _ => null,
    };

    private static Dictionary<string, object?> Row(string[] keys, IReadOnlyList<object?> values, bool header, IReadOnlyList<SheetColumn>? columns = null)
    {
        if (values.Count != keys.Length)
        {
            throw new ArgumentException($"A row has {values.Count} values for {keys.Length} columns.", nameof(values));
        }

        var row = new Dictionary<string, object?>(keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < keys.Length; i++)
        {
            row[keys[i]] = header ? values[i] : Cell(values[i], columns![i].Kind);
        }

        return row;
    }

    private static object? Cell(object? value, CellKind kind) => value switch
    {
        null => null,
        DateTimeOffset at => ChinaStandardTime.ToChina(at).DateTime,
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        bool or decimal or int or long or double or DateTime => value,
        _ when kind is CellKind.Text => value.ToString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
