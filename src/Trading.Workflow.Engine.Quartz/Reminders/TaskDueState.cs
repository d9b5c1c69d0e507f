using Microsoft.Extensions.Options;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz.Reminders;

/// <summary>The inbox flag of an open user task.</summary>
public enum TaskDueState
{
    /// <summary>No due date, or due later than the near-due window.</summary>
    None,

    /// <summary>Due within <see cref="TaskReminderOptions.NearDueWindow"/>.</summary>
    NearDue,

    /// <summary>Past its due date.</summary>
    Overdue,
}

public static class TaskDueStates
{
    public static TaskDueState Of(DateTimeOffset? due, DateTimeOffset now, TimeSpan nearDueWindow)
    {
        if (due is not { } value)
        {
            return TaskDueState.None;
        }

        if (value <= now)
        {
            return TaskDueState.Overdue;
        }

        return value - now <= nearDueWindow ? TaskDueState.NearDue : TaskDueState.None;
    }
}

/// <summary>Computes <see cref="TaskDueState"/> from the task's due date, the clock and the configured window (for the inbox).</summary>
public sealed class TaskDueStateEvaluator(TimeProvider time, IOptions<TaskReminderOptions> options)
{
    public TaskDueState StateOf(UserTaskInfo task) =>
        task.State == Store.UserTaskState.Open ? TaskDueStates.Of(task.Due, time.GetUtcNow(), options.Value.NearDueWindow) : TaskDueState.None;

    public TaskDueState StateOf(DateTimeOffset? due) => TaskDueStates.Of(due, time.GetUtcNow(), options.Value.NearDueWindow);
}
