using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// <see cref="IProjectParties"/> on the market part: a user's verified organisations through
/// <see cref="IEntityMembership"/>, any verified organisation from tr_market_entities. A project's owner or agency is
/// an organisation; natural persons take part in trades, they do not own projects.
/// </summary>
internal sealed class MarketProjectParties(IEntityMembership membership, ITradingDatabase database) : IProjectParties
{
    public async Task<IReadOnlyList<PartyRef>> ActingForAsync(string identityUserId, CancellationToken cancellationToken = default) =>
        [.. (await membership.EntitiesOfAsync(identityUserId, cancellationToken))
            .Where(e => e.IsVerified && e.Kind == EntityKind.Organisation)
            .Select(e => new PartyRef(e.EntityId, e.Name))];

    public async Task<PartyRef?> FindVerifiedAsync(Guid entityId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var entity = await db.Set<MarketEntity>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == entityId, cancellationToken);
        return entity is { Verified: { } verified, Kind: EntityKind.Organisation } ? new PartyRef(entity.Id, verified.Name) : null;
    }

    public async Task<IReadOnlyList<PartyRef>> SearchVerifiedAsync(string text, int take, CancellationToken cancellationToken = default)
    {
        var query = text?.Trim() ?? string.Empty;
        if (query.Length == 0)
        {
            return [];
        }

        await using var db = database.Create();
        var entities = await db.Set<MarketEntity>().AsNoTracking()
            .Where(e => e.Kind == EntityKind.Organisation && (e.Name.Contains(query) || e.Identifier.Contains(query)))
            .OrderBy(e => e.Name).Take(Math.Clamp(take, 1, 50) * 2)
            .ToListAsync(cancellationToken);
        return [.. entities.Where(e => e.Verified is not null).Take(take).Select(e => new PartyRef(e.Id, e.Verified!.Name))];
    }
}
