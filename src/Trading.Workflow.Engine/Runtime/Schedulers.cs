namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// Told after each commit which timers were created or rescheduled and which were removed, so a scheduler
/// (Quartz) can fire them with <see cref="IWorkflowEngine.FireTimerAsync"/>. Never called for a failed command.
/// </summary>
public interface ITimerScheduler
{
    ValueTask TimersChangedAsync(IReadOnlyList<TimerInfo> scheduled, IReadOnlyList<Guid> removed, CancellationToken cancellationToken = default);
}

/// <summary>Told after each commit which async jobs were created or rescheduled and which were removed.</summary>
public interface IJobScheduler
{
    ValueTask JobsChangedAsync(IReadOnlyList<JobInfo> scheduled, IReadOnlyList<Guid> removed, CancellationToken cancellationToken = default);
}

/// <summary>
/// The in-memory default: nothing fires by itself; the host fires due timers and jobs with
/// <see cref="IWorkflowEngine.FireDueTimersAsync"/> and <see cref="IWorkflowEngine.ExecuteDueJobsAsync"/>.
/// </summary>
public sealed class ManualScheduler : ITimerScheduler, IJobScheduler
{
    public ValueTask TimersChangedAsync(IReadOnlyList<TimerInfo> scheduled, IReadOnlyList<Guid> removed, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobsChangedAsync(IReadOnlyList<JobInfo> scheduled, IReadOnlyList<Guid> removed, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
