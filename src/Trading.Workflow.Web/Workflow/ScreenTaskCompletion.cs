using System.Security.Claims;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Workflow;

/// <summary>
/// Completes a task whose built-in component is its only screen (a grant's notice review, a tender's schedule...): the
/// server checks the task is the signed-in user's to complete and is that component's task, then completes it without
/// variables (the component has done its work through its part's service). The parts' web classes share this one check
/// instead of each keeping a copy.
/// </summary>
public sealed class ScreenTaskCompletion(TaskService tasks, IWorkflowEngine engine)
{
    /// <summary>
    /// The task as the user sees it, when the user may complete it and it is <paramref name="componentKey"/>'s task;
    /// otherwise <see cref="WorkflowAccessDeniedException"/> (the same for a task that is not the user's and one of another
    /// screen, so nothing is learnt by trying).
    /// </summary>
    public async Task<(WorkflowUser User, TaskView View)> RequireAsync(ClaimsPrincipal principal, Guid taskId, string componentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentException.ThrowIfNullOrEmpty(componentKey);
        var user = WorkflowUser.From(principal);
        var view = await tasks.GetAsync(user, taskId, cancellationToken);
        if (!view.CanComplete || view.Task.FormKey != BuiltInTaskComponentRegistry.Prefix + componentKey)
        {
            throw new WorkflowAccessDeniedException();
        }

        return (user, view);
    }

    /// <summary>Completes <paramref name="componentKey"/>'s task for its assignee (see <see cref="RequireAsync"/>).</summary>
    public async Task CompleteAsync(ClaimsPrincipal principal, Guid taskId, string componentKey, CancellationToken cancellationToken = default)
    {
        var (user, _) = await RequireAsync(principal, taskId, componentKey, cancellationToken);
        await engine.CompleteTaskAsync(taskId, null, user.UserId, cancellationToken);
    }

    /// <summary>Completes a task <see cref="RequireAsync"/> already checked, with the variables its screen produced.</summary>
    public ValueTask CompleteAsync(WorkflowUser user, Guid taskId, IReadOnlyDictionary<string, object?>? variables, CancellationToken cancellationToken = default) =>
        engine.CompleteTaskAsync(taskId, variables, user.UserId, cancellationToken);
}
