using Trading.Workflow.Domain.Access;

namespace Trading.Workflow.Web.Access;

// Until the projects and market modules are merged, no project and no membership exists: every instance keeps the
// earlier rules. Replaced by the directories over tr_projects and the market memberships when they are merged.
internal sealed class InterimProjectDirectory : IProjectDirectory
{
    public Task<ProjectRef?> FindByCodeAsync(string code, CancellationToken cancellationToken = default) => Task.FromResult<ProjectRef?>(null);

    public Task<ProjectRef?> FindByIdAsync(Guid projectId, CancellationToken cancellationToken = default) => Task.FromResult<ProjectRef?>(null);

    public Task<IReadOnlyList<string>> CodesAsync(ProjectSelection selection, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([]);
}

internal sealed class InterimActingEntities : IActingEntities
{
    public Task<IReadOnlyCollection<Guid>> EntitiesOfAsync(string accountId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyCollection<Guid>>([]);
}
