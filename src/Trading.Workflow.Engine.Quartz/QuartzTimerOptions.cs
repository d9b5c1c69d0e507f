using System.ComponentModel.DataAnnotations;

namespace Trading.Workflow.Engine.Quartz;

/// <summary>The database Quartz keeps its jobs and triggers in: the application's own.</summary>
public enum QuartzStoreProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>How engine timers and async jobs are scheduled on Quartz. Bound from <c>Workflow:Quartz</c>.</summary>
public sealed class QuartzTimerOptions : IValidatableObject
{
    public const string SectionName = "Workflow:Quartz";

    /// <summary>Sqlite (default, single node) or PostgreSql (servers, clustered).</summary>
    public QuartzStoreProvider Provider { get; set; } = QuartzStoreProvider.Sqlite;

    /// <summary>The application database; Quartz's tables (prefix <see cref="TablePrefix"/>) live beside the engine's. Required.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "";

    /// <summary>Run as one node of a cluster sharing the database. Default: on for PostgreSQL, off for SQLite (which cannot cluster).</summary>
    public bool? Clustered { get; set; }

    /// <summary>Scheduler name shared by every node of one cluster. Default "TradingWorkflow".</summary>
    [Required(AllowEmptyStrings = false)]
    public string SchedulerName { get; set; } = "TradingWorkflow";

    /// <summary>This node's id in the cluster; null generates one from host name and time.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Prefix of Quartz's tables. Default "qrtz_".</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]*$")]
    public string TablePrefix { get; set; } = "qrtz_";

    /// <summary>Create Quartz's tables when missing at start (Quartz's own provisioning). Default true.</summary>
    public bool ProvisionSchema { get; set; } = true;

    /// <summary>Jobs run in parallel on this node. Default 10.</summary>
    [Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 10;

    /// <summary>
    /// How long an idle node waits before it asks the database again for triggers scheduled by other nodes (its own
    /// schedule calls wake it at once). Default 5 seconds.
    /// </summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Triggers acquired per database round trip when many are due together. Default 10.</summary>
    [Range(1, 1000)]
    public int MaxBatchSize { get; set; } = 10;

    /// <summary>
    /// How late a trigger may be before it counts as misfired (then it fires at once: fire-now instruction).
    /// Default 30 seconds.
    /// </summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a clustered node records that it is alive. Default 7.5 seconds.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromMilliseconds(7500);

    /// <summary>How long past a missed check-in a node counts as dead and its work is taken over. Default 7.5 seconds.</summary>
    public TimeSpan ClusterCheckinMisfireThreshold { get; set; } = TimeSpan.FromMilliseconds(7500);

    /// <summary>Compare the engine's timers and jobs with Quartz's triggers when the application starts. Default true.</summary>
    public bool ReconcileOnStart { get; set; } = true;

    /// <summary>Repeat that comparison periodically on one node of the cluster; zero turns it off. Default 10 minutes.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wait before the first retry of a failed async job. Default 10 seconds.</summary>
    public TimeSpan JobRetryInitialDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Each further retry waits this many times longer. Default 2.</summary>
    [Range(1.0, 10.0)]
    public double JobRetryBackoffMultiplier { get; set; } = 2.0;

    /// <summary>Longest wait between retries. Default 10 minutes.</summary>
    public TimeSpan JobRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>When firing a timer fails for a reason that may pass (a handler, the database down), try again after this. Default 30 seconds.</summary>
    public TimeSpan TimerRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Firings of a timer that keeps failing for a reason that may pass, <see cref="TimerRetryDelay"/> apart, before it
    /// becomes an incident on its instance (a failure that firing again would repeat is one at once). Default 10.
    /// </summary>
    public int TimerMaxAttempts { get; set; } = 10;

    /// <summary>
    /// A timer job whose trigger fired this much later than its time signals a backlog and wakes the
    /// <see cref="BacklogSweeper"/>. Default 2 seconds.
    /// </summary>
    public TimeSpan BacklogLag { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A sweep fires overdue timers directly when at least this many are overdue and goes on while a tenth of that
    /// is (fewer: Quartz fires them one by one as usual); 0 turns sweeping off. Default 500.
    /// </summary>
    [Range(0, 1_000_000)]
    public int BacklogSweepThreshold { get; set; } = 500;

    /// <summary>Overdue timers a sweep takes per page (one Quartz transaction removes their triggers). Default 250.</summary>
    [Range(1, 100_000)]
    public int BacklogSweepPage { get; set; } = 250;

    /// <summary>Clustering as resolved from <see cref="Clustered"/> and the provider.</summary>
    public bool IsClustered => Clustered ?? Provider == QuartzStoreProvider.PostgreSql;

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 = first retry).</summary>
    public TimeSpan RetryDelay(int attempt)
    {
        var factor = Math.Pow(JobRetryBackoffMultiplier, Math.Max(0, attempt - 1));
        var ticks = JobRetryInitialDelay.Ticks * factor;
        return ticks >= JobRetryMaxDelay.Ticks ? JobRetryMaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == QuartzStoreProvider.Sqlite && Clustered == true)
        {
            yield return new ValidationResult("Workflow:Quartz:Clustered: SQLite cannot run a cluster; use PostgreSql.", [nameof(Clustered)]);
        }

        if (TimerMaxAttempts < 1)
        {
            yield return new ValidationResult($"Workflow:Quartz:{nameof(TimerMaxAttempts)} must be at least 1 (was {TimerMaxAttempts}).", [nameof(TimerMaxAttempts)]);
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(MisfireThreshold), MisfireThreshold), (nameof(IdleWaitTime), IdleWaitTime), (nameof(JobRetryInitialDelay), JobRetryInitialDelay),
                     (nameof(JobRetryMaxDelay), JobRetryMaxDelay), (nameof(TimerRetryDelay), TimerRetryDelay),
                     (nameof(ClusterCheckinInterval), ClusterCheckinInterval), (nameof(ClusterCheckinMisfireThreshold), ClusterCheckinMisfireThreshold),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"Workflow:Quartz:{name} must be positive.", [name]);
            }
        }

        if (ReconcileInterval < TimeSpan.Zero)
        {
            yield return new ValidationResult("Workflow:Quartz:ReconcileInterval must be zero (off) or positive.", [nameof(ReconcileInterval)]);
        }

        if (JobRetryMaxDelay < JobRetryInitialDelay)
        {
            yield return new ValidationResult("Workflow:Quartz:JobRetryMaxDelay must not be shorter than JobRetryInitialDelay.", [nameof(JobRetryMaxDelay)]);
        }
    }
}

/// <summary>Due-date reminders for user tasks. Bound from <c>Workflow:Reminders</c>.</summary>
public sealed class TaskReminderOptions
{
    public const string SectionName = "Workflow:Reminders";

    /// <summary>Run the periodic scan. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often open tasks are scanned. Default 5 minutes.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A task whose due date is at most this far ahead is near due. Default 24 hours.</summary>
    public TimeSpan NearDueWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// When above zero, near due means due within this many working days instead (same time of day, by the
    /// working-day calendar, so a task due on Monday is near due on the Friday before). Default 0: the window above.
    /// </summary>
    public int NearDueWorkingDays { get; set; }
}

/// <summary>Demonstration mode. Bound from <c>Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Allows administrators to fast-forward an instance's timers. Never on in production. Default false.</summary>
    public bool Enabled { get; set; }
}
