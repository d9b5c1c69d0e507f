using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Projects;

/// <summary>Why a project's procedure may not take its next step now (the rule code the pages localize, and until when).</summary>
public sealed record ProcedureHold(string RuleCode, string Message, DateTimeOffset? AnswerDueAt);

/// <summary>
/// A trade's reason to hold a project's procedure (e.g. an unanswered objection to the tender documents, 条例 22): the
/// shared steps (the bid opening, the evaluation) ask every registered hold before they start, without knowing the trade.
/// </summary>
public interface IProcedureHold
{
    /// <summary>The hold on the project (or on the section, when given), or null when nothing holds it.</summary>
    Task<ProcedureHold?> FindAsync(TradingDbContext db, Guid projectId, Guid? sectionId, CancellationToken cancellationToken);
}

public static class ProcedureHolds
{
    /// <summary>Refuses with the first hold's rule, in the caller's transaction, so nothing of the step is saved.</summary>
    public static async Task CheckAsync(IServiceProvider services, TradingDbContext db, Guid projectId, Guid? sectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var hold in services.GetServices<IProcedureHold>())
        {
            if (await hold.FindAsync(db, projectId, sectionId, cancellationToken) is { } found)
            {
                throw new DomainRuleException(found.RuleCode, found.Message);
            }
        }
    }
}
