using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Evaluation;

/// <summary>The experts part's question before a draw: has the tenderee set the project's evaluation method?</summary>
internal sealed class EvaluationMethodCheck : IEvaluationMethodCheck
{
    public Task<bool> IsMethodSetAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<EvaluationPlan>().AsNoTracking().AnyAsync(p => p.ProjectId == projectId, cancellationToken);
    }
}
