using System.Globalization;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Quartz.Reminders;

/// <summary>
/// Finds open user tasks that are near their due date or overdue and records a notification for the assignee, or
/// when nobody is assigned for every candidate user and candidate role. Run periodically by <see cref="TaskReminderJob"/>.
/// </summary>
public sealed partial class TaskReminderService(
    IWorkflowEngine engine,
    INotificationSink sink,
    TimeProvider time,
    TaskDueStateEvaluator dueStates,
    ILogger<TaskReminderService> logger)
{
    /// <summary>Scans once; returns how many new notifications were recorded.</summary>
    public async ValueTask<int> ScanAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var nearDueUntil = dueStates.NearDueUntil(now);
        // Only what may be near due or overdue: the store reads the due-date index, not every open task.
        var tasks = await engine.GetTasksAsync(new TaskQuery { OpenOnly = true, DueBefore = nearDueUntil }, cancellationToken);
        var notifications = new List<NotificationRecord>();
        foreach (var task in tasks)
        {
            var state = TaskDueStates.Of(task.Due, now, nearDueUntil);
            if (state == TaskDueState.None)
            {
                continue;
            }

            var kind = state == TaskDueState.Overdue ? NotificationKind.TaskOverdue : NotificationKind.TaskNearDue;
            var (zh, en) = Messages(task, kind);
            foreach (var recipient in Recipients(task))
            {
                notifications.Add(new NotificationRecord(
                    Guid.CreateVersion7(now), recipient, kind, task.Id, task.InstanceId, task.Name, task.Due!.Value, now, zh, en));
            }
        }

        var added = await sink.AddAsync(notifications, cancellationToken);
        LogScanned(tasks.Count, notifications.Count, added);
        return added;
    }

    internal static IEnumerable<string> Recipients(UserTaskInfo task)
    {
        if (!string.IsNullOrEmpty(task.Assignee))
        {
            yield return task.Assignee;
            yield break;
        }

        foreach (var user in task.CandidateUsers.Distinct(StringComparer.Ordinal))
        {
            yield return user;
        }

        foreach (var role in task.CandidateRoles.Distinct(StringComparer.Ordinal))
        {
            yield return "role:" + role;
        }
    }

    private static (string Zh, string En) Messages(UserTaskInfo task, NotificationKind kind)
    {
        var name = task.Name ?? task.ElementId;
        var due = ChinaStandardTime.ToChina(task.Due!.Value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return kind == NotificationKind.TaskOverdue
            ? ($"任务“{name}”已于 {due}（北京时间）逾期", $"The task '{name}' was due at {due} (China Standard Time) and is overdue.")
            : ($"任务“{name}”将于 {due}（北京时间）到期", $"The task '{name}' is due at {due} (China Standard Time).");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder scan: {Tasks} open tasks, {Candidates} reminders due, {Added} new")]
    private partial void LogScanned(int tasks, int candidates, int added);
}
