namespace Trading.Workflow.Domain.Access;

/// <summary>The codes of the projects a user has a part in, for list queries (inbox, instances).</summary>
/// <param name="Readable">Projects the user may read as a whole (<see cref="ProjectAction.ViewProject"/>); null: every project (an administrator, a province-wide supervisor).</param>
/// <param name="Involved">Projects the user has any part in (readers, participants, experts); null: every project.</param>
/// <param name="ByRole">Per platform role, the projects in which the user holds it (candidate roles count there).</param>
/// <param name="Receiving">Projects whose tasks may be offered to the user by name.</param>
public sealed record ProjectCodes(
    IReadOnlyCollection<string>? Readable,
    IReadOnlyCollection<string>? Involved,
    IReadOnlyDictionary<string, IReadOnlyCollection<string>> ByRole,
    IReadOnlyCollection<string> Receiving);

/// <summary>
/// The one place other parts ask who may see and act in a project (documents, notices, deposits, the workflow pages
/// and API): can user U do action A on project P. Projects are named by id or by code (the business key of their
/// procedure instance); an instance whose business key names no project is not governed here (the caller keeps its
/// own rules for it).
/// </summary>
public interface IProjectAuthorization
{
    /// <summary>The user as the rules see the user; null when no account has this name.</summary>
    /// <param name="roles">The signed-in user's roles (from the sign-in); null reads them from the account.</param>
    Task<ProjectPrincipal?> PrincipalAsync(string userId, IReadOnlyCollection<string>? roles = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The project a business key belongs to (a project code, or another key a part maps to its project through
    /// <see cref="IBusinessKeyProjects"/>, e.g. a notice id), with its parties; null when it belongs to none.
    /// </summary>
    Task<ProjectScope?> ScopeAsync(string? projectCode, CancellationToken cancellationToken = default);

    /// <summary>
    /// For list queries filtered in the database: a scalar SQL expression giving the project code the business key in
    /// <paramref name="keyExpression"/> belongs to, or NULL when it belongs to no project.
    /// </summary>
    string ProjectCodeSql(Trading.Workflow.Engine.Persistence.Schema.DatabaseProvider provider, string keyExpression);

    /// <summary>The keys of projects whose code meets the condition without being it (their notices' ids...), for filters by code.</summary>
    string? ProjectKeysSql(Trading.Workflow.Engine.Persistence.Schema.DatabaseProvider provider, Func<string, string> codeCondition);

    Task<ProjectScope?> ScopeAsync(Guid projectId, CancellationToken cancellationToken = default);

    /// <summary>The user's standing in the project: the parties the user is and what the user may do.</summary>
    ProjectStanding StandingOf(ProjectPrincipal user, ProjectScope project);

    /// <summary>Whether the user may do <paramref name="action"/> on the project (false for an unknown user or project).</summary>
    /// <param name="entityId">For <see cref="ProjectAction.ViewEntityData"/>: whose data.</param>
    Task<bool> CanAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="CanAsync"/>, throwing <see cref="ProjectAccessDeniedException"/> when the user may not.</summary>
    Task RequireAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The projects the user may read as a whole (<see cref="ProjectAction.ViewProject"/>) as a selection a list query
    /// applies in the database: the centres whose projects the user reads, the entities whose projects (as owner or
    /// agency) it reads; null: every project.
    /// </summary>
    Task<ProjectSelection?> ReadableAsync(ProjectPrincipal user, CancellationToken cancellationToken = default);

    /// <summary>The projects the user has a part in, for filtering lists in the database.</summary>
    Task<ProjectCodes> CodesAsync(ProjectPrincipal user, CancellationToken cancellationToken = default);
}

/// <summary>The user is not a party of the project who may do this. Shown as 403 with <see cref="MessageZh"/> / <see cref="MessageEn"/>.</summary>
public sealed class ProjectAccessDeniedException(string projectCode, ProjectAction action)
    : Exception($"Not allowed: {action} on project {projectCode}.")
{
    public const string RuleCode = "Access.NotAllowed";
    public const string MessageZh = "您不是该项目中可以执行此操作的当事方。";
    public const string MessageEn = "You are not a party of this project who may do this.";

    public string ProjectCode { get; } = projectCode;

    public ProjectAction Action { get; } = action;
}
