using Trading.Workflow.Domain.Access;

namespace Trading.Workflow.Web.Access;

// Until the projects module is persisted, no project exists: every instance keeps the
// earlier rules. Replaced by ProjectDirectory over tr_projects when it is.
internal sealed class InterimProjectDirectory : IProjectDirectory
{
    public Task<ProjectRef?> FindByCodeAsync(string code, CancellationToken cancellationToken = default) => Task.FromResult<ProjectRef?>(null);

    public Task<ProjectRef?> FindByIdAsync(Guid projectId, CancellationToken cancellationToken = default) => Task.FromResult<ProjectRef?>(null);

    public Task<IReadOnlyList<string>> CodesAsync(ProjectSelection selection, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([]);
}
