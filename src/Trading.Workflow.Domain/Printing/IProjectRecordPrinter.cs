namespace Trading.Workflow.Domain.Printing;

/// <summary>
/// Issues the PDFs of the shared records from what the platform holds (nobody types them): the opening record of a
/// section's opening session and the committee's confirmed evaluation report of a project.
/// </summary>
public interface IProjectRecordPrinter
{
    /// <summary>
    /// Issues the opening record (开标记录) of a section (its closed opening session, from the signed record) as a PDF
    /// readable by the section's bidders and the tenderee; returns the one already issued when there is one.
    /// </summary>
    Task<IssuedDocument> IssueOpeningRecordAsync(Guid projectId, Guid sectionId, string issuedBy, CancellationToken cancellationToken = default);

    /// <summary>
    /// Issues the evaluation report (评标报告) of a project from <see cref="Evaluation.IEvaluationResults"/> as a PDF
    /// readable by the tenderee and the committee; returns the one already issued when there is one.
    /// Refused (Printing.ReportNotConfirmed) while the report is not confirmed by every member.
    /// </summary>
    Task<IssuedDocument> IssueEvaluationReportAsync(Guid projectId, string issuedBy, CancellationToken cancellationToken = default);
}
