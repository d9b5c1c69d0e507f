using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// The basic accounts and memberships of market entities, read from the market tables (tr_market_*): only a
/// verified profile counts, so a payment is checked against the account staff verified, and only verified entities
/// may pay deposits (an unverified one cannot take part).
/// </summary>
public sealed class MarketBasicAccountLookup(ITradingDatabase database) : IBasicAccountLookup
{
    public async Task<BasicAccount?> FindAsync(Guid entityId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var entity = await db.Set<MarketEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == entityId, cancellationToken);
        return entity?.Verified is { BasicAccount: { } account } profile
            ? new BasicAccount(entity.Id, profile.Name, account.Bank, account.AccountName, string.Concat(account.AccountNumber.Where(char.IsAsciiDigit)))
            : null;
    }

    public async Task<bool> IsNaturalPersonAsync(Guid entityId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        return await db.Set<MarketEntity>().AsNoTracking().AnyAsync(e => e.Id == entityId && e.Kind == EntityKind.NaturalPerson, cancellationToken);
    }

    public async Task<string?> NaturalPersonNameAsync(Guid entityId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var entity = await db.Set<MarketEntity>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == entityId && e.Kind == EntityKind.NaturalPerson, cancellationToken);
        return entity?.Verified?.Name;
    }

    public async Task<IReadOnlyList<DepositorEntity>> EntitiesOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = database.Create();
        var entities = await db.Set<MarketEntity>().AsNoTracking()
            .Where(e => e.Members.Any(m => m.UserId == userId))
            .ToListAsync(cancellationToken);
        return [.. entities.Where(e => e.Verified is not null).Select(e => new DepositorEntity(e.Id, e.Verified!.Name, e.Kind == EntityKind.NaturalPerson)).OrderBy(e => e.Name, StringComparer.Ordinal)];
    }
}
