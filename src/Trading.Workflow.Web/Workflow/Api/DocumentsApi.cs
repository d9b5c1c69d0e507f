using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Workflow.Api;

public static class DocumentsApi
{
    public static RouteGroupBuilder MapDocumentsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", DownloadDocument).WithName("DownloadDocument")
            .WithSummary("Download an uploaded document")
            .WithDescription("Staff, supervisors and administrators, and users who may see a task of the document's instance.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        return group;
    }

    public static async Task<Results<FileStreamHttpResult, NotFound, ProblemHttpResult>> DownloadDocument(
        Guid id, ClaimsPrincipal principal, DocumentStore documents, IWorkflowStore store, CancellationToken ct)
    {
        var user = WorkflowUser.From(principal);
        if (await documents.OpenAsync(id, ct) is not { } document)
        {
            // A bare 404: a browser following the link gets the not-found page.
            return TypedResults.NotFound();
        }

        if (!user.MayViewInstances)
        {
            var tasks = await store.QueryTasksAsync(new TaskQuery { InstanceId = document.Info.InstanceId, OpenOnly = false }, ct);
            if (!tasks.Any(t => TaskService.MayView(user, t)))
            {
                await document.Content.DisposeAsync();
                return TypedResults.Problem(PlatformProblems.Describe(new WorkflowAccessDeniedException())!.ToProblemDetails());
            }
        }

        return TypedResults.File(document.Content, document.Info.ContentType, document.Info.FileName);
    }
}
