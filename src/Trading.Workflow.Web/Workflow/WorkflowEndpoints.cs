using System.Globalization;
using System.Text.Json;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Workflow.Api;

namespace Trading.Workflow.Web.Workflow;

public sealed record DelegateRequest(string To, string? Note);

public sealed record CompleteRequest(Dictionary<string, JsonElement>? Variables);

public sealed record ReasonRequest(string? Reason);

public sealed record MigrateRequest(int TargetVersion, string? Reason);

/// <summary>A retry's reason and the variables to set in the same command, in the engine's typed JSON (VariableJson).</summary>
public sealed record RetryRequest(string? Reason, JsonElement? Variables);

public sealed record StartRequest(string ProcessId, string ProjectCode, string ProjectName);

/// <summary>A task as the API shows it: the task, how it is completed (form or built-in component) and what the caller may do.</summary>
public sealed record TaskResponse(UserTaskInfo Task, FormSchema? Form, string? Component, bool CanClaim, bool CanUnclaim, bool CanDelegate, bool CanComplete);

/// <summary>A stored upload; its id is the value of the task's file field.</summary>
public sealed record UploadedDocument(Guid Id, string FileName, long Size);

public sealed record StartedInstance(Guid Id, string ProcessId, int ProcessVersion, string? BusinessKey);

/// <summary>An instance with its diagram state, timers and incidents (the history is counted, not listed).</summary>
public sealed record InstanceResponse(
    ProcessInstanceInfo Instance,
    IReadOnlyList<string> ActiveElementIds,
    IReadOnlyList<string> CompletedElementIds,
    IReadOnlyDictionary<string, int> IncidentCounts,
    IReadOnlyList<TimerInfo> Timers,
    IReadOnlyList<IncidentInfo> Incidents,
    int HistoryCount);

/// <summary>
/// The workflow API for scripts and other systems: the same services as the pages, so the same server-side rules
/// (candidates claim, assignees complete through the form, administrators change instances, supervisors change
/// nothing). Errors are ProblemDetails in the caller's language, from <see cref="PlatformProblems"/>.
/// </summary>
public static class WorkflowEndpoints
{
    /// <summary>Every changing API call carries this header (any value).</summary>
    public const string ApiHeader = "X-Requested-With";

    public static IEndpointRouteBuilder MapWorkflowEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Cookie-authenticated API: a cross-site page cannot set a custom header without CORS, so requiring one on
        // every change stands in for the antiforgery token that script clients cannot obtain.
        var api = endpoints.MapGroup("/api/workflow")
            .RequireAuthorization()
            .DisableAntiforgery()
            .AddEndpointFilter(RequireApiHeaderOnChanges)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGroup("/inbox").WithTags("Inbox").MapInboxApi();
        api.MapGroup("/tasks").WithTags("Tasks").MapTasksApi();
        api.MapGroup("/instances").WithTags("Instances").MapInstancesApi();
        api.MapGroup("/incidents").WithTags("Incidents").MapIncidentsApi();

        // Plain path (not under /api) so a link on the task page downloads the file with the sign-in cookie.
        endpoints.MapGroup("/workflow/documents").WithTags("Documents")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .MapDocumentsApi();
        return endpoints;
    }

    internal static async ValueTask<object?> RequireApiHeaderOnChanges(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || request.Headers.ContainsKey(ApiHeader))
        {
            return await next(context);
        }

        var culture = CultureInfo.CurrentUICulture;
        return TypedResults.Problem(PlatformProblems.Create(
            StatusCodes.Status400BadRequest, PlatformProblems.Message("Problem.MissingHeader", culture, ApiHeader), culture).ToProblemDetails());
    }
}
