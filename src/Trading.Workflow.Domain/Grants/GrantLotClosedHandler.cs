using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Grants;

/// <summary>
/// The grants' side of the bidding engine's close hook (<see cref="ILotClosedHandler"/>): when a grant's lot closes, its
/// procedure gets <see cref="GrantMessages.LotClosed"/>. Idempotent: an offering already past the wait (its own re-check
/// timer read the close first) or not yet waiting is left alone; the procedure reads the lot itself in any case.
/// </summary>
public sealed class GrantLotClosedHandler(ITradingDatabase database, IWorkflowEngine engine) : ILotClosedHandler
{
    public async Task OnLotClosedAsync(LotClosed closed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closed);
        string? code;
        await using (var db = database.Create())
        {
            code = await db.Set<GrantOffering>().AsNoTracking()
                .Where(o => o.LotId == closed.LotId && o.Stage == GrantStage.Announced)
                .Select(o => o.ProjectCode).FirstOrDefaultAsync(cancellationToken);
        }

        if (code is null)
        {
            return;
        }

        try
        {
            await engine.CorrelateMessageAsync(new MessageCorrelation(GrantMessages.LotClosed) { BusinessKey = code, UserId = GrantService.ProcedureActor }, cancellationToken);
        }
        catch (WorkflowNotFoundException)
        {
            // Not waiting for the close: it reads the lot when it gets there.
        }
    }
}
