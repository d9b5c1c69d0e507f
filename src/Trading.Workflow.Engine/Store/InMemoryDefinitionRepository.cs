using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Store;

/// <summary>Deployed versions in memory: every deployment is published at once as version n+1.</summary>
public sealed class InMemoryDefinitionRepository : IDefinitionRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<DeployedProcess>> _versions = new(StringComparer.Ordinal);

    public ValueTask<DeployedProcess> AddAsync(ProcessModel process, DateTimeOffset deployedAt, string? deployedBy, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_versions.TryGetValue(process.Id, out var list))
            {
                list = [];
                _versions[process.Id] = list;
            }

            var deployed = new DeployedProcess(process, list.Count + 1, deployedAt, deployedBy);
            list.Add(deployed);
            return ValueTask.FromResult(deployed);
        }
    }

    public ValueTask<DeployedProcess?> GetLatestAsync(string processId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_versions.TryGetValue(processId, out var list) ? list[^1] : null);
        }
    }

    public ValueTask<DeployedProcess?> GetAsync(string processId, int version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_versions.TryGetValue(processId, out var list) && version >= 1 && version <= list.Count ? list[version - 1] : null);
        }
    }

    public ValueTask<IReadOnlyList<DeployedProcess>> GetAllLatestAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var result = new List<DeployedProcess>(_versions.Count);
            foreach (var list in _versions.Values)
            {
                result.Add(list[^1]);
            }

            return ValueTask.FromResult<IReadOnlyList<DeployedProcess>>(result);
        }
    }
}
