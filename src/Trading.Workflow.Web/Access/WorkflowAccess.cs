using Trading.Workflow.Domain.Access;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Access;

/// <summary>
/// The project scope of workflow objects (tasks, instances, documents) for a signed-in user. A null standing means
/// the business key names no project: such instances (started from the designer or the workbench) keep the
/// platform's earlier rules; a project's are <see cref="ProjectAccessRules"/>.
/// </summary>
public sealed class WorkflowAccess(IProjectAuthorization projects)
{
    public IProjectAuthorization Projects => projects;

    /// <summary>The user's standing in the project the business key names; null when it names none.</summary>
    public async Task<ProjectStanding?> StandingAsync(WorkflowUser user, string? businessKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await projects.ScopeAsync(businessKey, cancellationToken) is not { } project)
        {
            return null;
        }

        var principal = await projects.PrincipalAsync(user.UserId, user.Roles, cancellationToken)
                        ?? new ProjectPrincipal(user.UserId, user.Roles, null, []);
        return projects.StandingOf(principal, project);
    }

    /// <summary>The projects the user has a part in, for filtering lists; null when the user sees every project.</summary>
    public async Task<ProjectCodes> CodesAsync(WorkflowUser user, CancellationToken cancellationToken = default)
    {
        var principal = await projects.PrincipalAsync(user.UserId, user.Roles, cancellationToken)
                        ?? new ProjectPrincipal(user.UserId, user.Roles, null, []);
        return await projects.CodesAsync(principal, cancellationToken);
    }

    /// <summary>Whether the user is offered the task: within its project when it has one (a role of the procedure is that role of the project).</summary>
    public static bool IsCandidate(WorkflowUser user, UserTaskInfo task, ProjectStanding? standing) =>
        standing is null
            ? TaskCandidates.IsCandidate(task, CandidateStanding.Unscoped(user.UserId, user.Roles))
            : TaskCandidates.IsCandidate(task, ProjectCandidateScope.ToCandidate(standing));

    /// <summary>
    /// Whether the user may see the task: without a project, theirs, offered to them, done by them, or they oversee
    /// instances; in a project, readers of the project see its tasks, everyone else only their own and the open ones
    /// offered to them there.
    /// </summary>
    public static bool MayView(WorkflowUser user, UserTaskInfo task, ProjectStanding? standing)
    {
        var own = string.Equals(task.Assignee, user.UserId, StringComparison.Ordinal)
                  || string.Equals(task.CompletedBy, user.UserId, StringComparison.Ordinal)
                  || string.Equals(task.Owner, user.UserId, StringComparison.Ordinal);
        if (standing is null)
        {
            return user.MayViewInstances || own || IsCandidate(user, task, null);
        }

        return standing.Can(ProjectAction.ViewProject) || own || (task.State == Engine.Store.UserTaskState.Open && IsCandidate(user, task, standing));
    }

    /// <summary>
    /// Whether the user may download a document of the project: readers of all its documents, and others the files
    /// they or a colleague of an entity they act for in the project uploaded (their own data only).
    /// </summary>
    public async Task<bool> MayDownloadAsync(WorkflowUser user, DocumentInfo document, ProjectStanding standing, CancellationToken cancellationToken = default)
    {
        if (standing.Can(ProjectAction.ViewDocuments))
        {
            return true;
        }

        if (string.Equals(document.UploadedBy, user.UserId, StringComparison.Ordinal))
        {
            return standing.IsParty;
        }

        if (standing.ActingFor.Count == 0 || await projects.PrincipalAsync(document.UploadedBy, null, cancellationToken) is not { } uploader)
        {
            return false;
        }

        return uploader.EntityIds.Any(e => standing.ActingFor.Contains(e) && standing.Can(ProjectAction.ViewEntityData, e));
    }
}
