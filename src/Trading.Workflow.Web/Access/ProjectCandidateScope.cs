using Trading.Workflow.Domain.Access;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Web.Access;

/// <summary>
/// The engine's candidate scope for trading projects: a task whose business key is a project code is offered only
/// within the project (a role of the procedure is that role of this project), and is delegated or assigned only to
/// its parties who could receive it. A business key that names no project keeps the engine's unscoped rule.
/// </summary>
public sealed class ProjectCandidateScope(IProjectAuthorization projects) : ITaskCandidateScope
{
    public async ValueTask<CandidateStanding> StandingAsync(string? businessKey, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        if (await projects.ScopeAsync(businessKey, cancellationToken) is not { } project)
        {
            return CandidateStanding.Unscoped(userId, roles);
        }

        var user = await projects.PrincipalAsync(userId, roles, cancellationToken);
        return user is null ? new CandidateStanding(userId, false, []) : ToCandidate(projects.StandingOf(user, project));
    }

    public async ValueTask<CandidateStanding?> StandingOfAsync(string? businessKey, string userId, CancellationToken cancellationToken = default)
    {
        if (await projects.ScopeAsync(businessKey, cancellationToken) is not { } project
            || await projects.PrincipalAsync(userId, null, cancellationToken) is not { } user)
        {
            return null;
        }

        return ToCandidate(projects.StandingOf(user, project));
    }

    public static CandidateStanding ToCandidate(ProjectStanding standing) =>
        new(standing.UserId, standing.MayReceiveTasks, standing.RolesInProject);
}
