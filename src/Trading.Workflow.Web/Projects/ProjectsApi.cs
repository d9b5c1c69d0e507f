using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Web.Projects;

/// <summary>The query string of GET /api/projects.</summary>
public sealed record ProjectListRequest(string? Search, string? TradeType, ProjectState? State, int? Skip, int? Take);

/// <summary>A section as the API states it (register, edit) and answers it.</summary>
public sealed record SectionDto(Guid? Id, string? Code, string Subject, decimal EstimatedPrice, decimal DepositAmount, DepositForms DepositForms);

/// <summary>What a registration or a draft edit posts; <c>AgencyLetterName</c>: the letter's file name, optional.</summary>
public sealed record ProjectRequest(
    string TradeType, string Method, string Name, Guid OwnerEntityId, Guid? AgencyEntityId, string? AgencyLetterSha256,
    bool StateFunded, string RegionCode, string Industry, IReadOnlyList<SectionDto> Sections,
    string? SupervisingDepartmentName = null, string? SupervisingDepartmentCreditCode = null, string? AgencyLetterName = null)
{
    public ProjectInput ToInput() => new(
        TradeType, Method, Name, OwnerEntityId, AgencyEntityId, AgencyLetterSha256, StateFunded, RegionCode, Industry,
        [.. (Sections ?? []).Select(s => new SectionEdit(s.Id, new SectionDraft(s.Subject, s.EstimatedPrice, s.DepositAmount, s.DepositForms)))],
        SupervisingDepartmentName, SupervisingDepartmentCreditCode, AgencyLetterName);
}

/// <summary>A draft edit: the project as it should be, and the revision it was read at.</summary>
public sealed record ProjectEditRequest(int Revision, ProjectRequest Project);

public sealed record RevisionRequest(int Revision);

public sealed record ProjectResponse(
    Guid Id, string Code, Guid CentreId, string TradeType, string Method, string Name, Guid OwnerEntityId, string OwnerName,
    Guid? AgencyEntityId, string? AgencyName, string? AgencyLetterSha256, bool StateFunded, decimal EstimatedPrice, string RegionCode,
    string Industry, ProjectState State, string? ProcessId, Guid? ProcessInstanceId, string RegisteredBy, DateTimeOffset RegisteredAt,
    DateTimeOffset? SubmittedAt, int Revision, IReadOnlyList<SectionDto> Sections,
    string? SupervisingDepartmentName, string? SupervisingDepartmentCreditCode)
{
    public static ProjectResponse From(Project p) => new(
        p.Id, p.Code, p.CentreId, p.TradeType, p.Method, p.Name, p.OwnerEntityId, p.OwnerName, p.AgencyEntityId, p.AgencyName,
        p.AgencyLetterSha256, p.StateFunded, p.EstimatedPrice, p.RegionCode, p.Industry, p.State, p.ProcessId, p.ProcessInstanceId,
        p.RegisteredBy, p.RegisteredAt, p.SubmittedAt, p.Revision,
        [.. p.Sections.OrderBy(s => s.Number).Select(s => new SectionDto(s.Id, s.Code, s.Subject, s.EstimatedPrice, s.DepositAmount, s.DepositForms))],
        p.SupervisingDepartmentName, p.SupervisingDepartmentCreditCode);
}

/// <summary>
/// /api/projects: the same service and the same checks as the pages. Tenderees register, edit (drafts) and submit the
/// projects of the entities they act for; staff, administrators and supervisors read their centre's projects. A
/// project outside the caller's scope is answered 404, an action the caller may not take 403, a broken rule 400 with
/// the rule's message in the caller's language, a stale revision 409.
/// </summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjects(this IEndpointRouteBuilder endpoints)
    {
        // The same protection as the workflow API: a cookie-authenticated change needs the API header (no CSRF).
        var group = endpoints.MapGroup("/api/projects").WithTags("Projects")
            .RequireAuthorization()
            .DisableAntiforgery()
            .AddEndpointFilter(Workflow.WorkflowEndpoints.RequireApiHeaderOnChanges)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("", ListProjects).WithName("ListProjects")
            .WithSummary("A page of the projects the caller may see")
            .WithDescription("Tenderees: the projects of the entities they act for in their centre. Staff and administrators: their centre's and the centres' below. Supervisors: their centre's and below, or all when province-wide. Take is 1-200 (default 20).");
        group.MapGet("/{id:guid}", GetProject).WithName("GetProject").WithSummary("A project with its sections");
        group.MapPost("", RegisterProject).WithName("RegisterProject")
            .WithSummary("Register a project (a draft) and get its code")
            .WithDescription("Tenderees of a centre, for an owner they act for (or as its agency, with the authorisation letter's SHA-256).");
        group.MapPut("/{id:guid}", ReviseProject).WithName("ReviseProject")
            .WithSummary("Edit a draft: its data and its whole list of sections").WithDescription("The project's parties; 409 when the revision is stale.");
        group.MapPost("/{id:guid}/submit", SubmitProject).WithName("SubmitProject")
            .WithSummary("Submit a draft: its procedure starts with the project code as business key")
            .WithDescription("The project's parties; 400 when no procedure is configured for its trade type and method.");
        return endpoints;
    }

    public static async Task<Ok<ProjectPage>> ListProjects(
        [AsParameters] ProjectListRequest request, ClaimsPrincipal principal, ProjectActors actors, ProjectService projects, CancellationToken ct)
    {
        var actor = await actors.ForAsync(principal, ct);
        return TypedResults.Ok(await projects.ListAsync(actor, new ProjectFilter
        {
            Search = request.Search,
            TradeType = request.TradeType,
            State = request.State,
            Skip = Math.Max(0, request.Skip ?? 0),
            Take = Math.Clamp(request.Take ?? 20, 1, 200),
        }, ct));
    }

    public static async Task<Results<Ok<ProjectResponse>, NotFound<ProblemDetails>>> GetProject(
        Guid id, ClaimsPrincipal principal, ProjectActors actors, ProjectService projects, IStringLocalizer<ProjectsResource> text, CancellationToken ct)
    {
        try
        {
            var view = await projects.GetAsync(await actors.ForAsync(principal, ct), id, ct);
            return TypedResults.Ok(ProjectResponse.From(view.Project));
        }
        catch (DomainRuleException e) when (e.RuleCode == ProjectRules.NotFound)
        {
            return TypedResults.NotFound(Problem(StatusCodes.Status404NotFound, text[e.RuleCode]));
        }
    }

    public static Task<Results<Created<ProjectResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ForbidHttpResult>> RegisterProject(
        ProjectRequest request, ClaimsPrincipal principal, ProjectActors actors, ProjectService projects, IStringLocalizer<ProjectsResource> text, CancellationToken ct) =>
        RunAsync<Created<ProjectResponse>>(text, async () =>
        {
            var project = await projects.RegisterAsync(await actors.ForAsync(principal, ct), request.ToInput(), ct);
            return TypedResults.Created($"/api/projects/{project.Id}", ProjectResponse.From(project));
        });

    public static Task<Results<Ok<ProjectResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ForbidHttpResult>> ReviseProject(
        Guid id, ProjectEditRequest request, ClaimsPrincipal principal, ProjectActors actors, ProjectService projects, IStringLocalizer<ProjectsResource> text, CancellationToken ct) =>
        RunAsync<Ok<ProjectResponse>>(text, async () =>
        {
            var project = await projects.ReviseAsync(await actors.ForAsync(principal, ct), id, request.Revision, request.Project.ToInput(), ct);
            return TypedResults.Ok(ProjectResponse.From(project));
        });

    public static Task<Results<Ok<ProjectResponse>, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ForbidHttpResult>> SubmitProject(
        Guid id, RevisionRequest request, ClaimsPrincipal principal, ProjectActors actors, ProjectService projects, IStringLocalizer<ProjectsResource> text, CancellationToken ct) =>
        RunAsync<Ok<ProjectResponse>>(text, async () =>
        {
            var project = await projects.SubmitAsync(await actors.ForAsync(principal, ct), id, request.Revision, ct);
            return TypedResults.Ok(ProjectResponse.From(project));
        });

    /// <summary>Runs a change and answers its refusals: 404 out of scope, 409 stale or submitted, 403 not allowed, 400 a broken rule.</summary>
    private static async Task<Results<T, ValidationProblem, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ForbidHttpResult>> RunAsync<T>(
        IStringLocalizer<ProjectsResource> text, Func<Task<T>> change)
        where T : IResult
    {
        try
        {
            return await change();
        }
        catch (ProjectAccessDeniedException)
        {
            return TypedResults.Forbid();
        }
        catch (DomainRuleException e) when (e.RuleCode == ProjectRules.NotFound)
        {
            return TypedResults.NotFound(Problem(StatusCodes.Status404NotFound, text[e.RuleCode]));
        }
        catch (DomainRuleException e) when (e.RuleCode is ProjectRules.Changed or ProjectRules.NotDraft or ProjectRules.AlreadyLinked)
        {
            return TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, text[e.RuleCode]));
        }
        catch (DomainRuleException e)
        {
            var message = text[e.RuleCode] is { ResourceNotFound: false } known ? known.Value : e.Message;
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.RuleCode] = [message] }, detail: message);
        }
    }

    private static ProblemDetails Problem(int status, string detail) => new() { Status = status, Detail = detail };
}
