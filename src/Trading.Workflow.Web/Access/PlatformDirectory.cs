using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Access;

/// <summary>The centre hierarchy for the access rules, read from the web's trading centres.</summary>
public sealed class PlatformDirectory(IServiceScopeFactory scopes) : IPlatformDirectory
{
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
