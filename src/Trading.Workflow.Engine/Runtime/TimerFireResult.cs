namespace Trading.Workflow.Engine.Runtime;

/// <summary>What <see cref="IWorkflowEngine.FireTimerIfDueAsync"/> did with a timer.</summary>
public enum TimerFireOutcome
{
    /// <summary>The engine fired the timer.</summary>
    Fired,

    /// <summary>The timer is gone (fired already, or withdrawn: the task finished first, the instance ended or moved).</summary>
    Withdrawn,

    /// <summary>The timer is due later than the trigger that woke it (a stale or recovered trigger); nothing fired.</summary>
    NotYetDue,

    /// <summary>The instance is suspended; resuming it announces its timers again.</summary>
    Suspended,

    /// <summary>
    /// The firing failed for good (the model cannot run this way: an expression, a missing variable, an uncaught BPMN
    /// error...): the timer became a failed job with an incident on the instance, retried from there as async jobs are.
    /// </summary>
    IncidentOpened,

    /// <summary>The firing failed in a way that may pass (a handler, the database): nothing changed; try again later.</summary>
    Failed,
}

/// <summary>The outcome, the timer's due time when it was read, and the error of a failed firing.</summary>
public sealed record TimerFireResult(TimerFireOutcome Outcome, DateTimeOffset? Due = null, Exception? Error = null);
