using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Versions;

/// <summary>Moves running instances to another version of their process.</summary>
/// <param name="InstanceIds">The instances to migrate, all of one process id.</param>
/// <param name="TargetVersion">The published (or retired) version to move them to.</param>
/// <param name="ElementMapping">Source element id to target element id; an id not listed maps to itself.</param>
public sealed record MigrationRequest(IReadOnlyList<Guid> InstanceIds, int TargetVersion)
{
    public IReadOnlyDictionary<string, string>? ElementMapping { get; init; }

    public string? UserId { get; init; }

    public string? Reason { get; init; }
}

/// <summary>What makes a migration invalid.</summary>
public enum MigrationProblemKind
{
    InstanceNotFound,
    InstanceEnded,
    TargetVersionNotFound,

    /// <summary>An active element, task, timer, subscription or job maps to an id the target version does not have.</summary>
    MissingTarget,

    /// <summary>The target is another kind of element: another element type, event definition, multi-instance-ness or sub-process kind.</summary>
    IncompatibleKind,

    /// <summary>The target lies in another scope than the mapping of the source's enclosing scope (a token would leave or enter a sub-process).</summary>
    ScopeChanged,

    /// <summary>A waiting timer maps to an event without a timer definition.</summary>
    TimerWithoutTimerEvent,

    /// <summary>A message or signal subscription maps to an element that does not catch the same message or signal.</summary>
    SubscriptionEventMismatch,

    /// <summary>A boundary event maps to one attached to another activity than the mapping of its host.</summary>
    BoundaryHostChanged,

    /// <summary>An event waited for after an event-based gateway maps to an event that does not follow the mapped gateway.</summary>
    EventGatewayChanged,

    /// <summary>A join waits for a token that arrived by a flow that does not lead to the mapped join in the target version.</summary>
    JoinFlowMissing,

    /// <summary>An entry of the element mapping names a source id the instance's version does not have.</summary>
    UnknownMappingSource,

    /// <summary>An entry of the element mapping names a target id the target version does not have.</summary>
    UnknownMappingTarget,
}

/// <summary>Why an instance cannot be migrated: an active element, task, timer or subscription without a valid target.</summary>
public sealed record MigrationProblem(Guid InstanceId, string? ElementId, string MessageZh, string MessageEn)
{
    public MigrationProblemKind Kind { get; init; } = MigrationProblemKind.MissingTarget;
}

public sealed class MigrationValidationException(IReadOnlyList<MigrationProblem> problems)
    : WorkflowException(
        "migration_invalid",
        $"流程实例迁移校验未通过（{problems.Count} 个问题）",
        $"The migration is not valid ({problems.Count} problem(s)): " + string.Join("; ", problems.Take(5).Select(p => p.MessageEn)))
{
    public IReadOnlyList<MigrationProblem> Problems { get; } = problems;
}

/// <summary>
/// Migration of running instances to another version, done on the aggregate records in the store (the engine has
/// no migration command): validated first, then every instance rewritten in one commit with each instance's
/// version checked, and an administrative history entry per instance. Tasks keep their id, assignee and history.
/// </summary>
public sealed class InstanceMigrationService(EfWorkflowStore store, IDefinitionRepository definitions, TimeProvider time)
{
    /// <summary>The problems that would stop the migration; empty when it can be applied.</summary>
    public async Task<IReadOnlyList<MigrationProblem>> ValidateAsync(MigrationRequest request, CancellationToken cancellationToken = default)
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        var (problems, _, _) = await PlanAsync(session, request, cancellationToken);
        return problems;
    }

    /// <summary>Validates and applies the migration atomically.</summary>
    /// <exception cref="MigrationValidationException">Some instance cannot be migrated; nothing was changed.</exception>
    /// <exception cref="WorkflowConflictException">An instance changed meanwhile; nothing was changed.</exception>
    public async Task MigrateAsync(MigrationRequest request, CancellationToken cancellationToken = default)
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        var (problems, instances, target) = await PlanAsync(session, request, cancellationToken);
        if (problems.Count > 0)
        {
            throw new MigrationValidationException(problems);
        }

        var now = time.GetUtcNow();
        var changes = new WorkflowChangeSet();
        foreach (var instance in instances)
        {
            var from = instance.ProcessVersion;
            Apply(instance, target!.Version, request.ElementMapping);
            var expected = instance.Version;
            instance.Version = expected + 1;
            changes.Instances.Add(new InstanceChange(instance, expected, false));
            changes.History.Add(new HistoryEvent(instance.Id, HistoryEventType.AdminAction, now)
            {
                ProcessId = instance.ProcessId,
                BusinessKey = instance.BusinessKey,
                UserId = request.UserId,
                OldValue = (long)from,
                NewValue = (long)target.Version,
                Details = $"migrate from version {from} to {target.Version}" + (request.Reason is null ? string.Empty : $": {request.Reason}"),
            });
        }

        await session.CommitAsync(changes, cancellationToken);
    }

    private async Task<(List<MigrationProblem> Problems, List<ProcessInstanceRecord> Instances, DeployedProcess? Target)> PlanAsync(
        IWorkflowSession session, MigrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<MigrationProblem>();
        var instances = new List<ProcessInstanceRecord>();
        DeployedProcess? target = null;
        foreach (var id in request.InstanceIds.Distinct())
        {
            var instance = await session.LoadInstanceAsync(id, cancellationToken);
            if (instance is null)
            {
                problems.Add(new MigrationProblem(id, null, $"未找到流程实例 {id}", $"The process instance '{id}' was not found.")
                {
                    Kind = MigrationProblemKind.InstanceNotFound,
                });
                continue;
            }

            if (instance.IsEnded)
            {
                problems.Add(new MigrationProblem(id, null, $"流程实例 {id} 已结束，不能迁移", $"The process instance '{id}' has ended and cannot be migrated.")
                {
                    Kind = MigrationProblemKind.InstanceEnded,
                });
                continue;
            }

            target ??= await definitions.GetAsync(instance.ProcessId, request.TargetVersion, cancellationToken);
            var source = await definitions.GetAsync(instance.ProcessId, instance.ProcessVersion, cancellationToken);
            if (target is null || target.ProcessId != instance.ProcessId || source is null)
            {
                problems.Add(new MigrationProblem(id, null,
                    $"流程 {instance.ProcessId} 没有版本 {request.TargetVersion}",
                    $"The process '{instance.ProcessId}' has no version {request.TargetVersion}.")
                {
                    Kind = MigrationProblemKind.TargetVersionNotFound,
                });
                continue;
            }

            instances.Add(instance);
            new MigrationCheck(instance, source.Model, target.Model, request.ElementMapping, problems).Run();
        }

        return (problems, instances, target);
    }

    private static void Apply(ProcessInstanceRecord instance, int version, IReadOnlyDictionary<string, string>? mapping)
    {
        instance.ProcessVersion = version;
        foreach (var execution in instance.Executions)
        {
            if (execution.NodeId is { } nodeId)
            {
                execution.NodeId = Map(nodeId, mapping);
            }

            if (execution.ArrivedByFlowId is { } flowId)
            {
                execution.ArrivedByFlowId = Map(flowId, mapping);
            }
        }

        foreach (var task in instance.Tasks)
        {
            task.ElementId = Map(task.ElementId, mapping);
            task.ProcessVersion = version;
        }

        foreach (var timer in instance.Timers)
        {
            timer.ElementId = Map(timer.ElementId, mapping);
            timer.ProcessVersion = version;
        }

        for (var i = 0; i < instance.Subscriptions.Count; i++)
        {
            var s = instance.Subscriptions[i];
            instance.Subscriptions[i] = s with { ElementId = Map(s.ElementId, mapping) };
        }

        foreach (var job in instance.Jobs)
        {
            job.ElementId = Map(job.ElementId, mapping);
        }

        foreach (var incident in instance.Incidents)
        {
            incident.ElementId = Map(incident.ElementId, mapping);
        }
    }

    internal static string Map(string id, IReadOnlyDictionary<string, string>? mapping) =>
        mapping is not null && mapping.TryGetValue(id, out var mapped) ? mapped : id;
}
