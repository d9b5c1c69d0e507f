using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// Picks the version a new instance starts on, for every way of starting one that names a process (a start by id,
/// with or without a version, and a call activity): a retired version is refused, however it is asked for.
/// </summary>
internal static class StartableDefinitions
{
    /// <exception cref="WorkflowNotFoundException">The process or the version was never deployed.</exception>
    /// <exception cref="WorkflowStateException">The version asked for, or every version of the process, is retired.</exception>
    /// <param name="keptLatest">
    /// Without a version, the latest as the repository may have kept it: the caller marks the instance
    /// <see cref="LoadedInstance.OnLatestVersion"/> so that its commit checks it.
    /// </param>
    public static async ValueTask<DeployedProcess> GetForStartAsync(
        this IDefinitionRepository definitions, string processId, int? version, CancellationToken cancellationToken, bool keptLatest = false)
    {
        if (version is { } v)
        {
            var definition = await definitions.GetAsync(processId, v, cancellationToken)
                ?? throw new WorkflowNotFoundException("process", $"{processId}:{v}");
            if (await definitions.IsRetiredAsync(processId, v, cancellationToken))
            {
                throw new WorkflowStateException(
                    $"流程 {processId} 的版本 {v} 已停用，不能发起新的流程实例",
                    $"Version {v} of the process '{processId}' is retired and cannot start new instances.");
            }

            return definition;
        }

        if (await (keptLatest ? definitions.GetLatestForStartAsync(processId, cancellationToken) : definitions.GetLatestAsync(processId, cancellationToken)) is { } latest)
        {
            return latest;
        }

        // Versions are numbered from 1 without gaps: a version 1 that loads means every version is retired.
        if (await definitions.GetAsync(processId, 1, cancellationToken) is not null)
        {
            throw new WorkflowStateException(
                $"流程 {processId} 的所有版本均已停用，不能发起新的流程实例",
                $"Every version of the process '{processId}' is retired; no new instance can be started.");
        }

        throw new WorkflowNotFoundException("process", processId);
    }
}
