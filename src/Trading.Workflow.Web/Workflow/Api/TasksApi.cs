using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Workflow.Api;

public static class TasksApi
{
    public static RouteGroupBuilder MapTasksApi(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", GetTask).WithName("GetTask")
            .WithSummary("A task, its form and what the caller may do with it")
            .WithDescription("Users who may see the task: its assignee, its candidates, and staff, supervisors and administrators.");
        group.MapPost("/{id:guid}/claim", ClaimTask).WithName("ClaimTask")
            .WithSummary("Claim an unclaimed task")
            .WithDescription("A candidate user of the task, or a user in one of its candidate roles. Supervisors may not.");
        group.MapPost("/{id:guid}/unclaim", UnclaimTask).WithName("UnclaimTask")
            .WithSummary("Give a claimed task back to its candidates")
            .WithDescription("The task's assignee.");
        group.MapPost("/{id:guid}/delegate", DelegateTask).WithName("DelegateTask")
            .WithSummary("Hand a task to another user")
            .WithDescription("The task's assignee.");
        group.MapPost("/{id:guid}/complete", CompleteTask).WithName("CompleteTask")
            .WithSummary("Complete a task with its form's values")
            .WithDescription("The task's assignee. The values are checked against the task's form; on errors nothing changes and the answer lists them per field.");
        group.MapPost("/{id:guid}/documents", UploadDocument).WithName("UploadDocument")
            .WithSummary("Upload a file for a file field of a task's form")
            .WithDescription("The task's assignee. Multipart form with one part named file; the field is the form field's key.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            // The file and the multipart framing around it.
            .WithMetadata(new Security.RequestBodyLimit(c => c.RequestServices.GetRequiredService<IOptions<PlatformWorkflowOptions>>().Value.MaxUploadBytes + 64 * 1024));
        return group;
    }

    public static async Task<Ok<TaskResponse>> GetTask(Guid id, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct)
    {
        var view = await tasks.GetAsync(WorkflowUser.From(principal), id, ct);
        return TypedResults.Ok(new TaskResponse(view.Task, view.Form, view.Component?.Key, view.CanClaim, view.CanUnclaim, view.CanDelegate, view.CanComplete));
    }

    public static async Task<NoContent> ClaimTask(Guid id, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct)
    {
        await tasks.ClaimAsync(WorkflowUser.From(principal), id, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> UnclaimTask(Guid id, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct)
    {
        await tasks.UnclaimAsync(WorkflowUser.From(principal), id, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> DelegateTask(Guid id, DelegateRequest request, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct)
    {
        await tasks.DelegateAsync(WorkflowUser.From(principal), id, request.To, request.Note, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem>> CompleteTask(
        Guid id, CompleteRequest request, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct)
    {
        var submitted = (request.Variables ?? []).ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal);
        var result = await tasks.CompleteAsync(WorkflowUser.From(principal), id, submitted, ct);
        if (result.Completed)
        {
            return TypedResults.NoContent();
        }

        var culture = CultureInfo.CurrentUICulture;
        return ApiProblems.Validation(result.Errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Select(e => e.Message(culture)).ToArray()));
    }

    public static async Task<Results<Ok<UploadedDocument>, ProblemHttpResult>> UploadDocument(
        Guid id, string field, IFormFile file, ClaimsPrincipal principal, TaskService tasks, IOptions<PlatformWorkflowOptions> options, CancellationToken ct)
    {
        if (file.Length > options.Value.MaxUploadBytes)
        {
            var culture = CultureInfo.CurrentUICulture;
            return TypedResults.Problem(PlatformProblems.Create(
                StatusCodes.Status413PayloadTooLarge, PlatformProblems.Message("Problem.FileTooLarge", culture), culture).ToProblemDetails());
        }

        await using var stream = file.OpenReadStream();
        var document = await tasks.UploadAsync(WorkflowUser.From(principal), id, field, file.FileName, file.ContentType, stream, ct);
        return TypedResults.Ok(new UploadedDocument(document.Id, document.FileName, document.Size));
    }
}
