using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Workflow.Api;

public static class InstancesApi
{
    private const string AdministratorsOnly = "Administrators only; the reason is recorded in the instance's history.";

    public static RouteGroupBuilder MapInstancesApi(this RouteGroupBuilder group)
    {
        group.MapPost("", StartInstance).WithName("StartInstance")
            .WithSummary("Start a project on a published procedure")
            .WithDescription("Users who may start the procedure (its tenderee and staff roles). The project code becomes the instance's business key.");
        group.MapGet("/{id:guid}", GetInstance).WithName("GetInstance")
            .WithSummary("An instance with its diagram state, timers and incidents")
            .WithDescription("Staff, supervisors and administrators.");
        group.MapPost("/{id:guid}/cancel", CancelInstance).WithName("CancelInstance")
            .WithSummary("Cancel an instance").WithDescription(AdministratorsOnly);
        group.MapPost("/{id:guid}/suspend", SuspendInstance).WithName("SuspendInstance")
            .WithSummary("Suspend an instance").WithDescription(AdministratorsOnly);
        group.MapPost("/{id:guid}/resume", ResumeInstance).WithName("ResumeInstance")
            .WithSummary("Resume a suspended instance").WithDescription(AdministratorsOnly);
        group.MapPost("/{id:guid}/migrate", MigrateInstance).WithName("MigrateInstance")
            .WithSummary("Move an instance to another version of its procedure")
            .WithDescription(AdministratorsOnly + " When the instance cannot move, nothing changes and the answer lists the problems per element.");
        return group;
    }

    public static async Task<Created<StartedInstance>> StartInstance(StartRequest request, ClaimsPrincipal principal, ProcedureCatalog catalog, CancellationToken ct)
    {
        var instance = await catalog.StartAsync(WorkflowUser.From(principal), request.ProcessId, request.ProjectCode, request.ProjectName, ct);
        return TypedResults.Created($"/instances/{instance.Id}", new StartedInstance(instance.Id, instance.ProcessId, instance.ProcessVersion, instance.BusinessKey));
    }

    public static async Task<Results<Ok<InstanceResponse>, NotFound<ProblemDetails>>> GetInstance(Guid id, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct)
    {
        var detail = await instances.GetAsync(WorkflowUser.From(principal), id, cancellationToken: ct);
        if (detail is null)
        {
            return TypedResults.NotFound(PlatformProblems.Describe(new WorkflowNotFoundException("instance", id.ToString()))!.ToProblemDetails());
        }

        return TypedResults.Ok(new InstanceResponse(
            detail.Instance, detail.ActiveElementIds, detail.CompletedElementIds, detail.IncidentCounts, detail.Timers, detail.Incidents, detail.History.Count));
    }

    public static async Task<NoContent> CancelInstance(Guid id, ReasonRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct)
    {
        await instances.CancelAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> SuspendInstance(Guid id, ReasonRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct)
    {
        await instances.SuspendAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> ResumeInstance(Guid id, ReasonRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct)
    {
        await instances.ResumeAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem>> MigrateInstance(
        Guid id, MigrateRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct)
    {
        var problems = await instances.MigrateAsync(WorkflowUser.From(principal), id, request.TargetVersion, request.Reason ?? string.Empty, ct);
        if (problems.Count == 0)
        {
            return TypedResults.NoContent();
        }

        var english = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
        return ApiProblems.Validation(problems.GroupBy(p => p.ElementId ?? "instance").ToDictionary(
            g => g.Key, g => g.Select(p => english ? p.MessageEn : p.MessageZh).ToArray()));
    }
}
