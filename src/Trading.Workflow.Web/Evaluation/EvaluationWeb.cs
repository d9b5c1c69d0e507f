using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web
{
    /// <summary>The remote evaluation: the members' workbench, the chair's report, confirmations, the evaluation page and its rule codes' messages.</summary>
    public sealed class EvaluationResource;
}

namespace Trading.Workflow.Web.Evaluation
{
    /// <summary>
    /// The web side of the evaluation: who the signed-in user is to <see cref="EvaluationService"/>, the built-in task
    /// components of the evaluation fragment (<c>component:evaluation-workbench</c>, <c>component:evaluation-report</c>,
    /// <c>component:evaluation-confirmation</c>), completing those tasks only through their screens once the domain step
    /// is done, and the committee's reading of the decrypted bid documents.
    /// </summary>
    public sealed class EvaluationWeb(EvaluationService evaluations, ScreenTaskCompletion completion, IProjectAuthorization authorization)
    {
        public const string WorkbenchKey = "evaluation-workbench";
        public const string ReportKey = "evaluation-report";
        public const string ConfirmationKey = "evaluation-confirmation";

        public static BuiltInTaskComponent WorkbenchComponent { get; } = new(WorkbenchKey, typeof(EvaluationWorkbench), "评标台", "Evaluation workbench", OnlyOnScreen) { Wide = true };

        public static BuiltInTaskComponent ReportComponent { get; } = new(ReportKey, typeof(EvaluationReportPanel), "撰写评标报告", "Write the evaluation report", OnlyOnScreen) { Wide = true };

        public static BuiltInTaskComponent ConfirmationComponent { get; } = new(ConfirmationKey, typeof(EvaluationReportPanel), "签署评标报告", "Confirm the evaluation report", OnlyOnScreen) { Wide = true };

        public EvaluationService Evaluations => evaluations;

        public static EvaluationActor Actor(ClaimsPrincipal principal)
        {
            ArgumentNullException.ThrowIfNull(principal);
            var userName = principal.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
                ? name
                : throw new DomainRuleException(EvaluationRules.NotAllowed, "A signed-in user is needed.");
            return new EvaluationActor(userName, WorkflowUser.RolesOf(principal), CentreClaimsPrincipalFactory.CentreOf(principal));
        }

        /// <summary>The tenderee or its agency (manages the project): sets the method before the evaluation.</summary>
        public Task<bool> MayManageAsync(EvaluationActor actor, Guid projectId, CancellationToken cancellationToken = default) =>
            authorization.CanAsync(actor.UserName, projectId, ProjectAction.Manage, null, cancellationToken);

        /// <summary>Who sees the evaluation page at all: the project's readers (tenderee, staff, supervisors) and its parties who act (bidders, experts).</summary>
        public async Task<bool> MayViewAsync(EvaluationActor actor, Guid projectId, CancellationToken cancellationToken = default) =>
            await authorization.CanAsync(actor.UserName, projectId, ProjectAction.ViewProject, null, cancellationToken)
            || await authorization.CanAsync(actor.UserName, projectId, ProjectAction.Act, null, cancellationToken);

        /// <summary>Staff of the project's centre and supervisors see the committee's names before the result is final; nobody else does.</summary>
        public static bool SeesNames(EvaluationActor actor, Trading.Workflow.Domain.Evaluation.Evaluation evaluation) =>
            evaluation.State == EvaluationState.Confirmed || actor.IsSupervisor || (actor.IsStaff && actor.CentreId == evaluation.CentreId);

        /// <summary>The evaluation a task belongs to (business key = project code), or null.</summary>
        public Task<EvaluationView?> EvaluationOfAsync(UserTaskInfo task, CancellationToken cancellationToken = default) =>
            task.BusinessKey is { Length: > 0 } code ? evaluations.ForProjectCodeAsync(code, cancellationToken) : Task.FromResult<EvaluationView?>(null);

        /// <summary>
        /// Completes a task of one of the evaluation's components: only its assignee, only that component's task, and
        /// only once its step is done (the sheet submitted, the report written, the report answered).
        /// </summary>
        public async Task CompleteAsync(ClaimsPrincipal principal, Guid taskId, string componentKey, CancellationToken cancellationToken = default)
        {
            var (user, view) = await completion.RequireAsync(principal, taskId, componentKey, cancellationToken);
            var evaluation = await EvaluationOfAsync(view.Task, cancellationToken) ?? throw new DomainRuleException(EvaluationRules.NotFound, "No evaluation for this task.");
            var member = evaluation.ActiveMember(user.UserId) ?? throw new DomainRuleException(EvaluationRules.NotAMember, "Not a member.");
            var done = componentKey switch
            {
                WorkbenchKey => evaluation.SheetOf(member)?.State == SheetState.Submitted,
                ReportKey => evaluation.Evaluation.ReportWrittenAt is not null,
                ConfirmationKey => member.HasAnswered,
                _ => false,
            };
            if (!done)
            {
                throw new DomainRuleException(componentKey == WorkbenchKey ? EvaluationRules.SheetIncomplete : EvaluationRules.ConfirmationsOutstanding,
                    "This step is not done yet.");
            }

            await completion.CompleteAsync(user, taskId, null, cancellationToken);
        }

        /// <summary>An instant as the people of the centre read it: China Standard Time.</summary>
        public static string Format(DateTimeOffset instant) =>
            instant.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        public static string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

        /// <summary>A rule code's message in the user's language, or the generic one.</summary>
        public static string Rule(IStringLocalizer localizer, string code)
        {
            ArgumentNullException.ThrowIfNull(localizer);
            var text = localizer["Rule." + code];
            return text.ResourceNotFound ? localizer["Rule.Unknown"] : text.Value;
        }

        private static FormValidationResult OnlyOnScreen(IReadOnlyDictionary<string, object?> values) =>
            new([new FormFieldError("evaluation", "此任务只能在其专用页面办理。", "This task is completed on its own screen only.")], new Dictionary<string, object?>());
    }

    /// <summary>
    /// <c>GET /api/evaluations/{evaluationId}/items/{itemId}</c>: a decrypted bid item (bid letter, documents, the bill of
    /// quantities) shown inline in the browser, for the readers the opening's <see cref="IBidReaders"/> admit (the active
    /// members while the evaluation runs, supervisors). Streamed from the opening's store, never copied.
    /// </summary>
    public static class EvaluationEndpoints
    {
        private static readonly FileExtensionContentTypeProvider ContentTypes = new();

        public static IEndpointRouteBuilder MapEvaluation(this IEndpointRouteBuilder endpoints)
        {
            endpoints.MapGet("/api/evaluations/{evaluationId:guid}/items/{itemId:guid}", ItemAsync)
                .RequireAuthorization()
                .WithFileRefusalPage()
                .WithTags("Evaluation")
                .WithName("EvaluationBidItem")
                .WithSummary("A decrypted bid item, for the evaluation committee and supervisors.")
                .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
                .ProducesProblem(StatusCodes.Status403Forbidden);
            return endpoints;
        }

        private static async Task<Results<FileStreamHttpResult, NotFound, ForbidHttpResult>> ItemAsync(
            Guid evaluationId, Guid itemId, ClaimsPrincipal user, EvaluationService evaluations, OpeningService openings, OpenedBidStore store,
            IProjectAuthorization authorization, CancellationToken cancellationToken)
        {
            var view = await evaluations.GetAsync(evaluationId, cancellationToken);
            var found = view?.Evaluation.Sections.SelectMany(s => s.Bids).SelectMany(b => b.Items.Select(i => (Bid: b, Item: i))).FirstOrDefault(x => x.Item.ItemId == itemId);
            if (found is not { Bid: not null } match || user.Identity?.Name is not { Length: > 0 } name)
            {
                return TypedResults.NotFound();
            }

            var principal = await authorization.PrincipalAsync(name, WorkflowUser.RolesOf(user), cancellationToken);
            try
            {
                if (principal is null || (await openings.OpenedItemsAsync(principal, match.Bid.BidId, cancellationToken)).All(i => i.Id != itemId))
                {
                    return TypedResults.Forbid();
                }
            }
            catch (DomainRuleException)
            {
                return TypedResults.Forbid();
            }

            if (!store.Exists(match.Item.PlaintextSm3))
            {
                return TypedResults.NotFound();
            }

            var type = ContentTypes.TryGetContentType(match.Item.Name, out var known) ? known : "application/octet-stream";
            // Inline (no file name): the browser shows PDFs, images and text in place.
            return TypedResults.File(store.OpenRead(match.Item.PlaintextSm3), type, enableRangeProcessing: true);
        }
    }

    public static class EvaluationWebExtensions
    {
        /// <summary>The evaluation's web parts: options (section <c>Evaluation</c>), its task components, the service behind its pages.</summary>
        public static IServiceCollection AddEvaluationWeb(this IServiceCollection services)
        {
            services.AddEvaluation();
            services.AddOptions<EvaluationOptions>().BindConfiguration(EvaluationOptions.SectionName);
            services.AddSingleton(EvaluationWeb.WorkbenchComponent);
            services.AddSingleton(EvaluationWeb.ReportComponent);
            services.AddSingleton(EvaluationWeb.ConfirmationComponent);
            services.AddScoped<EvaluationWeb>();
            services.AddHostedService<EvaluationMemberSync>();
            return services;
        }
    }
}
