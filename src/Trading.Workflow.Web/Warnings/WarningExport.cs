using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Web.Exports;

namespace Trading.Workflow.Web.Warnings;

/// <summary>
/// <c>GET /supervision/warnings/export.xlsx</c>: the collusion warnings the list shows, with its filters (the same
/// query as its address) and the viewer's scope, each with its evidence and review, up to <see cref="Exporting.MaxRows"/>.
/// </summary>
public static class WarningExport
{
    public const string Path = "/supervision/warnings/export.xlsx";

    public static string PathFor(WarningFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Exporting.WithQuery(Path, ("state", filter.State?.ToString()), ("kind", filter.Kind?.ToString()), ("centre", filter.Centre?.ToString("D")),
            ("project", filter.Project), ("from", Date(filter.From)), ("to", Date(filter.To)));
    }

    public static IEndpointRouteBuilder MapWarningExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExport(Path, ExportAsync, $"{PlatformRoles.Staff},{PlatformRoles.Supervisor}",
            "Warnings", "ExportCollusionWarnings", "The collusion warnings the caller may see, filtered as on the list page, as an .xlsx workbook.");
        return endpoints;
    }

    public static async Task<IResult> ExportAsync(
        string? state, string? kind, Guid? centre, string? project, string? from, string? to, ClaimsPrincipal principal, WarningService warnings,
        IStringLocalizer<WarningsResource> text, IStringLocalizer<SharedResource> shared, TimeProvider clock, CancellationToken cancellationToken)
    {
        var filter = FilterOf(state, kind, centre, project, from, to);
        var viewer = WarningAccess.For(principal);
        var (rows, total) = await Exporting.CollectAsync(async (skip, take) =>
        {
            var page = await warnings.PageAsync(viewer, filter, skip, take, cancellationToken);
            return (page.Rows, page.Total);
        });
        string T(string key) => text[key];
        var sheet = new SpreadsheetSheet(T("List.Title"),
        [
            new(T("Export.ProjectCode")), new(T("Column.Project")), new(T("Column.Section")), new(T("Column.Kind")), new(T("Column.Bidders")),
            new(T("Column.Evidence")), new(T("Column.State")), new(T("Column.FoundAt"), CellKind.Time), new(T("Review.ReviewedBy")),
            new(T("Review.ReviewedAt"), CellKind.Time), new(T("Review.NoteGiven")),
        ],
        rows.Select(w => (IReadOnlyList<object?>)
        [
            w.ProjectCode, w.ProjectName, w.SectionCode, T($"Kind.{w.Kind}"), Punctuation.List(w.Bidders.Select(b => b.Name)),
            Evidence(w, text), T($"State.{w.State}"), w.FirstComputedAt, w.ReviewedBy, w.ReviewedAt, w.ReviewNote,
        ]));
        var now = clock.GetUtcNow();
        return Spreadsheet.File(T("Export.FileName"), now,
        [
            sheet,
            Exporting.About(shared, now, principal, rows.Count, total,
                (T("Filter.State"), filter.State is { } fs ? T($"State.{fs}") : null), (T("Filter.Kind"), filter.Kind is { } fk ? T($"Kind.{fk}") : null),
                (T("Filter.Project"), filter.Project), (T("Filter.From"), Date(filter.From)), (T("Filter.To"), Date(filter.To))),
        ]);
    }

    /// <summary>The evidence as the list's summary says it, in one line of text.</summary>
    public static string Evidence(CollusionWarning warning, IStringLocalizer<WarningsResource> text)
    {
        ArgumentNullException.ThrowIfNull(warning);
        ArgumentNullException.ThrowIfNull(text);
        var evidence = warning.Evidence;
        if (evidence.Pattern is { } pattern)
        {
            return $"{text[$"Pattern.{pattern}"]} {evidence.Value}";
        }

        var line = $"{text[$"Value.{warning.Kind}"]}{Punctuation.Colon}{evidence.Value}";
        return warning.Kind == WarningKind.SameLegalRepresentative ? $"{line} {text["Pattern.NameOnly"]}" : line;
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The list's filter from its address (<c>?state=&amp;kind=&amp;centre=&amp;project=&amp;from=&amp;to=</c>), as the page and its export read it.</summary>
    public static WarningFilter FilterOf(string? state, string? kind, Guid? centre, string? project, string? from, string? to) => new(
        Enum.TryParse<WarningState>(state, out var s) ? s : null,
        Enum.TryParse<WarningKind>(kind, out var k) ? k : null,
        string.IsNullOrWhiteSpace(project) ? null : project.Trim(),
        Centre: centre,
        From: ParseDate(from),
        To: ParseDate(to));

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
