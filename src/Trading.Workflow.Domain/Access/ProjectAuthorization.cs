using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Access;

/// <summary>
/// <see cref="IProjectAuthorization"/> over the projects, accounts, memberships and the access module's own party
/// tables. Stateless and thread-safe; every answer reads the current facts (a participant added a moment ago counts).
/// </summary>
public sealed class ProjectAuthorization(
    IProjectDirectory projects,
    IPlatformDirectory platform,
    IUserDirectory users,
    IActingEntities entities,
    IProjectPartyRegister parties,
    IEnumerable<IBusinessKeyProjects> keys) : IProjectAuthorization
{
    private readonly IBusinessKeyProjects[] _keys = keys.ToArray();

    public async Task<ProjectPrincipal?> PrincipalAsync(string userId, IReadOnlyCollection<string>? roles = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (await users.FindByUserNameAsync(userId, cancellationToken) is not { } account)
        {
            return null;
        }

        var acting = await entities.EntitiesOfAsync(account.AccountId, cancellationToken);
        return new ProjectPrincipal(account.UserName, roles ?? account.Roles, account.CentreId, acting);
    }

    public async Task<ProjectScope?> ScopeAsync(string? projectCode, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(projectCode))
        {
            return null;
        }

        // A project code names its project; another business key (a notice id...) the project its part maps it to.
        var project = await projects.FindByCodeAsync(projectCode, cancellationToken);
        if (project is null && await BusinessKeyProjects.ProjectCodeAsync(_keys, projectCode, cancellationToken) is { } code)
        {
            project = await projects.FindByCodeAsync(code, cancellationToken);
        }

        return project is null ? null : await ScopeOfAsync(project, cancellationToken);
    }

    public string ProjectCodeSql(Engine.Persistence.Schema.DatabaseProvider provider, string keyExpression) =>
        BusinessKeyProjects.ProjectCodeSql(_keys, provider, keyExpression);

    public string? ProjectKeysSql(Engine.Persistence.Schema.DatabaseProvider provider, Func<string, string> codeCondition) =>
        BusinessKeyProjects.ProjectKeysSql(_keys, provider, codeCondition);

    public async Task<ProjectScope?> ScopeAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        await projects.FindByIdAsync(projectId, cancellationToken) is { } project ? await ScopeOfAsync(project, cancellationToken) : null;

    public ProjectStanding StandingOf(ProjectPrincipal user, ProjectScope project) => ProjectAccessRules.StandingOf(user, project);

    public async Task<bool> CanAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default) =>
        await PrincipalAsync(userId, null, cancellationToken) is { } user
        && await ScopeAsync(projectId, cancellationToken) is { } project
        && StandingOf(user, project).Can(action, entityId);

    public async Task RequireAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default)
    {
        var project = await ScopeAsync(projectId, cancellationToken);
        if (project is null
            || await PrincipalAsync(userId, null, cancellationToken) is not { } user
            || !StandingOf(user, project).Can(action, entityId))
        {
            throw new ProjectAccessDeniedException(project?.Code ?? projectId.ToString(), action);
        }
    }

    public async Task<ProjectSelection?> ReadableAsync(ProjectPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.SeesEverything)
        {
            return null;
        }

        // The readers of ProjectAccessRules as a selection: staff and supervisors of the project's centre or a centre
        // above it (so their own centre and every centre below), the users of its owner or agency.
        var readCentres = new HashSet<Guid>();
        if (user.CentreId is { } centre && (user.IsInRole(PlatformRoles.Staff) || user.IsInRole(PlatformRoles.Supervisor)))
        {
            readCentres.UnionWith(await platform.WithDescendantsAsync(centre, cancellationToken));
        }

        return new ProjectSelection(readCentres, user.EntityIds, []);
    }

    public async Task<ProjectCodes> CodesAsync(ProjectPrincipal user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var everything = user.SeesEverything;

        // The same parties as ProjectAccessRules, as selections the database can answer.
        var ownCentre = user.IsInRole(PlatformRoles.Staff) && user.CentreId is { } c ? c : (Guid?)null;
        var readable = await ReadableAsync(user, cancellationToken);

        var participantProjects = user.EntityIds.Count == 0 ? [] : await parties.ProjectsOfParticipantsAsync(user.EntityIds, cancellationToken);
        var expertProjects = await parties.ProjectsOfExpertAsync(user.UserId, cancellationToken);

        var staffCodes = ownCentre is { } own ? await CodesAsync([own], [], [], cancellationToken) : [];
        var ownerCodes = await CodesAsync([], user.EntityIds, [], cancellationToken);
        var participantCodes = await CodesAsync([], [], participantProjects, cancellationToken);
        var expertCodes = await CodesAsync([], [], expertProjects, cancellationToken);

        IReadOnlyCollection<string>? readableCodes = null;
        IReadOnlyCollection<string>? involved = null;
        if (!everything)
        {
            var read = new HashSet<string>(await CodesAsync(readable!.CentreIds, [], [], cancellationToken), StringComparer.Ordinal);
            read.UnionWith(ownerCodes);
            readableCodes = read;
            involved = new HashSet<string>(read.Concat(participantCodes).Concat(expertCodes), StringComparer.Ordinal);
        }

        var byRole = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal)
        {
            [PlatformRoles.Staff] = staffCodes,
            [PlatformRoles.Tenderee] = user.IsInRole(PlatformRoles.Tenderee) ? ownerCodes : [],
            [PlatformRoles.Bidder] = user.IsInRole(PlatformRoles.Bidder) ? participantCodes : [],
            [PlatformRoles.Expert] = user.IsInRole(PlatformRoles.Expert) ? expertCodes : [],
        };
        var receiving = new HashSet<string>(staffCodes.Concat(ownerCodes).Concat(participantCodes).Concat(expertCodes), StringComparer.Ordinal);
        return new ProjectCodes(readableCodes, involved, byRole, receiving);
    }

    private async Task<IReadOnlyList<string>> CodesAsync(
        IReadOnlyCollection<Guid> centres, IReadOnlyCollection<Guid> ownerOrAgency, IReadOnlyCollection<Guid> projectIds, CancellationToken cancellationToken)
    {
        var selection = new ProjectSelection(centres, ownerOrAgency, projectIds);
        return selection.IsEmpty ? [] : await projects.CodesAsync(selection, cancellationToken);
    }

    private async Task<ProjectScope> ScopeOfAsync(ProjectRef project, CancellationToken cancellationToken) => new(
        project.Id,
        project.Code,
        project.CentreId,
        await platform.ParentsOfAsync(project.CentreId, cancellationToken),
        project.OwnerEntityId,
        project.AgencyEntityId,
        await parties.ParticipantsOfAsync(project.Id, cancellationToken),
        await parties.ExpertsOfAsync(project.Id, cancellationToken));
}
