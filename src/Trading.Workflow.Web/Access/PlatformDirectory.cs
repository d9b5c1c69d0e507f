using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Access;

/// <summary>Accounts and the centre hierarchy for the access rules, read from the web's Identity store and trading centres.</summary>
public sealed class PlatformDirectory(IServiceScopeFactory scopes) : IPlatformDirectory
{
    public async Task<PlatformAccount?> FindAccountAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var account = await db.Users.AsNoTracking()
            .Where(u => u.UserName == userId)
            .Select(u => new { u.Id, u.UserName, u.CentreId })
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            return null;
        }

        var roles = await db.UserRoles.AsNoTracking()
            .Where(ur => ur.UserId == account.Id)
            .Join(db.Roles.AsNoTracking(), ur => ur.RoleId, r => r.Id, (_, r) => r.Name!)
            .ToListAsync(cancellationToken);
        return new PlatformAccount(account.UserName!, account.Id, [.. roles.Where(PlatformRoles.IsKnown)], account.CentreId);
    }

    public async Task<IReadOnlyList<Guid>> ParentsOfAsync(Guid centreId, CancellationToken cancellationToken = default)
    {
        var parents = await ParentMapAsync(cancellationToken);
        var result = new List<Guid>();
        var current = centreId;
        while (parents.TryGetValue(current, out var parent) && parent is { } p && !result.Contains(p))
        {
            result.Add(p);
            current = p;
        }

        return result;
    }

    public async Task<IReadOnlyList<Guid>> WithDescendantsAsync(Guid centreId, CancellationToken cancellationToken = default)
    {
        var parents = await ParentMapAsync(cancellationToken);
        var result = new List<Guid> { centreId };
        for (var i = 0; i < result.Count; i++)
        {
            result.AddRange(parents.Where(p => p.Value == result[i] && !result.Contains(p.Key)).Select(p => p.Key));
        }

        return result;
    }

    // Centres are few (a province has a few dozen): one read of the whole hierarchy.
    private async Task<Dictionary<Guid, Guid?>> ParentMapAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.TradingCentres.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.ParentId, cancellationToken);
    }
}
