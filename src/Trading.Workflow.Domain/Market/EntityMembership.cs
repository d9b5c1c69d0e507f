using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Market;

/// <summary>Reads memberships from tr_market_members.</summary>
internal sealed class EntityMembership(ITradingDatabase database) : IEntityMembership
{
    public async Task<IReadOnlyList<EntityMembershipInfo>> EntitiesOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var entities = await db.Set<MarketEntity>().AsNoTracking()
            .Where(e => e.Members.Any(m => m.UserId == userId))
            .ToListAsync(cancellationToken);
        return [.. entities
            .Select(e => new EntityMembershipInfo(e.Id, e.Name, e.Identifier, e.Kind, e.IsAdministrator(userId), e.Verified is not null))
            .OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    public async Task<bool> IsMemberAsync(Guid entityId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<MarketEntity>().AnyAsync(e => e.Id == entityId && e.Members.Any(m => m.UserId == userId), cancellationToken);
    }

    public async Task<bool> IsAdministratorAsync(Guid entityId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<MarketEntity>()
            .AnyAsync(e => e.Id == entityId && e.Members.Any(m => m.UserId == userId && m.IsAdministrator), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> MembersOfAsync(Guid entityId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        var entity = await db.Set<MarketEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == entityId, cancellationToken);
        return entity is null
            ? []
            : [.. entity.Members.OrderByDescending(m => m.IsAdministrator).ThenBy(m => m.JoinedAt).Select(m => m.UserId)];
    }
}
