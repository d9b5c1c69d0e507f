using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Kernel;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Grants;

/// <summary>
/// The web side of the grants: who the signed-in user is to <see cref="GrantService"/>, the task components of the grant
/// procedures (staff's review of the notice, staff's publication of the result), completing those tasks only through
/// their screens, and the demo schedule (refused in Production).
/// </summary>
public sealed class GrantsWeb(
    GrantService grants, ScreenTaskCompletion completion, IHostEnvironment environment, Microsoft.Extensions.Options.IOptions<GrantOptions> options, Bidding.LotResults results,
    ArchiveQueue archives)
{
    public const string ReviewKey = "grant-review";
    public const string ResultKey = "grant-result";

    public static BuiltInTaskComponent ReviewComponent { get; } = new(ReviewKey, typeof(GrantReviewPanel), "审核并发布出让公告", "Review and publish the grant notice", OnlyOnScreen);

    public static BuiltInTaskComponent ResultComponent { get; } = new(ResultKey, typeof(GrantResultPanel), "发布出让结果公示", "Publish the grant result", OnlyOnScreen);

    public GrantService Grants => grants;

    /// <summary>Whether the demo schedule may be offered (never in Production; the service also requires a demo centre).</summary>
    public bool DemoAllowed => !environment.IsProduction();

    /// <summary>The demo schedule the submit form starts from (<c>Grants:Demo</c>).</summary>
    public GrantDemoSchedule DemoDefaults => options.Value.Demo.Schedule();

    public static GrantActor Actor(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var userName = principal.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? name
            : throw new DomainRuleException(GrantRules.NotAllowed, "A signed-in user is needed.");
        var account = principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? userName;
        return new GrantActor(userName, account, WorkflowUser.RolesOf(principal), CentreClaimsPrincipalFactory.CentreOf(principal));
    }

    /// <summary>Whether a grant page may name the offering's winner to the user: the result page's rule (<see cref="Bidding.LotResults"/>).</summary>
    public async Task<bool> WinnerNamedAsync(ClaimsPrincipal principal, GrantOffering offering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return offering is { WinnerEntityId: { } winner, LotId: { } lot } && await results.MaySeeWinnerAsync(principal, lot, winner, cancellationToken);
    }

    /// <summary>
    /// The archive progress of the offerings whose procedure ended (withdrawn, terminated, 流拍, result published: each end
    /// archives the project first), by project id; an offering still trading, or ended and not yet at its archive step,
    /// has none. As a tender's progress (<see cref="ArchiveQueue.ProgressAsync"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, ArchiveProgress>> ArchiveProgressAsync(IEnumerable<GrantOffering> offerings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offerings);
        var ended = offerings.Where(o => o.Stage is GrantStage.Withdrawn or GrantStage.Terminated or GrantStage.NoSale or GrantStage.ResultPublished)
            .Select(o => o.ProjectId).Distinct().ToList();
        return await archives.ProgressAsync(ended, null, cancellationToken);
    }

    public async Task<ArchiveProgress?> ArchiveProgressAsync(GrantOffering offering, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return (await ArchiveProgressAsync([offering], cancellationToken)).TryGetValue(offering.ProjectId, out var progress) ? progress : null;
    }

    public Task<GrantOffering> SubmitAsync(ClaimsPrincipal principal, GrantOffering offering, decimal? reserve, GrantDemoSchedule? demo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        if (demo is not null && !DemoAllowed)
        {
            throw new DomainRuleException(GrantRules.DemoOnly, "The demo schedule is refused in Production.");
        }

        return grants.SubmitAsync(Actor(principal), offering.Id, offering.Version, reserve, demo, cancellationToken);
    }

    /// <summary>
    /// Staff return the offering of their review task to the grantor: the task must be this user's review task (as for
    /// publishing); the service checks the centre, the stage and the reason and completes the task with the decision.
    /// </summary>
    public async Task<GrantOffering> ReturnAsync(ClaimsPrincipal principal, Guid taskId, GrantOffering offering, string? reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        var (_, view) = await completion.RequireAsync(principal, taskId, ReviewKey, cancellationToken);
        if (view.Task.BusinessKey != offering.ProjectCode)
        {
            throw new WorkflowAccessDeniedException();
        }

        return await grants.ReturnAsync(Actor(principal), offering.Id, reason, cancellationToken);
    }

    /// <summary>
    /// 终止: the signed-in grantor (owner) or staff of the centre, staff with the grantor's letter (终止申请函); the
    /// service checks who, when, why and the letter.
    /// </summary>
    public Task<GrantOffering> TerminateAsync(ClaimsPrincipal principal, GrantOffering offering, string? reason, GrantTerminationLetter? letter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offering);
        return grants.TerminateAsync(Actor(principal), offering.Id, reason, letter, cancellationToken);
    }

    /// <summary>The offering a task belongs to (business key = project code), or null.</summary>
    public Task<GrantOffering?> OfferingOfAsync(UserTaskInfo task, CancellationToken cancellationToken = default) =>
        task.BusinessKey is { Length: > 0 } code ? grants.FindByProjectCodeAsync(code, cancellationToken) : Task.FromResult<GrantOffering?>(null);

    /// <summary>Completes a task of one of the grant components: only its assignee, only that component's task.</summary>
    public Task CompleteAsync(ClaimsPrincipal principal, Guid taskId, string componentKey, CancellationToken cancellationToken = default) =>
        completion.CompleteAsync(principal, taskId, componentKey, cancellationToken);

    public static string Format(DateTimeOffset? instant) =>
        instant is { } i ? i.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An amount in yuan as the pages show it: ¥ and thousands separators, two decimals (the same in zh and en).</summary>
    public static string Money(decimal? amount) => amount is { } a ? "¥" + a.ToString("N2", CultureInfo.InvariantCulture) : "—";

    /// <summary>
    /// A rule code's message in the user's language, or the exception's own text when the code is not one of ours. Rules
    /// that name amounts or dates carry them in <see cref="Exception.Data"/> (<see cref="GrantRules.DataRequired"/>...):
    /// they are formatted here, never the English log message.
    /// </summary>
    public static string Problem(IStringLocalizer localizer, Exception error)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(error);
        if (error is DomainRuleException { RuleCode: var code } && code.StartsWith("Document.", StringComparison.Ordinal))
        {
            // A refused upload (the 终止申请函's type or size): the document store's own messages.
            return Documents.DocumentProblems.Message(code, CultureInfo.CurrentUICulture);
        }

        if (error is DomainRuleException rule)
        {
            var key = "Rule." + rule.RuleCode;
            var text = localizer[key];
            if (text.ResourceNotFound)
            {
                return localizer["Rule.Unknown", rule.RuleCode];
            }

            var data = rule.Data;
            return rule.RuleCode switch
            {
                GrantRules.DepositNotArrived or GrantRules.DepositNotPaid when data[GrantRules.DataRequired] is decimal required && data[GrantRules.DataDeadline] is DateTimeOffset deadline =>
                    localizer[key, Money(required), Money(data[GrantRules.DataArrived] as decimal?), Money(data[GrantRules.DataInTime] as decimal?), Format(deadline)],
                GrantRules.ApplicationClosed or GrantRules.DemoScheduleLapsed when data[GrantRules.DataDeadline] is DateTimeOffset deadline => localizer[key + ".At", Format(deadline)],
                GrantRules.ReserveInvalid or GrantRules.CapInvalid when data[GrantRules.DataStartPrice] is decimal start => localizer[key + ".At", Money(start)],
                GrantRules.ReserveAboveCap when data[GrantRules.DataPriceCap] is decimal cap => localizer[key + ".At", Money(cap)],
                GrantRules.MultiplesInvalid => localizer[key, GrantOfferingInput.MaxMultiple, GrantOfferingInput.MaxMultiples],
                GrantRules.CalendarYearMissing when data[GrantRules.DataYear] is int year => localizer[key, year],
                // The date rules name the dates in the user's language (the 2026-12-06 walk showed Chinese users the
                // English log message in brackets).
                GrantRules.NoticeTooShort when data[GrantRules.DataDays] is int days && data[GrantRules.DataEarliest] is DateOnly earliest && data[GrantRules.DataStart] is DateOnly start =>
                    localizer[key + ".At", days, Day(earliest), Day(start)],
                GrantRules.ListingTooShort when data[GrantRules.DataDays] is int days && data[GrantRules.DataStart] is DateOnly start && data[GrantRules.DataEnd] is DateOnly end && data[GrantRules.DataCounted] is int counted =>
                    localizer[key + ".At", days, Day(start), Day(end), counted],
                GrantRules.DeadlineInvalid when data[GrantRules.DataLatest] is DateTimeOffset latest => localizer[key + ".At", Format(latest)],
                _ => text.Value,
            };
        }

        return error switch
        {
            // A procedure step refused by a rule (the notice's or the result's counting) reads as that rule.
            WorkflowHandlerException { InnerException: (DomainRuleException or CalendarDataMissingException) and var inner } => Problem(localizer, inner),
            CalendarDataMissingException missing => localizer["Rule.Grant.CalendarYearMissing", missing.Year],
            WorkflowAccessDeniedException or Domain.Projects.ProjectAccessDeniedException => localizer["Rule.Grant.NotAllowed"],
            // The task was completed (or the instance moved) by someone else meanwhile.
            WorkflowNotFoundException or WorkflowConflictException => localizer["Rule.Grant.Changed"],
            _ => localizer["Rule.Unknown", error.GetType().Name],
        };
    }

    /// <summary>Why an application stands as it does, in the user's language where the procedure set it (not admitted at the close).</summary>
    public static string? ReasonOf(IStringLocalizer localizer, GrantApplicationView application)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(application);
        return application.State == GrantApplicationState.NotAdmitted ? localizer["Application.NotAdmittedReason"] : application.Reason;
    }

    /// <summary>
    /// What a grant page shows as a message rather than the error page: a refused rule (also from a procedure step), a
    /// year the calendar cannot count, no access, or the task or instance changed meanwhile.
    /// </summary>
    public static bool IsProblem(Exception error) => error is DomainRuleException or CalendarDataMissingException
        or WorkflowHandlerException { InnerException: DomainRuleException or CalendarDataMissingException }
        or WorkflowAccessDeniedException or Domain.Projects.ProjectAccessDeniedException or WorkflowNotFoundException or WorkflowConflictException;

    private static FormValidationResult OnlyOnScreen(IReadOnlyDictionary<string, object?> values) =>
        new([new FormFieldError("grant", "此任务只能在其专用页面办理。", "This task is completed on its own screen only.")], new Dictionary<string, object?>());
}

public static class GrantsWebExtensions
{
    /// <summary>
    /// The grant pages' parts: task components, the web service, the demo offerings and the worker finishing interrupted
    /// terminations (the close hook is the bidding engine's, see GrantLotClosedHandler).
    /// </summary>
    public static IServiceCollection AddGrantsWeb(this IServiceCollection services)
    {
        services.AddSingleton(GrantsWeb.ReviewComponent);
        services.AddSingleton(GrantsWeb.ResultComponent);
        services.AddScoped<GrantsWeb>();
        services.AddScoped<Bidding.ILotDescriber, GrantLotDescriber>();
        services.AddScoped<Bidding.IWinnerDisclosure, GrantWinnerDisclosure>();
        services.AddOptions<GrantOptions>().BindConfiguration(GrantOptions.SectionName);
        services.AddDemoDataStep<GrantsDemoData>();
        services.AddHostedService<GrantTerminationWorker>();
        return services;
    }
}
