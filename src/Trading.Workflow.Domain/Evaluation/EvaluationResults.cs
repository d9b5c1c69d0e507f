using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>The confirmed report as award, publicity and the archive read it; null until every member answered.</summary>
public sealed class EvaluationResults(ITradingDatabase database) : IEvaluationResults
{
    public async Task<EvaluationReport?> GetConfirmedReportAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var evaluation = await db.Set<Evaluation>().AsNoTracking().SingleOrDefaultAsync(e => e.ProjectId == projectId, cancellationToken);
        if (evaluation is not { State: EvaluationState.Confirmed, ConfirmedAt: { } confirmedAt })
        {
            return null;
        }

        var chair = await db.Set<EvaluationMember>().AsNoTracking()
            .Where(m => m.EvaluationId == evaluation.Id && m.UserName == evaluation.ChairUserName && m.State == MemberState.Active)
            .Select(m => m.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? evaluation.ChairUserName ?? string.Empty;
        return ToReport(evaluation, chair, confirmedAt);
    }

    public static EvaluationReport ToReport(Evaluation evaluation, string chair, DateTimeOffset confirmedAt)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var method = evaluation.Method.Kind.ToString();
        return new EvaluationReport(evaluation.Id, evaluation.ProjectId, confirmedAt, chair, evaluation.Summary ?? string.Empty,
        [
            .. evaluation.Outcomes.Select(o => new SectionEvaluationResult(o.SectionId, o.SectionCode, method,
                [.. o.Candidates(evaluation.Method.CandidateCount).Select(c => new RankedCandidate(c.Rank!.Value, c.EntityId, c.EntityName, c.Price, c.Total))],
                [.. o.Bids.Select(b => new EvaluatedBidder(b.EntityId, b.EntityName, b.Price, b.Rejected, b.RejectionReason?.ToString(), b.Total))])),
        ]);
    }
}
