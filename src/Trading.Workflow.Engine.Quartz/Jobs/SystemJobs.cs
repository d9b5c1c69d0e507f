using Quartz;
using Trading.Workflow.Engine.Quartz.Reminders;

namespace Trading.Workflow.Engine.Quartz.Jobs;

/// <summary>Periodic reminder scan; one node of a cluster runs it at a time.</summary>
[DisallowConcurrentExecution]
public sealed class TaskReminderJob(TaskReminderService reminders) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await reminders.ScanAsync(cancellationToken);
}

/// <summary>Periodic repair of lost schedule calls; one node of a cluster runs it at a time.</summary>
[DisallowConcurrentExecution]
public sealed class ReconcileSchedulesJob(WorkflowScheduleReconciler reconciler) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await reconciler.ReconcileAsync(cancellationToken);
}
