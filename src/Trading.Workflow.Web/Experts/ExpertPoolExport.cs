using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Web.Exports;

namespace Trading.Workflow.Web.Experts;

/// <summary>
/// <c>GET /experts/export.xlsx</c>: the expert pool as <c>/experts</c> lists it with its applied filters, with the
/// profile fields the same roles read on an expert's page (mobile, employer's code, the status's reason and date), for
/// the centre's annual review and the supervisors' checks.
/// </summary>
public static class ExpertPoolExport
{
    public const string Path = "/experts/export.xlsx";

    public static string PathFor(ExpertQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Exporting.WithQuery(Path, ("text", query.Text), ("specialty", query.Specialty), ("status", query.Status?.ToString()));
    }

    /// <summary>The pool's filter from its fields or the export's address, as both read it.</summary>
    public static ExpertQuery QueryOf(string? text, string? specialty, string? status) => new(
        string.IsNullOrWhiteSpace(text) ? null : text.Trim(),
        string.IsNullOrWhiteSpace(specialty) ? null : specialty.Trim(),
        Enum.TryParse<ExpertStatus>(status, out var s) && Enum.IsDefined(s) ? s : null);

    public static IEndpointRouteBuilder MapExpertPoolExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExport(Path, ExportAsync, $"{PlatformRoles.Staff},{PlatformRoles.Administrator},{PlatformRoles.Supervisor}",
            "Experts", "ExportExpertPool", "The expert pool, filtered as on /experts, as an .xlsx workbook.");
        return endpoints;
    }

    public static async Task<IResult> ExportAsync(
        string? text, string? specialty, string? status, ClaimsPrincipal principal, ExpertPoolService pool,
        IStringLocalizer<ExpertsResource> words, IStringLocalizer<SharedResource> shared, TimeProvider clock, CancellationToken cancellationToken)
    {
        var query = QueryOf(text, specialty, status);
        var experts = await pool.ListAsync(query, ExpertsWeb.Actor(principal), cancellationToken);
        string T(string key) => words[key];
        var sheet = new SpreadsheetSheet(T("Export.Sheet"),
        [
            new(T("Profile.Name")), new(T("Pool.Account")), new(T("Profile.JobTitle")), new(T("Profile.Specialties")), new(T("Profile.Employer")),
            new(T("Export.EmployerCode")), new(T("Export.Phone")), new(T("Pool.StatusFilter")), new(T("Export.StatusReason")),
            new(T("Export.StatusChangedAt"), CellKind.Time), new(T("Export.RegisteredAt"), CellKind.Time),
        ],
        experts.Select(e => (IReadOnlyList<object?>)
        [
            e.DisplayName, e.UserName, e.Profile.Title, Punctuation.Semicolons(e.Profile.Specialties.Select(ExpertsWeb.SpecialtyName)),
            e.Profile.Employer.Name, e.Profile.Employer.CreditCode, e.Profile.Phone, T("Pool.Status." + e.Status), e.StatusReason,
            e.StatusChangedAt, e.CreatedAt,
        ]));
        var now = clock.GetUtcNow();
        return Spreadsheet.File(T("Export.FileName"), now,
        [
            sheet,
            Exporting.About(shared, now, principal, experts.Count, experts.Count,
                (T("Pool.Search"), query.Text), (T("Pool.Specialty"), query.Specialty is { } code ? ExpertsWeb.SpecialtyName(code) : null),
                (T("Pool.StatusFilter"), query.Status is { } s ? T("Pool.Status." + s) : null)),
        ]);
    }
}
