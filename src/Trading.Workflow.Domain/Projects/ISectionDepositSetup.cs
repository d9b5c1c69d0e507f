using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// Configures the deposits of a submitted project's sections that ask one (implemented by the deposits part, which
/// the projects part does not reference). Called by <see cref="ProjectService.SubmitAsync"/> with the engine start's
/// context, so the deposit terms commit or roll back with the submission.
/// </summary>
public interface ISectionDepositSetup
{
    Task ConfigureAsync(TradingDbContext db, Project project, string actor, CancellationToken cancellationToken);
}
