using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Notifications.Rules;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Notifications;

/// <summary>
/// Notifies users of engine tasks after the engine committed them: a task offered to them (as a candidate user, or
/// to a role they hold) and a task assigned or delegated to them. It listens to <see cref="TaskNotifier.CommittedHere"/>
/// (raised after each commit on this node, so only the committing node records a notification), queues the changes
/// so the committing thread never waits, and records the
/// notifications idempotently per task, event and user.
/// </summary>
public sealed partial class TaskNotificationObserver(
    TaskNotifier notifier,
    IWorkflowStore store,
    ITradingDatabase database,
    NotificationRecorder recorder,
    INotificationRecipientDirectory directory,
    NotificationEvents events,
    ILogger<TaskNotificationObserver> logger) : BackgroundService
{
    private readonly Channel<IReadOnlyList<TaskChange>> _queue = Channel.CreateUnbounded<IReadOnlyList<TaskChange>>(new UnboundedChannelOptions { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        notifier.CommittedHere += OnTasksChanged;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.CommittedHere -= OnTasksChanged;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var changes in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            foreach (var change in changes)
            {
                try
                {
                    await NotifyAsync(change, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(ex, change.TaskId, change.Kind);
                }
            }
        }
    }

    /// <summary>Records the notifications one task change calls for (also used by tests); returns the users told.</summary>
    public async Task<IReadOnlyList<string>> NotifyAsync(TaskChange change, CancellationToken cancellationToken)
    {
        var requests = new List<NotificationRequest>();
        string sourceKey;
        string template;
        switch (change.Kind)
        {
            case HistoryEventType.TaskCreated when change.Assignee is { Length: > 0 }:
            case HistoryEventType.TaskAssigned or HistoryEventType.TaskDelegated when change.Assignee is { Length: > 0 }:
                sourceKey = $"task:{change.TaskId:N}:assigned:{change.Assignee}";
                template = KernelNotificationRules.TaskAssigned;
                requests.Add(new NotificationRequest(change.Assignee!, template));
                break;
            case HistoryEventType.TaskCreated:
                sourceKey = $"task:{change.TaskId:N}:offered";
                template = KernelNotificationRules.TaskOffered;
                var users = new HashSet<string>(change.CandidateUsers, StringComparer.Ordinal);
                foreach (var role in change.CandidateRoles)
                {
                    users.UnionWith(await directory.UsersInRoleAsync(role, null, cancellationToken));
                }

                requests.AddRange(users.Order(StringComparer.Ordinal).Select(u => new NotificationRequest(u, template)));
                break;
            default:
                return [];
        }

        if (requests.Count == 0)
        {
            return [];
        }

        var task = await store.GetTaskAsync(change.TaskId, cancellationToken);
        var name = task?.Name ?? task?.ElementId ?? change.TaskId.ToString("N")[..8];
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["task"] = name,
            ["subject"] = task?.BusinessKey is { Length: > 0 } key ? $"项目 {key} " : "流程",
            ["subjectEn"] = task?.BusinessKey is { Length: > 0 } keyEn ? $"project {keyEn}" : "a procedure",
        };
        var link = $"/inbox/tasks/{change.TaskId}";
        requests = requests.Select(r => r with { Values = values, Link = link }).ToList();

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = database.Create();
                await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
                var added = await recorder.RecordAsync(db, sourceKey, null, requests, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
                var told = added.Select(n => n.UserId).ToList();
                events.Publish(told);
                return told;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another node recorded some of them at the same moment: read again and add only the rest.
            }
        }
    }

    // Raised on the committing thread: only queue the work.
    private void OnTasksChanged(IReadOnlyList<TaskChange> changes) => _queue.Writer.TryWrite(changes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the notifications of task {TaskId} ({Kind})")]
    private partial void LogFailed(Exception exception, Guid taskId, HistoryEventType kind);
}
