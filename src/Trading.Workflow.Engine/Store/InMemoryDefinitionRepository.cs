using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Store;

/// <summary>
/// Deployed versions in memory: every deployment is published at once as version n+1. A version can be retired
/// (<see cref="Retire"/>): it starts no new instances and the latest usable version is the newest one not retired.
/// </summary>
public sealed class InMemoryDefinitionRepository : IDefinitionRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<DeployedProcess>> _versions = new(StringComparer.Ordinal);
    private readonly HashSet<(string ProcessId, int Version)> _retired = [];

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

    /// <summary>Retires a deployed version: no new instances start on it; running ones go on.</summary>
    /// <returns>False when the version does not exist or is already retired.</returns>
    public bool Retire(string processId, int version)
    {
        lock (_lock)
        {
            return _versions.TryGetValue(processId, out var list) && version >= 1 && version <= list.Count && _retired.Add((processId, version));
        }
    }

    public ValueTask<DeployedProcess?> GetLatestAsync(string processId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_versions.TryGetValue(processId, out var list) ? LatestUsable(list) : null);
        }
    }

    public ValueTask<DeployedProcess?> GetAsync(string processId, int version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_versions.TryGetValue(processId, out var list) && version >= 1 && version <= list.Count ? list[version - 1] : null);
        }
    }

    public ValueTask<bool> IsRetiredAsync(string processId, int version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_retired.Contains((processId, version)));
        }
    }

    public ValueTask<IReadOnlyList<DeployedProcess>> GetAllLatestAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var result = new List<DeployedProcess>(_versions.Count);
            foreach (var list in _versions.Values)
            {
                if (LatestUsable(list) is { } latest)
                {
                    result.Add(latest);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<DeployedProcess>>(result);
        }
    }

    private DeployedProcess? LatestUsable(List<DeployedProcess> list)
    {
        if (_retired.Count == 0)
        {
            return list[^1];
        }

        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (!_retired.Contains((list[i].ProcessId, list[i].Version)))
            {
                return list[i];
            }
        }

        return null;
    }
}
