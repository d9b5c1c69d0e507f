using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// Who is acting on projects: the user (by user name, as the engine and the trail name users), the platform roles, the
/// user's centre and the verified market entities the user acts for (as a member of the entity). The web builds it
/// from the signed-in user; the services check every call with <see cref="ProjectAccess"/>, whatever a page shows.
/// </summary>
public sealed record ProjectActor(string UserId, IReadOnlyCollection<string> Roles, Guid? CentreId, IReadOnlyList<PartyRef> ActsFor)
{
    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool ActsForEntity(Guid entityId) => ActsFor.Any(p => p.EntityId == entityId);
}

/// <summary>The user may not see or do this with the project (or any project); 403 for the API, a message on pages.</summary>
public sealed class ProjectAccessDeniedException() : Exception("The user may not do this with the project.")
{
    public const string RuleCode = "Project.AccessDenied";
}

/// <summary>
/// The project scope rules. A project belongs to its centre; its parties are the owner and the agency (their users)
/// and the user who registered it.
/// <list type="bullet">
/// <item>Tenderees (招标人/采购人/出让人 and agencies) register projects in their own centre for an entity they act for,
/// and see, edit (while a draft) and submit the projects of the entities they act for, or that they registered.</item>
/// <item>Staff and administrators see the projects of their centre and, read-only, of the centres below it.</item>
/// <item>Supervisors see (never change) the projects of their centre and the centres below it, or every project
/// when they oversee the whole province (no centre).</item>
/// </list>
/// </summary>
public static class ProjectAccess
{
    public static bool MayRegister(ProjectActor actor) =>
        actor.IsInRole(PlatformRoles.Tenderee) && actor.CentreId is not null;

    /// <summary>The user is a party of the project: it registered it or acts for its owner or agency, in its centre.</summary>
    public static bool IsParty(ProjectActor actor, Guid centreId, string registeredBy, Guid ownerEntityId, Guid? agencyEntityId) =>
        actor.IsInRole(PlatformRoles.Tenderee)
        && actor.CentreId == centreId
        && (string.Equals(registeredBy, actor.UserId, StringComparison.Ordinal)
            || actor.ActsForEntity(ownerEntityId)
            || (agencyEntityId is { } agency && actor.ActsForEntity(agency)));

    /// <param name="centreAndAncestors">The project's centre followed by the centres above it.</param>
    public static bool MayView(ProjectActor actor, Project project, IReadOnlyCollection<Guid> centreAndAncestors) =>
        IsParty(actor, project.CentreId, project.RegisteredBy, project.OwnerEntityId, project.AgencyEntityId)
        || IsCentreOfficial(actor, centreAndAncestors);

    public static bool MayEdit(ProjectActor actor, Project project) =>
        IsParty(actor, project.CentreId, project.RegisteredBy, project.OwnerEntityId, project.AgencyEntityId);

    /// <summary>Staff, administrators and supervisors of the project's centre or a centre above it; province-wide supervisors.</summary>
    public static bool IsCentreOfficial(ProjectActor actor, IReadOnlyCollection<Guid> centreAndAncestors) =>
        ((actor.IsInRole(PlatformRoles.Staff) || actor.IsInRole(PlatformRoles.Administrator) || actor.IsInRole(PlatformRoles.Supervisor))
            && actor.CentreId is { } centre && centreAndAncestors.Contains(centre))
        || (actor.IsInRole(PlatformRoles.Supervisor) && actor.CentreId is null);
}
