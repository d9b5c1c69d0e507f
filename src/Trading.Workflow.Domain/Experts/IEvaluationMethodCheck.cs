using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Experts;

/// <summary>
/// What a committee request needs to know of the evaluation: whether the tenderee has set the project's evaluation
/// method (the one its tender documents set). A committee drawn before it would sit idle at the evaluation's start, so
/// <see cref="CommitteeService.RequestAsync"/> refuses the draw (<see cref="ExpertRules.EvaluationMethodRequired"/>)
/// until it is set. Implemented by the evaluation part; a host without it draws without the check.
/// </summary>
public interface IEvaluationMethodCheck
{
    /// <summary>Reads in the caller's transaction whether the project's evaluation method is set.</summary>
    Task<bool> IsMethodSetAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken = default);
}
