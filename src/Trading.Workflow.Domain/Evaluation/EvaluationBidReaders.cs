using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>
/// Who reads decrypted bids once the evaluation has opened: the active members of the project's committee while the
/// evaluation runs, and supervisors of the project (who oversee the evaluation). Nobody else: not the tenderee, the
/// centre's staff, other bidders or administrators.
/// </summary>
public sealed class EvaluationBidReaders(ITradingDatabase database, IProjectAuthorization authorization) : IBidReaders
{
    public async ValueTask<bool> MayReadAsync(ProjectPrincipal user, OpeningSession session, OpeningBid bid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(session);
        await using var db = database.Create();
        var evaluation = await db.Set<Evaluation>().AsNoTracking().Where(e => e.ProjectId == session.ProjectId)
            .Select(e => new { e.Id, e.State }).SingleOrDefaultAsync(cancellationToken);
        if (evaluation is null)
        {
            return false;
        }

        if (user.IsInRole(PlatformRoles.Supervisor))
        {
            return await authorization.CanAsync(user.UserId, session.ProjectId, ProjectAction.ViewProject, null, cancellationToken);
        }

        return evaluation.State != EvaluationState.Confirmed
               && await db.Set<EvaluationMember>().AnyAsync(m => m.EvaluationId == evaluation.Id && m.UserName == user.UserId && m.State == MemberState.Active, cancellationToken);
    }
}
