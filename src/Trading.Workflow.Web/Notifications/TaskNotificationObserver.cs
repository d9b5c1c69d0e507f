using System.Threading.Channels;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Notifications;

/// <summary>
/// The fast path of task notifications (<see cref="TaskNotifications"/>): listens to <see cref="TaskNotifier.CommittedHere"/>
/// (raised after each commit on this node, so only the committing node records at once), queues the changes so the
/// committing thread never waits, and records them idempotently per task, event and user. What a crash loses here is
/// recorded by the sweep over the engine's history (<see cref="NotificationWorker"/>).
/// </summary>
public sealed partial class TaskNotificationObserver(
    TaskNotifier notifier,
    TaskNotifications tasks,
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
    public Task<IReadOnlyList<string>> NotifyAsync(TaskChange change, CancellationToken cancellationToken) =>
        tasks.NotifyAsync(change.TaskId, change.Kind, cancellationToken);

    // Raised on the committing thread: only queue the work.
    private void OnTasksChanged(IReadOnlyList<TaskChange> changes) => _queue.Writer.TryWrite(changes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the notifications of task {TaskId} ({Kind})")]
    private partial void LogFailed(Exception exception, Guid taskId, HistoryEventType kind);
}
