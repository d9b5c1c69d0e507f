using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>A ranked candidate (中标候选人) of one section; at most three per section.</summary>
public sealed record RankedCandidate(int Rank, Guid EntityId, string EntityName, decimal Price, decimal? Score);

/// <summary>One section's outcome: the method used, the ranked candidates and every bidder that was evaluated
/// (rejected ones with their statutory reason).</summary>
public sealed record SectionEvaluationResult(
    Guid SectionId,
    string SectionCode,
    string Method,
    IReadOnlyList<RankedCandidate> Candidates,
    IReadOnlyList<EvaluatedBidder> Bidders);

public sealed record EvaluatedBidder(Guid EntityId, string EntityName, decimal Price, bool Rejected, string? RejectionReason, decimal? Score);

/// <summary>The evaluation report (评标报告) once every committee member has confirmed it.</summary>
public sealed record EvaluationReport(
    Guid Id, Guid ProjectId, DateTimeOffset ConfirmedAt, string ChairDisplayName, string Summary,
    IReadOnlyList<SectionEvaluationResult> Sections);

/// <summary>What award, publicity and the archive read of a finished evaluation. Implemented by the evaluation part.</summary>
public interface IEvaluationResults
{
    /// <summary>The confirmed report, read on a connection of its own (pages, services outside a command).</summary>
    Task<EvaluationReport?> GetConfirmedReportAsync(Guid projectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The confirmed report, read through the caller's context and transaction (a service-task handler passes the
    /// command's <c>ITradingDatabase.For(context)</c>): what the same command confirmed is seen before it commits.
    /// </summary>
    Task<EvaluationReport?> GetConfirmedReportAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken = default);
}
