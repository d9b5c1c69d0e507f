using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// Registering, editing, submitting and reading projects. Every call checks the actor's role and scope here, through
/// the one rule of who is a party of a project (<see cref="IProjectAuthorization"/>), whatever a page shows; every change appends to the trail in its own
/// transaction. Submitting starts the procedure mapped to the project's trade type and method with the project code as
/// business key, and the project's state change commits in the engine's start command.
/// </summary>
public sealed class ProjectService(
    ITradingDatabase database,
    IAuditTrail trail,
    IProjectParties parties,
    ProjectProcedures procedures,
    IWorkflowEngine engine,
    TimeProvider time,
    IEnumerable<ISectionDepositSetup> depositSetups,
    IProjectAuthorization authorization,
    DocumentService documents)
{
    /// <summary>Project codes carry the year of registration in China Standard Time.</summary>
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public async Task<Project> RegisterAsync(ProjectActor actor, ProjectInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        if (!actor.MayRegister)
        {
            throw new ProjectAccessDeniedException();
        }

        var details = await ResolveDetailsAsync(actor, input, cancellationToken);
        var now = time.GetUtcNow();
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var centre = await db.Set<TradingCentre>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == actor.CentreId, cancellationToken)
            ?? throw new DomainRuleException(ProjectRules.CentreUnknown, $"Centre {actor.CentreId} does not exist.");
        var year = now.ToOffset(ChinaStandardTime).Year;
        var sequence = await ProjectCodeSequence.NextAsync(db, centre.Id, input.TradeType, year, cancellationToken);
        var project = Project.Register(
            ProjectCode.Format(centre.Code, input.TradeType, year, sequence), centre.Id, input.TradeType, details,
            [.. input.Sections.Select(s => s.Draft)], actor.UserId, now);
        db.Add(project);
        var letter = await LetterDocumentAsync(db, project, actor.UserId, input.AgencyLetterName, cancellationToken);
        await trail.AppendAsync(db, Record(actor, project, "projects.project.registered", new
        {
            projectId = project.Id,
            project.Code,
            project.TradeType,
            project.Method,
            ownerEntityId = project.OwnerEntityId,
            agencyEntityId = project.AgencyEntityId,
            agencyLetterSha256 = project.AgencyLetterSha256,
            agencyLetterDocumentId = letter?.Id,
            sections = project.Sections.Select(s => new { sectionId = s.Id, s.Code, s.EstimatedPrice, s.DepositAmount }),
        }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return project;
    }

    public async Task<Project> ReviseAsync(ProjectActor actor, Guid projectId, int expectedRevision, ProjectInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        await using var db = database.Create();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var project = await LoadForChangeAsync(db, actor, projectId, expectedRevision, cancellationToken);
        if (!string.Equals(project.TradeType, input.TradeType, StringComparison.Ordinal))
        {
            // The code carries the trade type: another type is another project.
            throw new DomainRuleException(ProjectRules.CodeFormat, $"Project {project.Code} stays of trade type {project.TradeType}.");
        }

        var details = await ResolveDetailsAsync(actor, input, cancellationToken);
        project.Revise(details, input.Sections, now);
        var letter = await LetterDocumentAsync(db, project, actor.UserId, input.AgencyLetterName, cancellationToken);
        await trail.AppendAsync(db, Record(actor, project, "projects.project.revised", new
        {
            projectId = project.Id,
            project.Code,
            project.Name,
            ownerEntityId = project.OwnerEntityId,
            agencyEntityId = project.AgencyEntityId,
            agencyLetterSha256 = project.AgencyLetterSha256,
            agencyLetterDocumentId = letter?.Id,
            project.Revision,
            sections = project.Sections.Select(s => new { sectionId = s.Id, s.Code, s.EstimatedPrice, s.DepositAmount }),
        }), cancellationToken);
        await SaveAsync(db, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return project;
    }

    /// <summary>
    /// Starts the project's procedure with its code as business key and, in the same database transaction (the
    /// engine's start command), marks the project submitted, links the instance and appends to the trail. A refused
    /// or failed start leaves the project a draft and no instance. The deposit of each section that asks one is
    /// configured (<see cref="ISectionDepositSetup"/>) in that same transaction.
    /// </summary>
    public async Task<Project> SubmitAsync(ProjectActor actor, Guid projectId, int expectedRevision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Project project;
        await using (var db = database.Create())
        {
            project = await LoadForChangeAsync(db, actor, projectId, expectedRevision, cancellationToken);
        }

        var processId = procedures.For(project.TradeType, project.Method)
            ?? throw new DomainRuleException(ProjectRules.NoProcedure, $"No procedure is configured for {project.TradeType}/{project.Method}.");
        Project? submitted = null;
        await engine.StartAsync(new StartInstanceRequest(processId)
        {
            BusinessKey = project.Code,
            UserId = actor.UserId,
            Variables = StartVariables(project, actor.UserId),
            BeforeCommit = async (command, instance, ct) =>
            {
                var db = database.For(command);
                var current = await LoadForChangeAsync(db, actor, projectId, expectedRevision, ct);
                current.Submit(processId, instance.Id, time.GetUtcNow());
                await trail.AppendAsync(db, Record(actor, current, "projects.project.submitted", new
                {
                    projectId = current.Id,
                    current.Code,
                    processId,
                    instanceId = instance.Id,
                    sections = current.Sections.Select(s => new { sectionId = s.Id, s.Code }),
                }), ct);
                foreach (var setup in depositSetups)
                {
                    await setup.ConfigureAsync(db, current, actor.UserId, ct);
                }

                submitted = current;
            },
        }, cancellationToken);
        return submitted ?? throw new InvalidOperationException("The engine started the procedure without running the submission.");
    }

    public async Task<ProjectView> GetAsync(ProjectActor actor, Guid projectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = database.Create();
        var project = await db.Set<Project>().AsNoTracking().Include(p => p.Sections)
            .FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken)
            ?? throw new DomainRuleException(ProjectRules.NotFound, $"Project {projectId} does not exist.");
        var centres = await CentresAsync(db, cancellationToken);
        var standing = await StandingAsync(actor, project.Id, cancellationToken);
        if (standing?.Can(ProjectAction.ViewProject) != true)
        {
            // Not found rather than forbidden: a project of another party is not even confirmed to exist.
            throw new DomainRuleException(ProjectRules.NotFound, $"Project {projectId} is not visible to {actor.UserId}.");
        }

        var mayEdit = standing.Can(ProjectAction.Manage) && project.State == ProjectState.Draft;
        return new ProjectView(project, centres.Find(project.CentreId), mayEdit, procedures.For(project.TradeType, project.Method));
    }

    /// <summary>
    /// The agency's letter of authorisation as a document of the project (download: <c>/documents/{id}/content</c>, to
    /// the project's readers through <see cref="AgencyLetterAccess"/>); null when the project names no agency. A letter
    /// stored before letters were registry documents (its SHA-256 alone) is registered on this first need, as uploaded
    /// by the project's registrant.
    /// </summary>
    public async Task<Document?> AgencyLetterAsync(ProjectActor actor, Guid projectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if ((await StandingAsync(actor, projectId, cancellationToken))?.Can(ProjectAction.ViewProject) != true)
        {
            throw new DomainRuleException(ProjectRules.NotFound, $"Project {projectId} is not visible to {actor.UserId}.");
        }

        await using var db = database.Create();
        var project = await db.Set<Project>().AsNoTracking().FirstAsync(p => p.Id == projectId, cancellationToken);
        // Every page view asks: a registered letter is only read, a write transaction opens for an unregistered one alone.
        if (project.AgencyLetterSha256 is not { } sha256)
        {
            return null;
        }

        if (await RegisteredLetterAsync(db, project.Id, sha256, cancellationToken) is { } registered)
        {
            return registered;
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var letter = await LetterDocumentAsync(db, project, project.RegisteredBy, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return letter;
    }

    // The oldest document of the project with the letter's hash (two first needs at one instant may both register it).
    private static async Task<Document?> RegisteredLetterAsync(TradingDbContext db, Guid projectId, string sha256, CancellationToken cancellationToken) =>
        (await db.Set<Document>().AsNoTracking().Where(d => d.ProjectId == projectId && d.Sha256 == sha256).ToListAsync(cancellationToken))
            .MinBy(d => d.UploadedAt);

    /// <summary>
    /// The project's current letter as a registry document of the project (its centre's, the project's): the one
    /// registered with that SHA-256, else registered now from the store in the caller's transaction. A letter the store
    /// does not hold, or holds damaged, is refused (<see cref="ProjectRules.AgencyLetterInvalid"/>).
    /// </summary>
    private async Task<Document?> LetterDocumentAsync(TradingDbContext db, Project project, string uploadedBy, string? fileName, CancellationToken cancellationToken)
    {
        if (project.AgencyLetterSha256 is not { } sha256)
        {
            return null;
        }

        await TakeLetterLockAsync(db, project.Id, cancellationToken);
        if (await RegisteredLetterAsync(db, project.Id, sha256, cancellationToken) is { } registered)
        {
            return registered;
        }

        try
        {
            return await documents.RegisterStoredAsync(
                db, sha256, string.IsNullOrWhiteSpace(fileName) ? $"{project.Code}-授权书" : fileName, new DocumentScope(project.CentreId, project.Id),
                new DocumentActor(uploadedBy, [], project.CentreId), FilePolicy.Scans, cancellationToken);
        }
        catch (Exception e) when (e is DocumentDamagedException || (e is DomainRuleException rule && rule.RuleCode == DocumentRules.NotFound))
        {
            throw new DomainRuleException(ProjectRules.AgencyLetterInvalid, $"The authorisation letter {sha256} is not a stored document.");
        }
    }

    /// <summary>
    /// One registration of a project's letter at a time, so the check above sees the one a concurrent first need made.
    /// PostgreSQL: the trail's writer lock first (the registration appends to the trail; see DepositSectionLock), then
    /// the project's row (none yet for a project being registered: nothing to wait for). SQLite: the transaction already
    /// is the only writer (BEGIN IMMEDIATE).
    /// </summary>
    private static async Task TakeLetterLockAsync(TradingDbContext db, Guid projectId, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync(AuditTrail.PostgresWriterLockSql, cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM tr_projects WHERE id = {projectId} FOR UPDATE", cancellationToken);
        }
    }

    public async Task<ProjectPage> ListAsync(ProjectActor actor, ProjectFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = database.Create();
        var rows = Scope(db, await authorization.ReadableAsync(actor.Principal, cancellationToken));
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var text = filter.Search.Trim();
            rows = rows.Where(p => p.Code.Contains(text) || p.Name.Contains(text));
        }

        if (!string.IsNullOrWhiteSpace(filter.TradeType))
        {
            rows = rows.Where(p => p.TradeType == filter.TradeType);
        }

        if (filter.State is { } state)
        {
            rows = rows.Where(p => p.State == state);
        }

        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderByDescending(p => p.RegisteredAt).ThenBy(p => p.Code)
            .Skip(Math.Max(0, filter.Skip)).Take(Math.Clamp(filter.Take, 1, 200))
            .Select(p => new ProjectRow(p.Id, p.Code, p.Name, p.TradeType, p.Method, p.OwnerName, p.EstimatedPrice, p.State, p.RegisteredAt, p.ProcessInstanceId))
            .ToListAsync(cancellationToken);
        return new ProjectPage(page, total);
    }

    /// <summary>
    /// The projects in <paramref name="states"/> of the entities the actor acts for, as owner or as agency, newest first:
    /// the tenderee's workspace (an agency's draft for its company included). The list's scope narrowed to those
    /// entities, so a user who is staff too sees its own projects here, not its centre's.
    /// </summary>
    public async Task<IReadOnlyList<OwnProjectRow>> OfOwnEntitiesAsync(ProjectActor actor, IReadOnlyCollection<ProjectState> states, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(states);
        var own = actor.ActsFor.Select(p => p.EntityId).Distinct().ToList();
        if (own.Count == 0 || states.Count == 0)
        {
            return [];
        }

        var wanted = states.ToList();
        await using var db = database.Create();
        return await Scope(db, await authorization.ReadableAsync(actor.Principal, cancellationToken))
            .Where(p => (own.Contains(p.OwnerEntityId) || (p.AgencyEntityId != null && own.Contains(p.AgencyEntityId.Value))) && wanted.Contains(p.State))
            .OrderByDescending(p => p.RegisteredAt).ThenBy(p => p.Code)
            .Select(p => new OwnProjectRow(p.Id, p.Code, p.Name, p.TradeType, p.Method, p.OwnerEntityId, p.OwnerName, p.AgencyEntityId, p.AgencyName, p.State, p.RegisteredAt, p.SubmittedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The projects the actor may read (<see cref="IProjectAuthorization.ReadableAsync"/>), as a query to filter further.</summary>
    private static IQueryable<Project> Scope(TradingDbContext db, ProjectSelection? readable)
    {
        var projects = db.Set<Project>().AsNoTracking();
        if (readable is null)
        {
            return projects;
        }

        var centres = readable.CentreIds.ToList();
        var entities = readable.OwnerOrAgencyEntityIds.ToList();
        return projects.Where(p => centres.Contains(p.CentreId)
            || entities.Contains(p.OwnerEntityId)
            || (p.AgencyEntityId != null && entities.Contains(p.AgencyEntityId.Value)));
    }

    /// <summary>The actor's standing in the project (null when there is no such project).</summary>
    private async Task<ProjectStanding?> StandingAsync(ProjectActor actor, Guid projectId, CancellationToken cancellationToken) =>
        await authorization.ScopeAsync(projectId, cancellationToken) is { } scope ? authorization.StandingOf(actor.Principal, scope) : null;

    /// <summary>
    /// The owner and agency as the market knows them (names are never taken from what a page posts): the user registers
    /// for an owner it acts for, or as an agency it acts for on behalf of a verified owner.
    /// </summary>
    private async Task<ProjectDetails> ResolveDetailsAsync(ProjectActor actor, ProjectInput input, CancellationToken cancellationToken)
    {
        async Task<PartyRef?> Resolve(Guid? entityId) => entityId is not { } id || id == Guid.Empty
            ? null
            : actor.ActsFor.FirstOrDefault(p => p.EntityId == id) ?? await parties.FindVerifiedAsync(id, cancellationToken);

        var owner = await Resolve(input.OwnerEntityId)
            ?? throw new DomainRuleException(ProjectRules.OwnerRequired, $"Entity {input.OwnerEntityId} is not a verified entity.");
        var agency = await Resolve(input.AgencyEntityId);
        if (input.AgencyEntityId is { } agencyId && agencyId != Guid.Empty && agency is null)
        {
            throw new DomainRuleException(ProjectRules.OwnerRequired, $"Entity {agencyId} is not a verified entity.");
        }

        if (!actor.ActsForEntity(owner.EntityId) && (agency is null || !actor.ActsForEntity(agency.EntityId)))
        {
            throw new ProjectAccessDeniedException();
        }

        var department = string.IsNullOrWhiteSpace(input.SupervisingDepartmentName) && string.IsNullOrWhiteSpace(input.SupervisingDepartmentCreditCode)
            ? null
            : new DepartmentRef(input.SupervisingDepartmentName ?? string.Empty, input.SupervisingDepartmentCreditCode);
        return new ProjectDetails(input.Method, input.Name, owner, agency, input.AgencyLetterSha256, input.StateFunded, input.RegionCode, input.Industry, department);
    }

    private async Task<Project> LoadForChangeAsync(TradingDbContext db, ProjectActor actor, Guid projectId, int expectedRevision, CancellationToken cancellationToken)
    {
        var project = await db.Set<Project>().Include(p => p.Sections).FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken)
            ?? throw new DomainRuleException(ProjectRules.NotFound, $"Project {projectId} does not exist.");

        // An archived project is read-only (资料归档).
        await Archive.ArchiveGuard.EnsureWritableAsync(db, project.Id, cancellationToken);
        if ((await StandingAsync(actor, project.Id, cancellationToken))?.Can(ProjectAction.Manage) != true)
        {
            throw new ProjectAccessDeniedException();
        }

        if (project.State != ProjectState.Draft)
        {
            throw new DomainRuleException(ProjectRules.NotDraft, $"Project {project.Code} is {project.State}.");
        }

        if (project.Revision != expectedRevision)
        {
            throw new DomainRuleException(ProjectRules.Changed, $"Project {project.Code} is at revision {project.Revision}, not {expectedRevision}.");
        }

        return project;
    }

    private static async Task SaveAsync(TradingDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainRuleException(ProjectRules.Changed, "The project was changed by another user.");
        }
    }

    /// <summary>
    /// The variables every procedure starts with, and those of the project's trade type only: <c>stateFunded</c> where the
    /// trade has funding (<see cref="TradeTypes.HasFunding"/>), never on a land or mineral grant. A trade's own variables
    /// beyond these are set by its procedure's first service task (the tender's, the grant's <c>grantPrepare</c>).
    /// </summary>
    private static Dictionary<string, object?> StartVariables(Project project, string initiator)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["projectId"] = project.Id.ToString(),
            ["projectCode"] = project.Code,
            ["projectName"] = project.Name,
            ["centreId"] = project.CentreId.ToString(),
            ["tradeType"] = project.TradeType,
            ["tradeMethod"] = project.Method,
            ["estimatedPrice"] = project.EstimatedPrice,
            ["sectionCount"] = project.Sections.Count,
            ["initiator"] = initiator,
        };
        if (TradeTypes.HasFunding(project.TradeType))
        {
            variables["stateFunded"] = project.StateFunded;
        }

        return variables;
    }

    private static AuditRecord Record(ProjectActor actor, Project project, string action, object data) =>
        new(actor.UserId, project.CentreId, "project", project.Id.ToString(), action, data);

    private static async Task<CentreTree> CentresAsync(TradingDbContext db, CancellationToken cancellationToken) =>
        new(await db.Set<TradingCentre>().AsNoTracking().ToListAsync(cancellationToken));
}
