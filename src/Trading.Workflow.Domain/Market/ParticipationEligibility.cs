using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Market;

/// <summary>Loads the entity and applies <see cref="MarketEntity.CheckEligibility"/> on the day in China.</summary>
internal sealed class ParticipationEligibility(ITradingDatabase database) : IParticipationEligibility
{
    public Task<Eligibility> CheckAsync(Guid entityId, IReadOnlyCollection<string> requiredQualificationKinds, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        CheckAsync(entityId, [.. requiredQualificationKinds.Select(kind => new QualificationRequirement(kind, []))], at, cancellationToken);

    public async Task<Eligibility> CheckAsync(Guid entityId, IReadOnlyCollection<QualificationRequirement> requirements, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        await using var db = database.Create();
        var entity = await db.Set<MarketEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == entityId, cancellationToken);
        return entity is null
            ? new Eligibility([new EligibilityProblem(MarketRules.EntityNotFound, $"No market entity {entityId}.")])
            : entity.CheckEligibility(MarketEntityService.ChinaDay(at), requirements);
    }
}
