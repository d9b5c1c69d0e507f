using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Web.Exports;

namespace Trading.Workflow.Web.Deposits;

/// <summary>
/// <c>GET /deposits/sections/{id}/ledger.xlsx</c>: a section's deposit ledger (保证金台账) as the section's page shows it
/// — totals, every bidder's deposit, the payments and the refund and forfeiture instructions — for reconciling with the
/// bank. Only who may see the page may take it; another centre's section reads as not found, as on the page. Each
/// export is recorded on the trail.
/// </summary>
public static class DepositLedgerExport
{
    public static string Path(Guid sectionId) => $"/deposits/sections/{sectionId:D}/ledger.xlsx";

    public static IEndpointRouteBuilder MapDepositLedgerExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExport("/deposits/sections/{sectionId:guid}/ledger.xlsx", ExportAsync, $"{PlatformRoles.Staff},{PlatformRoles.Supervisor}",
                "Deposits", "ExportDepositLedger", "A section's deposit ledger as an .xlsx workbook (staff of its centre or above, supervisors).")
            .Produces(StatusCodes.Status404NotFound);
        return endpoints;
    }

    public static async Task<IResult> ExportAsync(
        Guid sectionId, HttpContext http, DepositAccess access, DepositQueries queries, DepositService deposits,
        IStringLocalizer<DepositsResource> text, TimeProvider clock, CancellationToken cancellationToken)
    {
        var viewer = await access.ForRequestAsync(http.User, cancellationToken);
        var view = await queries.SectionDepositsAsync(sectionId, cancellationToken);
        var standing = view is null ? null : await access.StandingAsync(view.Section, cancellationToken);
        if (view is null || !viewer.MayView(standing))
        {
            return TypedResults.NotFound();
        }

        await deposits.RecordLedgerExportAsync(sectionId, viewer.UserName, cancellationToken);
        var now = clock.GetUtcNow();
        return Spreadsheet.File($"{text["Export.FileName"]}-{view.Section.SectionCode}", now, Sheets(view, text, viewer.UserName, now));
    }

    public static IReadOnlyList<SpreadsheetSheet> Sheets(SectionDeposits view, IStringLocalizer<DepositsResource> text, string exportedBy, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(text);
        var section = view.Section;
        var totals = view.Totals;
        string T(string key) => text[key];
        object?[] Line(string key, object? value) => [T(key), value];
        var summary = new SpreadsheetSheet(T("Export.SheetSummary"), [new(T("Export.Item")), new(T("Export.Value"))],
        [
            Line("Column.Project", $"{section.ProjectCode} {section.ProjectName}"),
            Line("Column.Section", section.SectionCode),
            Line("Column.Subject", section.SectionSubject),
            Line("Column.Required", section.Amount),
            Line("Export.Received", totals.Received),
            Line("Export.Held", totals.Held),
            Line("Export.InSuspense", totals.InSuspense),
            Line("Export.Refunded", totals.Refunded),
            Line("Export.InterestPaid", totals.InterestPaid),
            Line("Export.Forfeited", totals.Forfeited),
            Line("Export.Converted", totals.Converted),
            Line("Export.Balance", T(totals.Balanced ? "Section.Balanced" : "Section.Unbalanced")),
            Line("Export.At", Forms.FormValues.FormatTime(at)),
            Line("Export.By", exportedBy),
        ]);
        var participants = new SpreadsheetSheet(T("Section.Participants"),
        [
            new(T("Column.Entity")), new(T("Column.SubAccount")), new(T("Column.Required"), CellKind.Money),
            new(T("Column.Held"), CellKind.Money), new(T("Column.State")), new(T("Column.Guarantee")),
        ],
        view.Participants.Select(p => (IReadOnlyList<object?>)
        [
            p.EntityName, p.AccountNumber, p.Required, p.Held,
            T($"State.{p.State}") + (p.Flagged ? $" ({T("Payment.Flagged")})" : string.Empty),
            p.Guarantee is { } g ? $"{g.Issuer} {g.Number} {g.Amount:0.00} {T(g.Accepted ? "Guarantee.Accepted" : "Guarantee.Refused")}" : null,
        ]));
        var payments = new SpreadsheetSheet(T("Section.Payments"),
        [
            new(T("Column.ReceivedAt"), CellKind.Time), new(T("Column.Transaction")), new(T("Column.Amount"), CellKind.Money),
            new(T("Column.Payer")), new(T("Export.PayerBank")), new(T("Export.PayerAccount")), new(T("Column.Reference")),
            new(T("Column.Entity")), new(T("Column.Match")),
        ],
        view.Payments.Select(p => (IReadOnlyList<object?>)
        [
            p.ReceivedAt, p.BankTransactionId, p.Amount, p.PayerName, p.PayerBank, p.PayerAccount, p.Reference, p.EntityName,
            T($"Match.{p.Match}") + (p.Flagged ? $" ({T("Payment.Flagged")})" : string.Empty),
        ]));
        var instructions = new SpreadsheetSheet(T("Export.SheetInstructions"),
        [
            new(T("Column.Kind")), new(T("Column.Entity")), new(T("Column.Principal"), CellKind.Money), new(T("Column.Interest"), CellKind.Money),
            new(T("Column.ToAccount")), new(T("Column.State")), new(T("Column.Attempts"), CellKind.Integer),
            new(T("Export.DecidedAt"), CellKind.Time), new(T("Export.PaidAt"), CellKind.Time),
        ],
        view.Instructions.Select(i => (IReadOnlyList<object?>)
        [
            T($"Instruction.{i.Kind}"), i.EntityName, i.Principal, i.Interest, i.ToAccount,
            T($"InstructionState.{i.State}") + (i.LastError is { } e ? $" ({e})" : string.Empty), i.Attempts, i.DecidedAt, i.PaidAt,
        ]));
        return [summary, participants, payments, instructions];
    }
}
