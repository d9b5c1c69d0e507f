using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.Workflow;

public sealed record DelegateRequest(string To, string? Note);

public sealed record CompleteRequest(Dictionary<string, JsonElement>? Variables);

public sealed record ReasonRequest(string? Reason);

public sealed record MigrateRequest(int TargetVersion, string? Reason);

/// <summary>A retry's reason and the variables to set in the same command, in the engine's typed JSON (VariableJson).</summary>
public sealed record RetryRequest(string? Reason, JsonElement? Variables);

public sealed record StartRequest(string ProcessId, string ProjectCode, string ProjectName);

/// <summary>
/// The workflow API for scripts and other systems: the same services as the pages, so the same server-side rules
/// (candidates claim, assignees complete through the form, administrators change instances, supervisors change
/// nothing). Errors are ProblemDetails in the caller's language.
/// </summary>
public static class WorkflowEndpoints
{
    /// <summary>Every changing API call carries this header (any value).</summary>
    public const string ApiHeader = "X-Requested-With";

    public static IEndpointRouteBuilder MapWorkflowEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Cookie-authenticated API: a cross-site page cannot set a custom header without CORS, so requiring one on
        // every change stands in for the antiforgery token that script clients cannot obtain.
        var api = endpoints.MapGroup("/api/workflow").RequireAuthorization().DisableAntiforgery()
            .AddEndpointFilter(async (context, next) =>
                HttpMethods.IsGet(context.HttpContext.Request.Method) || context.HttpContext.Request.Headers.ContainsKey(ApiHeader)
                    ? await next(context)
                    : Problem(StatusCodes.Status400BadRequest, $"请求缺少 {ApiHeader} 头。", $"The request lacks the {ApiHeader} header."));

        api.MapGet("/inbox", (ClaimsPrincipal principal, InboxQueries inbox, InboxTab? tab, string? tradeType, string? projectCode, DueFilter? due, InboxSort? sort, int? skip, int? take, CancellationToken ct) =>
            Run(async () =>
            {
                var filter = new InboxFilter(tab ?? InboxTab.Mine)
                {
                    TradeType = tradeType,
                    ProjectCode = projectCode,
                    Due = due ?? DueFilter.Any,
                    Sort = sort ?? InboxSort.DueDate,
                    Skip = Math.Max(0, skip ?? 0),
                    Take = Math.Clamp(take ?? 20, 1, 200),
                };
                return Results.Ok(await inbox.GetPageAsync(WorkflowUser.From(principal), filter, ct));
            }));

        api.MapGet("/tasks/{id:guid}", (Guid id, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct) =>
            Run(async () =>
            {
                var view = await tasks.GetAsync(WorkflowUser.From(principal), id, ct);
                return Results.Ok(new { view.Task, view.Form, component = view.Component?.Key, view.CanClaim, view.CanUnclaim, view.CanDelegate, view.CanComplete });
            }));

        api.MapPost("/tasks/{id:guid}/claim", (Guid id, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct) =>
            Run(async () =>
            {
                await tasks.ClaimAsync(WorkflowUser.From(principal), id, ct);
                return Results.NoContent();
            }));

        api.MapPost("/tasks/{id:guid}/unclaim", (Guid id, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct) =>
            Run(async () =>
            {
                await tasks.UnclaimAsync(WorkflowUser.From(principal), id, ct);
                return Results.NoContent();
            }));

        api.MapPost("/tasks/{id:guid}/delegate", (Guid id, DelegateRequest request, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct) =>
            Run(async () =>
            {
                await tasks.DelegateAsync(WorkflowUser.From(principal), id, request.To, request.Note, ct);
                return Results.NoContent();
            }));

        api.MapPost("/tasks/{id:guid}/complete", (Guid id, CompleteRequest request, ClaimsPrincipal principal, TaskService tasks, CancellationToken ct) =>
            Run(async () =>
            {
                var submitted = (request.Variables ?? []).ToDictionary(e => e.Key, e => (object?)e.Value, StringComparer.Ordinal);
                var result = await tasks.CompleteAsync(WorkflowUser.From(principal), id, submitted, ct);
                return result.Completed
                    ? Results.NoContent()
                    : Results.ValidationProblem(
                        result.Errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Select(e => e.Message(CultureInfo.CurrentUICulture)).ToArray()));
            }));

        api.MapPost("/tasks/{id:guid}/documents", (Guid id, string field, IFormFile file, ClaimsPrincipal principal, TaskService tasks, Microsoft.Extensions.Options.IOptions<PlatformWorkflowOptions> options, CancellationToken ct) =>
            Run(async () =>
            {
                if (file.Length > options.Value.MaxUploadBytes)
                {
                    return Problem(StatusCodes.Status413PayloadTooLarge, "文件过大，无法上传。", "The file is too large to upload.");
                }

                await using var stream = file.OpenReadStream();
                var document = await tasks.UploadAsync(WorkflowUser.From(principal), id, field, file.FileName, file.ContentType, stream, ct);
                return Results.Ok(new { id = document.Id, document.FileName, document.Size });
            }));

        api.MapPost("/instances", (StartRequest request, ClaimsPrincipal principal, ProcedureCatalog catalog, CancellationToken ct) =>
            Run(async () =>
            {
                var instance = await catalog.StartAsync(WorkflowUser.From(principal), request.ProcessId, request.ProjectCode, request.ProjectName, ct);
                return Results.Created($"/instances/{instance.Id}", new { instance.Id, instance.ProcessId, instance.ProcessVersion, instance.BusinessKey });
            }));

        api.MapGet("/instances/{id:guid}", (Guid id, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct) =>
            Run(async () =>
            {
                var detail = await instances.GetAsync(WorkflowUser.From(principal), id, cancellationToken: ct);
                return detail is null
                    ? Results.NotFound()
                    : Results.Ok(new
                    {
                        detail.Instance,
                        detail.ActiveElementIds,
                        detail.CompletedElementIds,
                        detail.IncidentCounts,
                        timers = detail.Timers,
                        incidents = detail.Incidents,
                        historyCount = detail.History.Count,
                    });
            }));

        api.MapPost("/instances/{id:guid}/cancel", (Guid id, ReasonRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct) =>
            Run(async () =>
            {
                await instances.CancelAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, ct);
                return Results.NoContent();
            }));

        api.MapPost("/instances/{id:guid}/suspend", (Guid id, ReasonRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct) =>
            Run(async () =>
            {
                await instances.SuspendAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, ct);
                return Results.NoContent();
            }));

        api.MapPost("/instances/{id:guid}/resume", (Guid id, ReasonRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct) =>
            Run(async () =>
            {
                await instances.ResumeAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, ct);
                return Results.NoContent();
            }));

        api.MapPost("/instances/{id:guid}/migrate", (Guid id, MigrateRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct) =>
            Run(async () =>
            {
                var problems = await instances.MigrateAsync(WorkflowUser.From(principal), id, request.TargetVersion, request.Reason ?? string.Empty, ct);
                return problems.Count == 0
                    ? Results.NoContent()
                    : Results.ValidationProblem(problems.GroupBy(p => p.ElementId ?? "instance").ToDictionary(
                        g => g.Key, g => g.Select(p => English ? p.MessageEn : p.MessageZh).ToArray()));
            }));

        api.MapPost("/incidents/{id:guid}/retry", (Guid id, RetryRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct) =>
            Run(async () =>
            {
                var variables = request.Variables is { ValueKind: JsonValueKind.Object } json ? VariableJson.DeserializeVariables(json.GetRawText()) : null;
                await instances.RetryIncidentAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, variables, ct);
                return Results.NoContent();
            }));

        api.MapPost("/incidents/{id:guid}/resolve", (Guid id, ReasonRequest request, ClaimsPrincipal principal, InstanceService instances, CancellationToken ct) =>
            Run(async () =>
            {
                await instances.ResolveIncidentAsync(WorkflowUser.From(principal), id, request.Reason ?? string.Empty, ct);
                return Results.NoContent();
            }));

        // Plain path (not under /api) so a link on the task page downloads the file with the sign-in cookie.
        endpoints.MapGet("/workflow/documents/{id:guid}", (Guid id, ClaimsPrincipal principal, DocumentStore documents, IWorkflowStore store, CancellationToken ct) =>
            Run(async () =>
            {
                var user = WorkflowUser.From(principal);
                var opened = await documents.OpenAsync(id, ct);
                if (opened is not { } document)
                {
                    return Results.NotFound();
                }

                if (!user.MayViewInstances)
                {
                    var tasks = await store.QueryTasksAsync(new TaskQuery { InstanceId = document.Info.InstanceId, OpenOnly = false }, ct);
                    if (!tasks.Any(t => TaskService.MayView(user, t)))
                    {
                        await document.Content.DisposeAsync();
                        throw new WorkflowAccessDeniedException();
                    }
                }

                return Results.File(document.Content, document.Info.ContentType, document.Info.FileName);
            })).RequireAuthorization();

        return endpoints;
    }

    private static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    private static async Task<IResult> Run(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (WorkflowAccessDeniedException)
        {
            return Problem(StatusCodes.Status403Forbidden, WorkflowAccessDeniedException.MessageZh, WorkflowAccessDeniedException.MessageEn);
        }
        catch (WorkflowNotFoundException ex)
        {
            return Problem(StatusCodes.Status404NotFound, ex.MessageZh, ex.MessageEn);
        }
        catch (WorkflowConflictException ex)
        {
            return Problem(StatusCodes.Status409Conflict, ex.MessageZh, ex.MessageEn);
        }
        catch (WorkflowException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, ex.MessageZh, ex.MessageEn);
        }
        catch (VariableValueException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, ex.MessageZh, ex.MessageEn);
        }
    }

    private static IResult Problem(int status, string zh, string en) =>
        Results.Problem(statusCode: status, detail: English ? en : zh);
}
