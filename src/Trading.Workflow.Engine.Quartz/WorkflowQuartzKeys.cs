using Quartz;

namespace Trading.Workflow.Engine.Quartz;

/// <summary>Quartz identities: one job and one trigger per engine timer or async job, named by its id.</summary>
public static class WorkflowQuartzKeys
{
    public const string TimerGroup = "workflow-timers";
    public const string JobGroup = "workflow-jobs";
    public const string SystemGroup = "workflow-system";

    /// <summary>Trigger data: how many retries of an async job, or of a timer whose firing failed, have been scheduled so far.</summary>
    public const string AttemptKey = "attempt";

    public static JobKey TimerJob(Guid timerId) => new(timerId.ToString("D"), TimerGroup);

    public static TriggerKey TimerTrigger(Guid timerId) => new(timerId.ToString("D"), TimerGroup);

    public static JobKey AsyncJob(Guid jobId) => new(jobId.ToString("D"), JobGroup);

    public static TriggerKey AsyncJobTrigger(Guid jobId) => new(jobId.ToString("D"), JobGroup);

    public static readonly JobKey ReconcileJob = new("reconcile", SystemGroup);
    public static readonly TriggerKey ReconcileTrigger = new("reconcile", SystemGroup);
    public static readonly JobKey ReminderJob = new("task-reminders", SystemGroup);
    public static readonly TriggerKey ReminderTrigger = new("task-reminders", SystemGroup);

    public static Guid IdOf(Key<JobKey> key) => Guid.Parse(key.Name);

    /// <summary>The <see cref="AttemptKey"/> of a trigger; 0 on a first firing.</summary>
    public static int AttemptOf(ITrigger trigger) =>
        trigger.JobDataMap.TryGetValue(AttemptKey, out var value)
        && int.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : 0;
}
