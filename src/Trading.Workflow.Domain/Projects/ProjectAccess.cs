using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// Who is acting on projects: the user (by user name, as the engine and the trail name users), the platform roles, the
/// user's centre and the verified market entities the user acts for (as a member of the entity). The web builds it
/// from the signed-in user; the services check every call against the one rule of who is a party of a project
/// (<see cref="Access.IProjectAuthorization"/>, <see cref="Access.ProjectAccessRules"/>), whatever a page shows.
/// </summary>
public sealed record ProjectActor(string UserId, IReadOnlyCollection<string> Roles, Guid? CentreId, IReadOnlyList<PartyRef> ActsFor)
{
    /// <summary>The actor as the access rules see it.</summary>
    public Access.ProjectPrincipal Principal => new(UserId, Roles, CentreId, [.. ActsFor.Select(p => p.EntityId).Distinct()]);

    /// <summary>Tenderees (招标人/采购人/出让人 and agencies) register projects in their own centre.</summary>
    public bool MayRegister => IsInRole(Accounts.PlatformRoles.Tenderee) && CentreId is not null;

    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool ActsForEntity(Guid entityId) => ActsFor.Any(p => p.EntityId == entityId);
}

/// <summary>The user may not see or do this with the project (or any project); 403 for the API, a message on pages.</summary>
public sealed class ProjectAccessDeniedException() : Exception("The user may not do this with the project.")
{
    public const string RuleCode = "Project.AccessDenied";
}
