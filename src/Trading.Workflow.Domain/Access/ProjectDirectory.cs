using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Access;

/// <summary><see cref="IProjectDirectory"/> over the projects module's tr_projects.</summary>
public sealed class ProjectDirectory(ITradingDatabase database) : IProjectDirectory
{
    public async Task<ProjectRef?> FindByCodeAsync(string code, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        await using var db = database.Create();
        return await db.Set<Project>().AsNoTracking()
            .Where(p => p.Code == code)
            .Select(p => new ProjectRef(p.Id, p.Code, p.CentreId, p.OwnerEntityId, p.AgencyEntityId))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<ProjectRef?> FindByIdAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Project>().AsNoTracking()
            .Where(p => p.Id == projectId)
            .Select(p => new ProjectRef(p.Id, p.Code, p.CentreId, p.OwnerEntityId, p.AgencyEntityId))
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> CodesAsync(ProjectSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.IsEmpty)
        {
            return [];
        }

        var centres = selection.CentreIds.ToList();
        var entities = selection.OwnerOrAgencyEntityIds.ToList();
        var ids = selection.ProjectIds.ToList();
        await using var db = database.Create();
        return await db.Set<Project>().AsNoTracking()
            .Where(p => centres.Contains(p.CentreId)
                        || entities.Contains(p.OwnerEntityId)
                        || (p.AgencyEntityId != null && entities.Contains(p.AgencyEntityId.Value))
                        || ids.Contains(p.Id))
            .Select(p => p.Code)
            .ToListAsync(cancellationToken);
    }
}

/// <summary><see cref="IActingEntities"/> over the market module's memberships.</summary>
public sealed class MarketActingEntities(IEntityMembership membership) : IActingEntities
{
    public async Task<IReadOnlyCollection<Guid>> EntitiesOfAsync(string accountId, CancellationToken cancellationToken = default) =>
        [.. (await membership.EntitiesOfAsync(accountId, cancellationToken)).Select(e => e.EntityId)];
}
