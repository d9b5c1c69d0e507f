using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Market;

/// <summary>Loads the entity and applies <see cref="MarketEntity.CheckEligibility"/> on the day in China, then adds a bar by a sanction in force (<c>Domain/Credit</c>).</summary>
internal sealed class ParticipationEligibility(ITradingDatabase database) : IParticipationEligibility
{
    public Task<Eligibility> CheckAsync(Guid entityId, IReadOnlyCollection<string> requiredQualificationKinds, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        CheckAsync(entityId, [.. requiredQualificationKinds.Select(kind => new QualificationRequirement(kind, []))], at, cancellationToken);

    public async Task<Eligibility> CheckAsync(Guid entityId, IReadOnlyCollection<QualificationRequirement> requirements, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        await using var db = database.Create();
        var entity = await db.Set<MarketEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == entityId, cancellationToken);
        if (entity is null)
        {
            return new Eligibility([new EligibilityProblem(MarketRules.EntityNotFound, $"No market entity {entityId}.")]);
        }

        var day = MarketEntityService.ChinaDay(at);
        var check = entity.CheckEligibility(day, requirements);
        return await CreditService.ActiveBarAsync(db, CreditSubjectKind.MarketEntity, entityId, day, cancellationToken) is { } bar
            ? new Eligibility([.. check.Problems, new EligibilityProblem(MarketRules.Barred,
                $"A sanction ({bar.DecisionNumber}) bars the entity from taking part until {bar.BarUntil:yyyy-MM-dd}.", BarredUntil: bar.BarUntil, Decision: bar.DecisionNumber)])
            : check;
    }
}
