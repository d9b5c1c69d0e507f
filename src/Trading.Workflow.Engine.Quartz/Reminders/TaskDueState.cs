using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz.Reminders;

/// <summary>The inbox flag of an open user task.</summary>
public enum TaskDueState
{
    /// <summary>No due date, or due later than the near-due window.</summary>
    None,

    /// <summary>Due within <see cref="TaskReminderOptions.NearDueWindow"/> or <see cref="TaskReminderOptions.NearDueWorkingDays"/>.</summary>
    NearDue,

    /// <summary>Past its due date.</summary>
    Overdue,
}

public static class TaskDueStates
{
    public static TaskDueState Of(DateTimeOffset? due, DateTimeOffset now, TimeSpan nearDueWindow) => Of(due, now, now + nearDueWindow);

    /// <summary>Overdue at or before <paramref name="now"/>, near due up to <paramref name="nearDueUntil"/>.</summary>
    public static TaskDueState Of(DateTimeOffset? due, DateTimeOffset now, DateTimeOffset nearDueUntil)
    {
        if (due is not { } value)
        {
            return TaskDueState.None;
        }

        if (value <= now)
        {
            return TaskDueState.Overdue;
        }

        return value <= nearDueUntil ? TaskDueState.NearDue : TaskDueState.None;
    }
}

/// <summary>
/// Computes <see cref="TaskDueState"/> from the task's due date, the clock and the configured near-due window, in
/// hours or in working days: one rule for the inbox flag, the inbox filter and the reminder scan.
/// </summary>
public sealed partial class TaskDueStateEvaluator(
    TimeProvider time, IOptions<TaskReminderOptions> options, ILogger<TaskDueStateEvaluator> logger, IBusinessCalendar? calendar = null)
{
    public TaskDueState StateOf(UserTaskInfo task) =>
        task.State == Store.UserTaskState.Open ? StateOf(task.Due) : TaskDueState.None;

    public TaskDueState StateOf(DateTimeOffset? due)
    {
        var now = time.GetUtcNow();
        return TaskDueStates.Of(due, now, NearDueUntil(now));
    }

    /// <summary>The end of the near-due window that starts at <paramref name="now"/>.</summary>
    public DateTimeOffset NearDueUntil(DateTimeOffset now)
    {
        var settings = options.Value;
        if (settings.NearDueWorkingDays > 0 && calendar is not null)
        {
            try
            {
                return calendar.AddWorkingDays(now, settings.NearDueWorkingDays);
            }
            catch (CalendarDataMissingException error)
            {
                // A flag must not break the inbox; the hours window is the documented fallback until the year is entered.
                LogCalendarMissing(error.Message);
            }
        }

        return now + settings.NearDueWindow;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Near-due window in working days falls back to hours: {Reason}")]
    private partial void LogCalendarMissing(string reason);
}
