using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>The confirmed report as award, publicity and the archive read it; null until every member answered.</summary>
public sealed class EvaluationResults(ITradingDatabase database) : IEvaluationResults
{
    public async Task<EvaluationReport?> GetConfirmedReportAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await GetConfirmedReportAsync(db, projectId, cancellationToken);
    }

    public async Task<EvaluationReport?> GetConfirmedReportAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Tracked on purpose: in a command the context may hold the evaluation as this command confirmed it (not saved
        // yet); a tracked query returns that instance, not the row as it stands in the database.
        var evaluation = await db.Set<Evaluation>().SingleOrDefaultAsync(e => e.ProjectId == projectId, cancellationToken);
        if (evaluation is not { State: EvaluationState.Confirmed, ConfirmedAt: { } confirmedAt })
        {
            return null;
        }

        var members = await db.Set<EvaluationMember>().Where(m => m.EvaluationId == evaluation.Id).ToListAsync(cancellationToken);
        var chair = members.FirstOrDefault(m => m.UserName == evaluation.ChairUserName && m.State == MemberState.Active)?.DisplayName
                    ?? evaluation.ChairUserName ?? string.Empty;
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
