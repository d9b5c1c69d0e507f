using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Access;

/// <summary>The ways a user can be a party of a project; one user can be several at once.</summary>
[Flags]
public enum ProjectParty
{
    None = 0,

    /// <summary>Staff of the project's own centre: read everything, act as staff.</summary>
    CentreStaff = 1,

    /// <summary>Staff of a centre above the project's centre: read only.</summary>
    ParentCentreStaff = 2,

    /// <summary>A user acting for the project's owner (tenderee, purchaser, grantor, transferor).</summary>
    Owner = 4,

    /// <summary>A user acting for the owner's authorised agency.</summary>
    Agency = 8,

    /// <summary>A user acting for an entity taking part in the project: its own data only.</summary>
    Participant = 16,

    /// <summary>An expert drawn for the project.</summary>
    Expert = 32,

    /// <summary>A supervisor of the project's region (a supervisor without a centre: the whole province). Reads, never trades.</summary>
    Supervisor = 64,

    /// <summary>A platform administrator: reads everything and runs the administrative commands, never trades.</summary>
    Administrator = 128,
}

/// <summary>What a user may want to do with a project; asked of <see cref="IProjectAuthorization"/>.</summary>
public enum ProjectAction
{
    /// <summary>Read the project: its record, notices, procedure state and history (the instance viewer).</summary>
    ViewProject,

    /// <summary>Read every document of the project (announcement files, tender documents, bids, records).</summary>
    ViewDocuments,

    /// <summary>Read who downloaded which document: staff and supervisors only, never the owner or the bidders.</summary>
    ViewDownloadRecords,

    /// <summary>Read one entity's own data in the project (its participation, deposit, bid): needs the entity id.</summary>
    ViewEntityData,

    /// <summary>Take part: receive, claim and complete tasks, submit, draft, pay.</summary>
    Act,

    /// <summary>The administrative commands on the project's procedure (cancel, suspend, resume, migrate, retry).</summary>
    Administer,

    /// <summary>
    /// Manage the project as its owner: edit it while a draft, submit it, draft its notices. Users acting for the owner
    /// or its agency, with the tenderee role (招标人/采购人/出让人 and agencies).
    /// </summary>
    Manage,
}

/// <summary>What the access rules know of a project.</summary>
/// <param name="ParentCentreIds">The centres above the project's centre, nearest first.</param>
/// <param name="ParticipantEntityIds">Entities taking part in the project (any of its sections).</param>
/// <param name="ExpertUserIds">User names of the experts drawn for it.</param>
public sealed record ProjectScope(
    Guid ProjectId,
    string Code,
    Guid CentreId,
    IReadOnlyList<Guid> ParentCentreIds,
    Guid OwnerEntityId,
    Guid? AgencyEntityId,
    IReadOnlyCollection<Guid> ParticipantEntityIds,
    IReadOnlyCollection<string> ExpertUserIds);

/// <summary>Who asks: a user by name (as the engine writes users), the user's platform roles, centre and the entities the user acts for.</summary>
public sealed record ProjectPrincipal(string UserId, IReadOnlyCollection<string> Roles, Guid? CentreId, IReadOnlyCollection<Guid> EntityIds)
{
    /// <summary>Sees every project (an administrator, a supervisor of the whole province).</summary>
    public bool SeesEverything => IsInRole(PlatformRoles.Administrator) || (IsInRole(PlatformRoles.Supervisor) && CentreId is null);

    public bool IsInRole(string role) => Roles.Contains(role);
}

/// <summary>A user's standing in one project: the parties the user is, and what follows from them.</summary>
public sealed class ProjectStanding
{
    private const ProjectParty Readers =
        ProjectParty.CentreStaff | ProjectParty.ParentCentreStaff | ProjectParty.Owner | ProjectParty.Agency | ProjectParty.Supervisor | ProjectParty.Administrator;

    private const ProjectParty Overseers = ProjectParty.CentreStaff | ProjectParty.ParentCentreStaff | ProjectParty.Supervisor | ProjectParty.Administrator;

    private const ProjectParty Actors = ProjectParty.CentreStaff | ProjectParty.Owner | ProjectParty.Agency | ProjectParty.Participant | ProjectParty.Expert;

    internal ProjectStanding(string userId, ProjectScope project, ProjectParty parties, IReadOnlyCollection<Guid> actingFor, IReadOnlyCollection<string> rolesInProject)
    {
        UserId = userId;
        Project = project;
        Parties = parties;
        ActingFor = actingFor;
        RolesInProject = rolesInProject;
    }

    /// <summary>The user's name.</summary>
    public string UserId { get; }

    public ProjectScope Project { get; }

    public ProjectParty Parties { get; }

    /// <summary>The entities of this project (owner, agency, participants) the user acts for.</summary>
    public IReadOnlyCollection<Guid> ActingFor { get; }

    /// <summary>
    /// The user's platform roles that count in this project: a role named in a procedure (candidate role) means that
    /// role <em>of this project</em> — Staff of its centre, Tenderee of its owner or agency, Bidder of a participant,
    /// Expert drawn for it.
    /// </summary>
    public IReadOnlyCollection<string> RolesInProject { get; }

    public bool IsParty => Parties != ProjectParty.None;

    /// <summary>Whether tasks of the project may be offered, delegated or assigned to the user.</summary>
    public bool MayReceiveTasks => Can(ProjectAction.Act);

    /// <summary>Reads only the data of the entities the user acts for (a participant, an expert): no whole-project view.</summary>
    public bool OwnDataOnly => IsParty && !Can(ProjectAction.ViewProject);

    public bool Is(ProjectParty party) => (Parties & party) != 0;

    public bool Can(ProjectAction action, Guid? entityId = null) => action switch
    {
        ProjectAction.ViewProject => Is(Readers),
        ProjectAction.ViewDocuments => Is(Readers | ProjectParty.Expert),
        ProjectAction.ViewDownloadRecords => Is(Overseers),
        ProjectAction.ViewEntityData => Is(Overseers | ProjectParty.Expert) || (entityId is { } id && ActingFor.Contains(id)),
        ProjectAction.Act => Is(Actors),
        ProjectAction.Administer => Is(ProjectParty.Administrator),
        ProjectAction.Manage => Is(ProjectParty.Owner | ProjectParty.Agency) && RolesInProject.Contains(PlatformRoles.Tenderee),
        _ => false,
    };
}

/// <summary>The rules of who is a party of a project (issue 11, point 9); pure, so they are tested without a database.</summary>
public static class ProjectAccessRules
{
    public static ProjectStanding StandingOf(ProjectPrincipal user, ProjectScope project)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(project);
        var parties = ProjectParty.None;
        var roles = new List<string>();
        var actingFor = new List<Guid>();

        if (user.IsInRole(PlatformRoles.Staff) && user.CentreId is { } staffCentre)
        {
            if (staffCentre == project.CentreId)
            {
                parties |= ProjectParty.CentreStaff;
                roles.Add(PlatformRoles.Staff);
            }
            else if (project.ParentCentreIds.Contains(staffCentre))
            {
                parties |= ProjectParty.ParentCentreStaff;
            }
        }

        if (user.EntityIds.Contains(project.OwnerEntityId))
        {
            parties |= ProjectParty.Owner;
            actingFor.Add(project.OwnerEntityId);
        }

        if (project.AgencyEntityId is { } agency && user.EntityIds.Contains(agency))
        {
            parties |= ProjectParty.Agency;
            actingFor.Add(agency);
        }

        if ((parties & (ProjectParty.Owner | ProjectParty.Agency)) != 0 && user.IsInRole(PlatformRoles.Tenderee))
        {
            roles.Add(PlatformRoles.Tenderee);
        }

        var participating = project.ParticipantEntityIds.Where(user.EntityIds.Contains).ToList();
        if (participating.Count > 0)
        {
            parties |= ProjectParty.Participant;
            actingFor.AddRange(participating);
            if (user.IsInRole(PlatformRoles.Bidder))
            {
                roles.Add(PlatformRoles.Bidder);
            }
        }

        if (project.ExpertUserIds.Contains(user.UserId))
        {
            parties |= ProjectParty.Expert;
            if (user.IsInRole(PlatformRoles.Expert))
            {
                roles.Add(PlatformRoles.Expert);
            }
        }

        if (user.IsInRole(PlatformRoles.Supervisor)
            && (user.CentreId is not { } region || region == project.CentreId || project.ParentCentreIds.Contains(region)))
        {
            parties |= ProjectParty.Supervisor;
        }

        if (user.IsInRole(PlatformRoles.Administrator))
        {
            parties |= ProjectParty.Administrator;
        }

        return new ProjectStanding(user.UserId, project, parties, actingFor.Distinct().ToList(), roles);
    }
}
