using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Store;

/// <summary>A deployed version of a process.</summary>
public sealed class DeployedProcess(ProcessModel model, int version, DateTimeOffset deployedAt, string? deployedBy)
{
    public ProcessModel Model { get; } = model;

    public string ProcessId => Model.Id;

    public int Version { get; } = version;

    public DateTimeOffset DeployedAt { get; } = deployedAt;

    public string? DeployedBy { get; } = deployedBy;

    public ProcessDefinitionInfo ToInfo() => new(ProcessId, Version, Model.Name, DeployedAt, DeployedBy);
}

/// <summary>
/// Deployed process versions. "Latest usable" is the newest version that may start instances; the durable store
/// adds drafts, publishing and retiring behind the same interface.
/// </summary>
public interface IDefinitionRepository
{
    /// <summary>Adds the process as version n+1 of its id.</summary>
    ValueTask<DeployedProcess> AddAsync(ProcessModel process, DateTimeOffset deployedAt, string? deployedBy, CancellationToken cancellationToken = default);

    ValueTask<DeployedProcess?> GetLatestAsync(string processId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest usable version for a start, possibly as this repository last read it. Another process may have
    /// published or retired a version since: the start's commit checks that its version is still the latest usable
    /// one (<see cref="InstanceChange.OnLatestVersion"/>), and the engine forgets the answer and starts again when not.
    /// </summary>
    ValueTask<DeployedProcess?> GetLatestForStartAsync(string processId, CancellationToken cancellationToken = default) =>
        GetLatestAsync(processId, cancellationToken);

    /// <summary>Forgets what <see cref="GetLatestForStartAsync"/> kept for the process.</summary>
    void ForgetLatest(string processId)
    {
    }

    /// <summary>A deployed version, retired or not (running instances keep loading theirs).</summary>
    ValueTask<DeployedProcess?> GetAsync(string processId, int version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the version is retired: it may not start new instances, while the instances running on it go on.
    /// Read from the source of truth on every call, never from a cache, so a retire made by another process
    /// sharing the database counts at once.
    /// </summary>
    ValueTask<bool> IsRetiredAsync(string processId, int version, CancellationToken cancellationToken = default);

    /// <summary>The latest usable version of every process id (to find message and signal start events).</summary>
    ValueTask<IReadOnlyList<DeployedProcess>> GetAllLatestAsync(CancellationToken cancellationToken = default);
}
