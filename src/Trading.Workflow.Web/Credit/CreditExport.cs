using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Web.Exports;

namespace Trading.Workflow.Web.Credit;

/// <summary>
/// <c>GET /supervision/credit/export.xlsx</c>: the credit records the supervisors' list shows, with its filters (the
/// same query as the export link the page builds), each with its decision, bar, issuer and any revocation.
/// </summary>
public static class CreditExport
{
    public const string Path = "/supervision/credit/export.xlsx";

    public static string PathFor(CreditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Exporting.WithQuery(Path, ("subject", filter.Subject), ("kind", filter.Kind?.ToString()), ("subjectKind", filter.SubjectKind?.ToString()),
            ("state", filter.Revoked switch { true => "revoked", false => "active", null => null }));
    }

    /// <summary>The list's filter from its fields or the export's address, as both read it.</summary>
    public static CreditFilter FilterOf(string? subject, string? kind, string? subjectKind, string? state) => new(
        Enum.TryParse<CreditSubjectKind>(subjectKind, out var sk) ? sk : null, null,
        string.IsNullOrWhiteSpace(subject) ? null : subject.Trim(),
        Enum.TryParse<CreditRecordKind>(kind, out var k) ? k : null,
        state switch { "active" => false, "revoked" => true, _ => null });

    public static IEndpointRouteBuilder MapCreditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExport(Path, ExportAsync, PlatformRoles.Supervisor,
            "Credit", "ExportCreditRecords", "The credit records (sanctions and good records), filtered as on the supervisors' list, as an .xlsx workbook.");
        return endpoints;
    }

    public static async Task<IResult> ExportAsync(
        string? subject, string? kind, string? subjectKind, string? state, ClaimsPrincipal principal, CreditService credit,
        IStringLocalizer<CreditResource> text, IStringLocalizer<SharedResource> shared, TimeProvider clock, CancellationToken cancellationToken)
    {
        var filter = FilterOf(subject, kind, subjectKind, state);
        var viewer = CreditAccess.ViewerOf(principal);
        var (rows, total) = await Exporting.CollectAsync(async (skip, take) => await credit.PageAsync(viewer, filter, skip, take, cancellationToken));
        string T(string key) => text[key];
        var today = credit.Today;
        var sheet = new SpreadsheetSheet(T("Export.Sheet"),
        [
            new(T("Column.Subject")), new(T("Column.Code")), new(T("Filter.SubjectKind")), new(T("Column.Kind")), new(T("Column.Category")),
            new(T("Column.Decision")), new(T("Column.DecidedOn"), CellKind.Date), new(T("Column.Basis")), new(T("Form.BarFrom"), CellKind.Date),
            new(T("Form.BarUntil"), CellKind.Date), new(T("Column.Reason")), new(T("Column.IssuedBy")), new(T("Export.RecordedAt"), CellKind.Time),
            new(T("Column.State")), new(T("Export.RevokedAt"), CellKind.Time), new(T("Export.RevokedBy")), new(T("Export.RevocationReason")),
        ],
        rows.Select(r => (IReadOnlyList<object?>)
        [
            r.SubjectName, r.SubjectCode, T($"SubjectKind.{r.SubjectKind}"), T($"Kind.{r.Kind}"), T($"Category.{r.Category}"),
            r.DecisionNumber, r.DecidedOn, r.LegalBasis, r.BarFrom, r.BarUntil, r.Reason, r.IssuedBy, r.RecordedAt,
            text.State(r, today), r.RevokedAt, r.RevokedBy, r.RevocationReason,
        ]));
        var now = clock.GetUtcNow();
        return Spreadsheet.File(T("Export.FileName"), now,
        [
            sheet,
            Exporting.About(shared, now, principal, rows.Count, total,
                (T("Filter.Subject"), filter.Subject), (T("Filter.Kind"), filter.Kind is { } fk ? T($"Kind.{fk}") : null),
                (T("Filter.SubjectKind"), filter.SubjectKind is { } fs ? T($"SubjectKind.{fs}") : null),
                (T("Filter.State"), filter.Revoked switch { true => T("Filter.Revoked"), false => T("Filter.Active"), null => null })),
        ]);
    }
}
