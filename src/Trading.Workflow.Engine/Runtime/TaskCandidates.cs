namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// A user as a task's candidate strings are matched against, within the scope of the task's business key: the roles
/// the host says the user holds there (a role named in a BPMN file means that role <em>of this business</em>), and
/// whether the user may receive tasks of it at all (as a named candidate user, a delegate or an assignee).
/// </summary>
/// <param name="UserId">The user's name, as candidate users and assignees are written.</param>
/// <param name="MayReceive">False when the user has no part in the business key's scope: nothing of it is offered to them.</param>
/// <param name="Roles">The user's roles that count within the scope; a subset of the user's platform roles.</param>
public sealed record CandidateStanding(string UserId, bool MayReceive, IReadOnlyCollection<string> Roles)
{
    /// <summary>No scope: the user receives what is offered to them or to any of their roles (the engine's own rule).</summary>
    public static CandidateStanding Unscoped(string userId, IReadOnlyCollection<string> roles) => new(userId, true, roles);
}

/// <summary>
/// The host's reading of what a task's candidates mean for its business key. The engine stores candidate users and
/// roles as strings and knows nothing of what a business key stands for; the host (for a trading project: its
/// centre, owner, agency, participants, experts) says which of a user's roles count for tasks of that key.
/// The default, <see cref="UnscopedTaskCandidates"/>, applies no scope.
/// </summary>
public interface ITaskCandidateScope
{
    /// <summary>The standing of a user whose roles the caller knows (the signed-in user).</summary>
    ValueTask<CandidateStanding> StandingAsync(string? businessKey, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default);

    /// <summary>
    /// The standing of another user, known by name only (the user a task is delegated or assigned to); null when the
    /// scope cannot judge (no such user, or no scope at all), in which case the engine does not limit the command.
    /// </summary>
    ValueTask<CandidateStanding?> StandingOfAsync(string? businessKey, string userId, CancellationToken cancellationToken = default);
}

/// <summary>No scope: every role counts everywhere, and other users are not judged.</summary>
public sealed class UnscopedTaskCandidates : ITaskCandidateScope
{
    public ValueTask<CandidateStanding> StandingAsync(string? businessKey, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(CandidateStanding.Unscoped(userId, roles));

    public ValueTask<CandidateStanding?> StandingOfAsync(string? businessKey, string userId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<CandidateStanding?>(null);
}

/// <summary>Who is a candidate of a task, and who may be handed one.</summary>
public static class TaskCandidates
{
    /// <summary>
    /// The task is offered to the user: the user may receive tasks of its scope and is a named candidate user, or
    /// holds one of its candidate roles within the scope.
    /// </summary>
    public static bool IsCandidate(UserTaskInfo task, CandidateStanding standing)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(standing);
        if (!standing.MayReceive)
        {
            return false;
        }

        foreach (var user in task.CandidateUsers)
        {
            if (string.Equals(user, standing.UserId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var role in task.CandidateRoles)
        {
            if (standing.Roles.Contains(role))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the task may be delegated or assigned to the user: a task with candidates only to one of them; a task
    /// the procedure gave straight to an assignee (no candidates) to a user who may receive tasks of its scope and
    /// holds a role there that the current assignee holds too (<paramref name="assigneeRoles"/>; the same side).
    /// </summary>
    public static bool CouldReceive(UserTaskInfo task, CandidateStanding standing, IReadOnlyCollection<string>? assigneeRoles = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(standing);
        if (task.CandidateUsers.Count > 0 || task.CandidateRoles.Count > 0)
        {
            return IsCandidate(task, standing);
        }

        return standing.MayReceive && (assigneeRoles is null || standing.Roles.Any(assigneeRoles.Contains));
    }
}

/// <summary>A task was to be delegated or assigned to a user who could not receive it; nothing changed.</summary>
public sealed class TaskRecipientNotAllowedException(Guid taskId, string userId)
    : WorkflowException(
        "recipient_not_allowed",
        $"不能把任务交给用户 {userId}：该用户不是此任务的候选人（须是本项目中可以办理此任务的人员）。",
        $"The task cannot be handed to '{userId}': that user is not a candidate of the task (only people of this project who could receive it).")
{
    public Guid TaskId { get; } = taskId;

    public string UserId { get; } = userId;
}
