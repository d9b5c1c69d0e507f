using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Trading.Workflow.Domain.Notifications.Rules;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>
/// Notifications of engine tasks: a task offered to users (candidate users, and the users of its candidate roles who
/// could receive it: within its project when it has one) and a task assigned or delegated to someone. Two ways in, one
/// record per task, event and user (idempotent source keys): <see cref="NotifyAsync"/> right after a commit (the web's
/// observer, fast), and <see cref="SweepAsync"/>, which reads the engine's own history (committed in the same
/// transaction as the task) after a cursor, so a notification lost with a crash between the commit and the fast path
/// is recorded by the next sweep. Several nodes may sweep: the cursor row is locked for the batch.
/// </summary>
public sealed partial class TaskNotifications(
    IWorkflowStore store,
    ITradingDatabase database,
    WorkflowDatabase workflow,
    NotificationRecorder recorder,
    INotificationRecipientDirectory directory,
    ITaskCandidateScope scope,
    NotificationEvents events,
    TimeProvider time,
    ILogger<TaskNotifications> logger)
{
    /// <summary>The cursor over the engine's history (wf_history sequence).</summary>
    public const string Cursor = "engine-tasks";

    private static readonly int[] TaskEvents = [(int)HistoryEventType.TaskCreated, (int)HistoryEventType.TaskAssigned, (int)HistoryEventType.TaskDelegated];

    /// <summary>Records the notifications one task event calls for; returns the users told now (none when recorded before).</summary>
    public async Task<IReadOnlyList<string>> NotifyAsync(Guid taskId, HistoryEventType kind, CancellationToken cancellationToken = default)
    {
        if (await RequestsAsync(taskId, kind, cancellationToken) is not { } notice)
        {
            return [];
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = database.Create();
                await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                var added = await recorder.RecordAsync(db, notice.SourceKey, null, notice.Requests, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                var told = added.Select(n => n.UserId).ToList();
                events.Publish(told);
                return told;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another node (or the sweep) recorded some of them at the same moment: read again and add only the rest.
            }
        }
    }

    private async Task<(string SourceKey, List<NotificationRequest> Requests)?> RequestsAsync(Guid taskId, HistoryEventType kind, CancellationToken cancellationToken)
    {
        if (Array.IndexOf(TaskEvents, (int)kind) < 0 || await store.GetTaskAsync(taskId, cancellationToken) is not { State: UserTaskState.Open } task)
        {
            return null;
        }

        string sourceKey;
        var requests = new List<NotificationRequest>();
        if (task.Assignee is { Length: > 0 } assignee)
        {
            sourceKey = $"task:{taskId:N}:assigned:{assignee}";
            requests.Add(new NotificationRequest(assignee, KernelNotificationRules.TaskAssigned));
        }
        else if (kind == HistoryEventType.TaskCreated)
        {
            sourceKey = $"task:{taskId:N}:offered";
            var users = new SortedSet<string>(task.CandidateUsers, StringComparer.Ordinal);
            foreach (var role in task.CandidateRoles)
            {
                foreach (var user in await directory.UsersInRoleAsync(role, null, cancellationToken))
                {
                    // A role of the procedure is that role of the task's project: only its users who could receive the task.
                    if (!users.Contains(user) && await scope.StandingOfAsync(task.BusinessKey, user, cancellationToken) is var standing
                        && (standing is null || TaskCandidates.IsCandidate(task, standing)))
                    {
                        users.Add(user);
                    }
                }
            }

            requests.AddRange(users.Select(u => new NotificationRequest(u, KernelNotificationRules.TaskOffered)));
        }
        else
        {
            return null;
        }

        if (requests.Count == 0)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["task"] = task.Name ?? task.ElementId,
            ["subject"] = task.BusinessKey is { Length: > 0 } key ? $"项目 {key} " : "流程",
            ["subjectEn"] = task.BusinessKey is { Length: > 0 } keyEn ? $"project {keyEn}" : "a procedure",
        };
        var link = $"/inbox/tasks/{taskId}";
        return (sourceKey, [.. requests.Select(r => r with { Values = values, Link = link })]);
    }

    /// <summary>
    /// Notifies the task events of the engine's history after the cursor, in order, up to <paramref name="maxEvents"/>,
    /// and moves the cursor past them. Only events at least <paramref name="settle"/> old are read, so a command that
    /// took a lower history sequence but committed later is not passed over; returns how many events were read.
    /// </summary>
    public async Task<int> SweepAsync(TimeSpan settle, int maxEvents = 200, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var cursor = await LockCursorAsync(db, cancellationToken);
        List<HistoryEntity> rows;
        await using (var connection = await workflow.OpenConnectionAsync(cancellationToken))
        await using (var context = workflow.CreateContext(connection))
        {
            // A row of several events (a command's, HistoryRows) may hold task events whatever its columns say.
            rows = await context.History.AsNoTracking()
                .Where(h => h.Sequence > cursor.Position && (h.Entries != null || (h.TaskId != null && TaskEvents.Contains(h.Type))))
                .OrderBy(h => h.Sequence).Take(maxEvents)
                .ToListAsync(cancellationToken);
        }

        var settledBefore = time.GetUtcNow() - settle;
        var read = 0;
        var told = new List<string>();
        foreach (var row in rows)
        {
            var settled = true;
            foreach (var e in HistoryRows.Expand(row))
            {
                if (e.Sequence <= cursor.Position || e.TaskId is not { } taskId || !TaskEvents.Contains(e.Type))
                {
                    continue;
                }

                if (e.Timestamp > settledBefore)
                {
                    settled = false;
                    break;
                }

                (string SourceKey, List<NotificationRequest> Requests)? notice = null;
                try
                {
                    notice = await RequestsAsync(taskId, (HistoryEventType)e.Type, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One task that cannot be read (a defect or a vanished definition) must not hold back the rest.
                    LogTaskFailed(ex, taskId, e.Sequence);
                }

                if (notice is { } n)
                {
                    // In the cursor's transaction: the notifications and the cursor move together.
                    told.AddRange((await recorder.RecordAsync(db, n.SourceKey, null, n.Requests, cancellationToken)).Select(x => x.UserId));
                    await db.SaveChangesAsync(cancellationToken); // so a later event of the same task in this batch sees them
                }

                cursor.MoveTo(e.Sequence, time.GetUtcNow());
                read++;
            }

            if (!settled || row.Timestamp > settledBefore)
            {
                break;
            }

            // Every event of the row was read (a row of several may hold none for this cursor).
            if (row.Sequence > cursor.Position)
            {
                cursor.MoveTo(row.Sequence, time.GetUtcNow());
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        if (told.Count > 0)
        {
            events.Publish(told);
        }

        return read;
    }

    private static async Task<NotificationCursor> LockCursorAsync(TradingDbContext db, CancellationToken cancellationToken)
    {
        var touched = await db.Set<NotificationCursor>()
            .Where(c => c.Name == Cursor)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, c => c.Position), cancellationToken);
        if (touched == 0)
        {
            db.Add(new NotificationCursor(Cursor, 0));
            await db.SaveChangesAsync(cancellationToken);
        }

        return await db.Set<NotificationCursor>().SingleAsync(c => c.Name == Cursor, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the notifications of task {TaskId} (history {Sequence}); passed over")]
    private partial void LogTaskFailed(Exception exception, Guid taskId, long sequence);
}
