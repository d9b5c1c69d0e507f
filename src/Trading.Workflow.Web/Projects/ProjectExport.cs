using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Web.Exports;

namespace Trading.Workflow.Web.Projects;

/// <summary>
/// <c>GET /projects/export.xlsx</c>: the project list (项目台账) with the page's filters, every project the user may read
/// (the page's scope), up to <see cref="Exporting.MaxRows"/> rows, newest first.
/// </summary>
public static class ProjectExport
{
    public const string Path = "/projects/export.xlsx";

    public static string PathFor(string? search, string? tradeType, ProjectState? state) =>
        Exporting.WithQuery(Path, ("search", search), ("tradeType", tradeType), ("state", state?.ToString()));

    public static IEndpointRouteBuilder MapProjectExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExport(Path, ExportAsync, $"{PlatformRoles.Tenderee},{PlatformRoles.Staff},{PlatformRoles.Supervisor},{PlatformRoles.Administrator}",
            "Projects", "ExportProjects", "The projects the caller may see, filtered as on the list page, as an .xlsx workbook.");
        return endpoints;
    }

    public static async Task<IResult> ExportAsync(
        string? search, string? tradeType, ProjectState? state, ClaimsPrincipal principal, ProjectActors actors, ProjectService projects,
        IStringLocalizer<ProjectsResource> text, IStringLocalizer<SharedResource> shared, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = await actors.ForAsync(principal, cancellationToken);
        var (rows, total) = await Exporting.CollectAsync(async (skip, take) =>
        {
            var page = await projects.ListAsync(actor, new ProjectFilter { Search = search, TradeType = tradeType, State = state, Skip = skip, Take = take }, cancellationToken);
            return (page.Rows, page.Total);
        });
        string T(string key) => text[key];
        var sheet = new SpreadsheetSheet(T("Projects.Title"),
        [
            new(T("Projects.Col.Code")), new(T("Projects.Col.Name")), new(T("Projects.Col.TradeType")), new(T("Projects.Col.Method")),
            new(T("Projects.Col.Owner")), new(T("Projects.Col.Price"), CellKind.Money), new(T("Projects.Col.State")),
            new(T("Projects.Col.RegisteredAt"), CellKind.Time),
        ],
        rows.Select(p => (IReadOnlyList<object?>)
        [
            p.Code, p.Name, T($"TradeType.{p.TradeType}"), T($"TradeMethod.{p.Method}"), p.OwnerName, p.EstimatedPrice,
            T($"ProjectState.{p.State}"), p.RegisteredAt,
        ]));
        var now = clock.GetUtcNow();
        return Spreadsheet.File(T("Projects.ExportFileName"), now, [sheet, Exporting.About(shared, now, principal, rows.Count, total,
            (T("Projects.Filter.Search"), search), (T("Projects.Filter.TradeType"), tradeType is null ? null : T($"TradeType.{tradeType}")),
            (T("Projects.Filter.State"), state is { } s ? T($"ProjectState.{s}") : null))]);
    }
}
