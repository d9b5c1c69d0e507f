using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Bidding;

/// <summary>Who may bid for a section: the one question the bidding engine asks the deposits and registrations.</summary>
public interface IBiddingEligibility
{
    /// <summary>Every reason the entity may not bid for the section (empty: eligible), as rule codes.</summary>
    Task<IReadOnlyList<string>> ProblemsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same question asked by the lot's writer inside the transaction that records the admission (open on
    /// <paramref name="connection"/>): first takes whatever lock a refund of the deposit takes, so the answer cannot be
    /// overtaken by a refund before the admission commits. Without deposits to lock: <see cref="ProblemsAsync"/>.
    /// </summary>
    Task<IReadOnlyList<string>> ProblemsForAdmissionAsync(DbConnection connection, DbTransaction? transaction, Guid sectionId, Guid entityId, CancellationToken cancellationToken) =>
        ProblemsAsync(sectionId, entityId, cancellationToken);
}

/// <summary>
/// Eligible = an active participation (the registration approved, not withdrawn or disqualified: <c>Domain/Participations</c>)
/// and the deposit arrived in full or covered by an accepted guarantee (<c>Domain/Deposits</c>), and no sanction in force bars
/// the entity (<c>Domain/Credit</c>, <see cref="MarketRules.Barred"/>).
/// </summary>
public sealed class DepositAndRegistrationEligibility(ITradingDatabase database, DepositQueries deposits, TimeProvider time) : IBiddingEligibility
{
    public const string RegistrationMissing = "Bidding.RegistrationMissing";
    public const string DepositMissing = "Bidding.DepositMissing";

    /// <summary>The deposit arrived but is no longer held: refund decided or paid, or forfeited.</summary>
    public const string DepositReleased = "Bidding.DepositReleased";

    /// <summary>
    /// Takes the deposit section's lock (<see cref="DepositSectionLock"/>, the one <see cref="DepositService.RefundAsync"/>
    /// takes before asking the guards), then reads what is committed: a refund decided first is seen here, and a refund
    /// asked after waits for the admission and is held by <see cref="LotDepositRefundGuard"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> ProblemsForAdmissionAsync(DbConnection connection, DbTransaction? transaction, Guid sectionId, Guid entityId, CancellationToken cancellationToken)
    {
        await DepositSectionLock.TakeAsync(connection, transaction, sectionId, cancellationToken);
        return await ProblemsAsync(sectionId, entityId, cancellationToken);
    }

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

            // A bar recorded during the listing period stops the next bid (取消投标资格).
            if (await CreditService.ActiveBarAsync(db, CreditSubjectKind.MarketEntity, entityId, MarketEntityService.ChinaDay(time.GetUtcNow()), cancellationToken) is not null)
            {
                problems.Add(MarketRules.Barred);
            }
        }

        var section = await deposits.SectionDepositsAsync(sectionId, cancellationToken);
        var deposit = section?.Participants.FirstOrDefault(p => p.EntityId == entityId);
        if (deposit is { State: DepositState.Refunding or DepositState.Refunded or DepositState.Forfeited })
        {
            problems.Add(DepositReleased);
        }
        else if (deposit is null || deposit.State is not (DepositState.Paid or DepositState.Guaranteed))
        {
            problems.Add(DepositMissing);
        }

        return problems;
    }
}
