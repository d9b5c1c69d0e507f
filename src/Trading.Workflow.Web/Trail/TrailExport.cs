using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Exports;

namespace Trading.Workflow.Web.Trail;

/// <summary>
/// <c>GET /supervision/trail/export.xlsx</c>: the trail's records with the supervisors' page filters (a project above
/// all), newest first, up to <see cref="Exporting.MaxRows"/>. Each record keeps its data as recorded and both SM3 hashes
/// in full, so the file can be checked against the chain.
/// </summary>
public static class TrailExport
{
    public const string Path = "/supervision/trail/export.xlsx";

    public static string PathFor(string? project, string? action, string? actor, string? subject) =>
        Exporting.WithQuery(Path, ("project", project), ("action", action), ("actor", actor), ("subject", subject));

    public static IEndpointRouteBuilder MapTrailExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExport(Path, ExportAsync, PlatformRoles.Supervisor,
            "Trail", "ExportTrail", "The trail's records, filtered as on the supervisors' trail page, as an .xlsx workbook (supervisors).");
        return endpoints;
    }

    public static async Task<IResult> ExportAsync(
        string? project, string? action, string? actor, string? subject, ClaimsPrincipal principal, ITrailSupervision trail,
        IStringLocalizer<TrailResource> text, IStringLocalizer<SharedResource> shared, TimeProvider clock, CancellationToken cancellationToken)
    {
        var filter = new AuditLogFilter(action, actor, subject, Project: project);
        var (rows, total) = await Exporting.CollectAsync(async (skip, take) =>
        {
            var page = await trail.QueryLogAsync(filter, skip, take, cancellationToken);
            return (page.Items, page.Total);
        });
        string T(string key) => text[key];
        var sheet = new SpreadsheetSheet(T("Trail.ExportSheet"),
        [
            new(T("Trail.Column.Sequence"), CellKind.Integer), new(T("Trail.Column.At"), CellKind.Time), new(T("Trail.Column.Actor")),
            new(T("Trail.Column.Action")), new(T("Trail.ExportSubjectType")), new(T("Trail.Filter.Subject")), new(T("Trail.Column.Data")),
            new(T("Trail.ExportPreviousHash")), new(T("Trail.ExportHash")),
        ],
        rows.Select(e => (IReadOnlyList<object?>)
        [
            e.Sequence, e.OccurredAt, e.Actor, e.Action, e.SubjectType, e.SubjectId, e.Data,
            Convert.ToHexStringLower(e.PreviousHash), Convert.ToHexStringLower(e.Hash),
        ]));
        var now = clock.GetUtcNow();
        return Spreadsheet.File(T("Trail.ExportFileName") + (string.IsNullOrWhiteSpace(project) ? string.Empty : "-" + project.Trim()), now,
        [
            sheet,
            Exporting.About(shared, now, principal, rows.Count, total,
                (T("Trail.Filter.Project"), project), (T("Trail.Filter.Action"), action), (T("Trail.Filter.Actor"), actor), (T("Trail.Filter.Subject"), subject)),
        ]);
    }
}
