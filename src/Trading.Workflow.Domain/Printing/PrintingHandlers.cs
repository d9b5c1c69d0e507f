using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Handlers;

namespace Trading.Workflow.Domain.Printing;

/// <summary>The process variables the printing service tasks set.</summary>
public static class PrintingVariables
{
    /// <summary>Out of <c>printing.issueOpeningRecord</c>: the issued documents' ids (verify: <c>/verify/{id}</c>), comma-separated per section.</summary>
    public const string OpeningRecordDocumentIds = "openingRecordDocumentIds";

    /// <summary>Out of <c>printing.issueEvaluationReport</c>: the issued document's id.</summary>
    public const string EvaluationReportDocumentId = "evaluationReportDocumentId";
}

/// <summary>
/// <c>printing.issueOpeningRecord</c>, after <c>openingClose</c>: the opening record of the section (variable
/// <c>sectionId</c>) or of every section of the project (business key = project code) whose opening closed, as a PDF,
/// in the engine's command. Sections re-tendered (no record) are skipped.
/// </summary>
public sealed class IssueOpeningRecordHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public const string HandlerName = "printing.issueOpeningRecord";

    public string Name => HandlerName;

    public string Description => "出具开标记录 PDF（二维码核验） / Issue the opening record as a PDF with a verify QR code";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var printer = context.Services.GetRequiredService<ProjectRecordPrinter>();
        var (projectId, sections) = await ProjectOfAsync(db, context);
        var closed = await db.Set<OpeningSession>().AsNoTracking()
            .Where(s => s.ProjectId == projectId && s.State == OpeningState.Closed).Select(s => s.SectionId).ToListAsync(context.CancellationToken);
        var issued = new List<Guid>();
        foreach (var sectionId in sections.Where(closed.Contains))
        {
            issued.Add((await printer.IssueOpeningRecordAsync(db, projectId, sectionId, "system:procedure", context.CancellationToken)).Id);
        }

        context.SetVariable(PrintingVariables.OpeningRecordDocumentIds, string.Join(',', issued));
    }

    internal static async Task<(Guid ProjectId, IReadOnlyList<Guid> Sections)> ProjectOfAsync(TradingDbContext db, ServiceTaskContext context)
    {
        var project = await ProjectLookup.RequireByBusinessKeyAsync(db, context.BusinessKey, PrintingRules.ProjectNotFound, context.CancellationToken);
        var named = context.TryGetVariable("sectionId", out var value) ? value : null;
        IReadOnlyList<Guid> sections = named switch
        {
            Guid id => [id],
            string text when Guid.TryParse(text, out var parsed) => [parsed],
            _ => [.. project.Sections.OrderBy(s => s.Number).Select(s => s.Id)],
        };
        return (project.Id, sections);
    }
}

/// <summary>
/// <c>printing.issueEvaluationReport</c>, once the committee confirmed its report: the evaluation report as a PDF in the
/// engine's command (fails, and the engine retries, while the report is not confirmed).
/// </summary>
public sealed class IssueEvaluationReportHandler(ITradingDatabase database) : IServiceTaskHandler
{
    public const string HandlerName = "printing.issueEvaluationReport";

    public string Name => HandlerName;

    public string Description => "出具评标报告 PDF（二维码核验） / Issue the confirmed evaluation report as a PDF with a verify QR code";

    public async ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = database.For(context);
        var printer = context.Services.GetRequiredService<ProjectRecordPrinter>();
        var (projectId, _) = await IssueOpeningRecordHandler.ProjectOfAsync(db, context);
        var issued = await printer.IssueEvaluationReportAsync(db, projectId, "system:procedure", context.CancellationToken);
        context.SetVariable(PrintingVariables.EvaluationReportDocumentId, issued.Id.ToString());
    }
}
