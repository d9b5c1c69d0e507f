using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Exports;

/// <summary>What the list exports share: reading every page of a list up to a cap, and the sheet that says what was exported.</summary>
public static class Exporting
{
    /// <summary>A list's export stops here and says so; a narrower filter gets the rest.</summary>
    public const int MaxRows = 10_000;

    private const int PageSize = 200;

    /// <summary>Pages through a list (newest first, as the page shows it) until it ends or <see cref="MaxRows"/> are read.</summary>
    public static async Task<(List<T> Rows, int Total)> CollectAsync<T>(Func<int, int, Task<(IReadOnlyList<T> Rows, int Total)>> page, int max = MaxRows)
    {
        ArgumentNullException.ThrowIfNull(page);
        var rows = new List<T>();
        var total = 0;
        while (rows.Count < max)
        {
            var (items, count) = await page(rows.Count, Math.Min(PageSize, max - rows.Count));
            total = Math.Max(total, count);
            rows.AddRange(items);
            if (items.Count == 0 || rows.Count >= count)
            {
                break;
            }
        }

        return (rows, Math.Max(total, rows.Count));
    }

    /// <summary>
    /// The last sheet of a list's export: when and by whom, the filters applied, and how many rows it holds of how many
    /// (a list longer than <see cref="MaxRows"/> says it was cut).
    /// </summary>
    public static SpreadsheetSheet About(
        IStringLocalizer<SharedResource> text, DateTimeOffset at, ClaimsPrincipal user, int exported, int total, params (string Label, string? Value)[] filters)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(user);
        var rows = new List<IReadOnlyList<object?>>
        {
            new object?[] { text["Export.At"].Value, FormValues.FormatTime(at) },
            new object?[] { text["Export.By"].Value, user.Identity?.Name },
        };
        rows.AddRange(filters.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => (IReadOnlyList<object?>)[f.Label, f.Value!.Trim()]));
        rows.Add([text["Export.Rows"].Value, exported]);
        if (exported < total)
        {
            rows.Add([text["Export.Cut"].Value, text["Export.CutFormat", exported, total].Value]);
        }

        return new SpreadsheetSheet(text["Export.Sheet"], [new SheetColumn(text["Export.Item"]), new SheetColumn(text["Export.Value"])], rows);
    }

    /// <summary>An export's GET endpoint: the roles of the page it exports (whose scope the handler applies again), an .xlsx answer.</summary>
    public static RouteHandlerBuilder MapExport(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler, string roles, string tag, string name, string summary)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(pattern, handler)
            .RequireAuthorization(new AuthorizeAttribute { Roles = roles })
            .WithFileRefusalPage()
            .WithTags(tag)
            .WithName(name)
            .WithSummary(summary)
            .Produces(StatusCodes.Status200OK, contentType: Spreadsheet.ContentType);
    }

    /// <summary>A list page's address with its filters, empty ones left out.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrWhiteSpace(q.Value)).Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value!.Trim())}").ToList();
        return parts.Count == 0 ? path : $"{path}?{string.Join('&', parts)}";
    }
}
