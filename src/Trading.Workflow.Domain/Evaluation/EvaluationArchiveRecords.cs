using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>
/// The evaluation's records in a project's archive: <c>records/evaluation-report.json</c> (the confirmed report) and
/// <c>records/evaluation-sheets/NN-&lt;member&gt;.json</c>, each committee member's own record (个人评审记录) in the
/// committee's order: the qualification decision on each bid (with the ground of a rejection and the member's note), the
/// criteria scores, the sheet's state (a replaced member's is voided), and the member's answer to the report
/// (agreement, dissent with its reasons). Registered by <c>AddEvaluation()</c>, so a trade without an evaluation (a
/// grant) archives without the evaluation's tables.
/// </summary>
internal sealed class EvaluationArchiveRecords(IEvaluationResults results) : IArchiveRecords
{
    public async Task AddAsync(ArchivePackageWriter package, TradingDbContext db, Project project, CancellationToken cancellationToken)
    {
        if (await results.GetConfirmedReportAsync(db, project.Id, cancellationToken) is { } report)
        {
            await package.AddJsonAsync("evaluation-report.json", report, $"evaluation-report:{report.Id}", cancellationToken);
        }

        var evaluation = await db.Set<Evaluation>().AsNoTracking().FirstOrDefaultAsync(e => e.ProjectId == project.Id, cancellationToken);
        if (evaluation is null)
        {
            return;
        }

        var members = await db.Set<EvaluationMember>().AsNoTracking().Where(m => m.EvaluationId == evaluation.Id).ToListAsync(cancellationToken);
        var sheets = await db.Set<EvaluationSheet>().AsNoTracking().Where(s => s.EvaluationId == evaluation.Id).ToListAsync(cancellationToken);
        var bids = evaluation.Sections.SelectMany(s => s.Bids.Select(b => (Section: s.Code, Bid: b))).ToDictionary(x => x.Bid.BidId);
        var number = 0;
        foreach (var member in members.OrderBy(m => m.Position).ThenBy(m => m.JoinedAt))
        {
            number++;
            await package.AddJsonAsync($"evaluation-sheets/{number:00}-{ArchivePackageWriter.SafeName(member.DisplayName)}.json", new
            {
                evaluationId = evaluation.Id,
                method = evaluation.Method.Kind.ToString(),
                member = new
                {
                    member.Id, member.ExpertId, member.UserName, member.DisplayName, member.IsTendereeRepresentative, member.Position,
                    Chair = member.UserName == evaluation.ChairUserName, State = member.State.ToString(), member.JoinedAt, member.ReplacedAt, member.ReplacementReason,
                    member.AskedForTimeAt,
                },
                sheets = sheets.Where(s => s.MemberId == member.Id).OrderBy(s => s.UpdatedAt).Select(s => new
                {
                    s.Id, State = s.State.ToString(), s.UpdatedAt, s.SubmittedAt,
                    reviews = s.Reviews.Select(r => new
                    {
                        r.BidId,
                        Section = bids.TryGetValue(r.BidId, out var bid) ? bid.Section : null,
                        Bidder = bids.TryGetValue(r.BidId, out var named) ? named.Bid.EntityName : null,
                        Price = bids.TryGetValue(r.BidId, out var priced) ? priced.Bid.Price : (decimal?)null,
                        Verdict = r.Verdict.ToString(), RejectionReason = r.Reason?.ToString(), r.Note, r.Scores,
                    }),
                }),
                confirmation = new { Answer = member.Confirmation.ToString(), member.Dissent, member.ConfirmedAt },
            }, $"evaluation-member:{member.Id}", cancellationToken);
        }
    }
}
