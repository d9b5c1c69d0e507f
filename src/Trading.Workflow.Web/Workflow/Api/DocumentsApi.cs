using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Access;
using Trading.Workflow.Web.Errors;

namespace Trading.Workflow.Web.Workflow.Api;

public static class DocumentsApi
{
    public static RouteGroupBuilder MapDocumentsApi(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", DownloadDocument).WithName("DownloadDocument").WithFileRefusalPage()
            .WithSummary("Download an uploaded document")
            .WithDescription("A project's documents: its centre's staff (and read-only its parent centres'), its owner and agency, the experts drawn for it, supervisors of its region and administrators; a participant only the files its own users uploaded. Without a project: staff, supervisors and administrators, and users who may see a task of the document's instance.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        return group;
    }

    public static async Task<Results<FileStreamHttpResult, NotFound, ProblemHttpResult>> DownloadDocument(
        Guid id, ClaimsPrincipal principal, DocumentStore documents, IWorkflowStore store, WorkflowAccess access, CancellationToken ct)
    {
        var user = WorkflowUser.From(principal);
        if (await documents.OpenAsync(id, ct) is not { } document)
        {
            // A bare 404: a browser following the link gets the not-found page.
            return TypedResults.NotFound();
        }

        if (!await MayDownloadAsync(user, document.Info, store, access, ct))
        {
            await document.Content.DisposeAsync();
            return TypedResults.Problem(PlatformProblems.Describe(new WorkflowAccessDeniedException())!.ToProblemDetails());
        }

        return TypedResults.File(document.Content, document.Info.ContentType, document.Info.FileName);
    }

    // A project's files: its readers, and each other party its own (WorkflowAccess). No project: instance viewers and
    // users who may see a task of the document's instance.
    private static async Task<bool> MayDownloadAsync(WorkflowUser user, DocumentInfo document, IWorkflowStore store, WorkflowAccess access, CancellationToken ct)
    {
        if (await access.StandingAsync(user, document.BusinessKey, ct) is { } standing)
        {
            return await access.MayDownloadAsync(user, document, standing, ct);
        }

        if (user.MayViewInstances)
        {
            return true;
        }

        var tasks = await store.QueryTasksAsync(new TaskQuery { InstanceId = document.InstanceId, OpenOnly = false }, ct);
        return tasks.Any(t => WorkflowAccess.MayView(user, t, null));
    }
}
