using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Web.Workflow;

/// <summary>What happened to a task in a committed command, with who may see it now.</summary>
public sealed record TaskChange(
    Guid TaskId,
    Guid InstanceId,
    HistoryEventType Kind,
    string? Assignee,
    IReadOnlyList<string> CandidateUsers,
    IReadOnlyList<string> CandidateRoles)
{
    /// <summary>The change concerns the user: the task is (or was) theirs, or offered to them or one of their roles.</summary>
    public bool Concerns(WorkflowUser user) =>
        string.Equals(Assignee, user.UserId, StringComparison.Ordinal)
        || CandidateUsers.Contains(user.UserId, StringComparer.Ordinal)
        || CandidateRoles.Any(user.IsInRole);
}

/// <summary>
/// Raises an event for every task created, claimed, assigned, delegated, completed or cancelled by a committed
/// engine command on this node, so open inbox pages (Blazor circuits) refresh without a reload. The engine tells it
/// of each commit (<see cref="IWorkflowCommitObserver"/>). Handlers run on the committing thread: they must only
/// schedule work (InvokeAsync), never block.
/// </summary>
public sealed partial class TaskNotifier(ILogger<TaskNotifier> logger) : IWorkflowCommitObserver
{
    /// <summary>Task changes committed on this node or, with a multi-node feed, on another one: what inboxes follow.</summary>
    public event Action<IReadOnlyList<TaskChange>>? TasksChanged;

    /// <summary>Task changes committed on this node only: what is recorded once (notifications) or sent to other nodes.</summary>
    public event Action<IReadOnlyList<TaskChange>>? CommittedHere;

    public ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken = default)
    {
        Publish(commit.Changes);
        return ValueTask.CompletedTask;
    }

    internal void Publish(WorkflowChangeSet changes)
    {
        if (TasksChanged is null && CommittedHere is null)
        {
            return;
        }

        var tasks = new Dictionary<Guid, UserTaskRecord>();
        foreach (var change in changes.Instances)
        {
            foreach (var task in change.Instance.Tasks)
            {
                tasks[task.Id] = task;
            }
        }

        foreach (var task in changes.EndedTasks)
        {
            tasks[task.Id] = task;
        }

        var list = new List<TaskChange>();
        foreach (var e in changes.History)
        {
            if (e.TaskId is not { } taskId || !IsTaskEvent(e.Type))
            {
                continue;
            }

            tasks.TryGetValue(taskId, out var task);
            list.Add(new TaskChange(taskId, e.InstanceId, e.Type, task?.Assignee ?? e.UserId, task?.CandidateUsers ?? [], task?.CandidateRoles ?? []));
        }

        if (list.Count == 0)
        {
            return;
        }

        Raise(CommittedHere, list);
        Raise(TasksChanged, list);
    }

    /// <summary>Raises <see cref="TasksChanged"/> for changes another node committed (see <see cref="PostgresTaskChangeFeed"/>).</summary>
    internal void PublishRemote(IReadOnlyList<TaskChange> changes) => Raise(TasksChanged, changes);

    private void Raise(Action<IReadOnlyList<TaskChange>>? handlers, IReadOnlyList<TaskChange> list)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<IReadOnlyList<TaskChange>>>())
        {
            try
            {
                handler(list);
            }
            catch (Exception ex)
            {
                // A broken subscriber (a closed circuit) must not fail the command that already committed.
                LogSubscriberFailed(ex);
            }
        }
    }

    private static bool IsTaskEvent(HistoryEventType type) => type is HistoryEventType.TaskCreated or HistoryEventType.TaskClaimed
        or HistoryEventType.TaskUnclaimed or HistoryEventType.TaskAssigned or HistoryEventType.TaskDelegated
        or HistoryEventType.TaskCompleted or HistoryEventType.TaskCancelled;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A task change subscriber failed")]
    private partial void LogSubscriberFailed(Exception exception);
}
