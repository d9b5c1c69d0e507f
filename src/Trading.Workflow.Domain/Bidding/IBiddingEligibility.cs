using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>Who may bid for a section: the one question the bidding engine asks the deposits and registrations.</summary>
public interface IBiddingEligibility
{
    /// <summary>Every reason the entity may not bid for the section (empty: eligible), as rule codes.</summary>
    Task<IReadOnlyList<string>> ProblemsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Eligible = an active participation (the registration approved, not withdrawn or disqualified: <c>Domain/Participations</c>)
/// and the deposit arrived in full or covered by an accepted guarantee (<c>Domain/Deposits</c>).
/// </summary>
public sealed class DepositAndRegistrationEligibility(ITradingDatabase database, DepositQueries deposits) : IBiddingEligibility
{
    public const string RegistrationMissing = "Bidding.RegistrationMissing";
    public const string DepositMissing = "Bidding.DepositMissing";

    public async Task<IReadOnlyList<string>> ProblemsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        await using (var db = database.Create())
        {
            var active = await db.Set<Participation>().AsNoTracking()
                .AnyAsync(p => p.SectionId == sectionId && p.EntityId == entityId && p.State == ParticipationState.Active, cancellationToken);
            if (!active)
            {
                problems.Add(RegistrationMissing);
            }
        }

        var section = await deposits.SectionDepositsAsync(sectionId, cancellationToken);
        var deposit = section?.Participants.FirstOrDefault(p => p.EntityId == entityId);
        if (deposit is null || deposit.State is not (DepositState.Paid or DepositState.Guaranteed))
        {
            problems.Add(DepositMissing);
        }

        return problems;
    }
}
