using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.EngineeringConstruction;

/// <summary>
/// The web side of the engineering tender: who the signed-in user is to the tender service, the built-in task
/// components of <c>engineering-tender.bpmn</c> (documents and dates; the prequalification review; answering objections; the opening time after a late answer), and completing those
/// tasks only through their screens, after the server has checked the task is the user's.
/// </summary>
public sealed class TenderWeb(TenderService tenders, ScreenTaskCompletion completion, IProjectAuthorization projects)
{
    public const string ScheduleKey = "tender-schedule";
    public const string ObjectionsKey = "tender-objections";
    public const string PrequalificationKey = "tender-prequalification";
    public const string OpeningTimeKey = "tender-opening-time";

    public static BuiltInTaskComponent ScheduleComponent { get; } = new(ScheduleKey, typeof(Components.Pages.EngineeringConstruction.TenderSchedulePanel),
        "招标文件与时间安排", "Tender documents and dates", OnlyOnScreen);

    public static BuiltInTaskComponent ObjectionsComponent { get; } = new(ObjectionsKey, typeof(Components.Pages.EngineeringConstruction.TenderObjectionsPanel),
        "答复对招标文件的异议", "Answer objections to the tender documents", OnlyOnScreen);

    public static BuiltInTaskComponent OpeningTimeComponent { get; } = new(OpeningTimeKey, typeof(Components.Pages.EngineeringConstruction.TenderOpeningTimePanel),
        "公布开标时间", "Announce the opening time", OnlyOnScreen);

    public static BuiltInTaskComponent PrequalificationComponent { get; } = new(PrequalificationKey, typeof(Components.Pages.EngineeringConstruction.TenderPrequalificationPanel),
        "资格审查", "Prequalification review", OnlyOnScreen);

    public TenderService Tenders => tenders;

    public static TenderActor Actor(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var userName = principal.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? name
            : throw new DomainRuleException(TenderRules.NotAllowed, "A signed-in user is needed.");
        var account = principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? userName;
        return new TenderActor(userName, account, WorkflowUser.RolesOf(principal), CentreClaimsPrincipalFactory.CentreOf(principal));
    }

    /// <summary>
    /// Whether the user reads the whole project, by the project page's rule (<see cref="ProjectAccessRules"/>): staff of
    /// its centre or a centre above, supervisors of its region, administrators, users of its owner or agency. Not staff
    /// of any other centre, a centre below included.
    /// </summary>
    public Task<bool> ReadsProjectAsync(ClaimsPrincipal principal, Guid projectId, CancellationToken cancellationToken = default) =>
        projects.CanAsync(Actor(principal).UserId, projectId, ProjectAction.ViewProject, null, cancellationToken);

    /// <summary>The tender a task belongs to (business key = project code), or null.</summary>
    public Task<Tender?> TenderOfAsync(UserTaskInfo task, CancellationToken cancellationToken = default) =>
        task.BusinessKey is { Length: > 0 } code ? tenders.FindByProjectCodeAsync(code, cancellationToken) : Task.FromResult<Tender?>(null);

    /// <summary>Completes a task of one of the tender's components: only its assignee, only that component's task.</summary>
    public Task CompleteAsync(ClaimsPrincipal principal, Guid taskId, string componentKey, CancellationToken cancellationToken = default) =>
        completion.CompleteAsync(principal, taskId, componentKey, cancellationToken);

    /// <summary>An instant as the people of the centre read it: China Standard Time.</summary>
    /// <summary>Time left to a deadline: "34天 11:16:42" in Chinese, "34d 11:16:42" in English, hours alone under a day.</summary>
    public static string Countdown(IStringLocalizer localizer, TimeSpan left)
    {
        var clock = $"{left.Hours:00}:{left.Minutes:00}:{left.Seconds:00}";
        return left.TotalDays >= 1 ? string.Format(CultureInfo.InvariantCulture, localizer["Tender.CountdownDays"], (int)left.TotalDays, clock) : clock;
    }

    /// <summary>A date and a time of day picked on a form, read in China Standard Time; null until both are picked.</summary>
    public static DateTimeOffset? Instant(DateTime? date, TimeSpan? time) =>
        date is { } d && time is { } t ? new DateTimeOffset(d.Date + t, ChinaStandardTime.Offset) : null;

    public static string Format(DateTimeOffset instant) =>
        instant.ToOffset(ChinaStandardTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The stage a tender's parties read: after the opening, how far it went (<see cref="TenderService.ProgressAsync"/>).</summary>
    public static string Stage(IStringLocalizer localizer, Tender tender, IReadOnlyDictionary<Guid, TenderProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(tender);
        ArgumentNullException.ThrowIfNull(progress);
        return progress.TryGetValue(tender.ProjectId, out var later) ? localizer["Progress." + later] : localizer["Stage." + tender.Stage];
    }

    /// <summary>A rule code's message in the user's language, or the generic one.</summary>
    public static string Rule(IStringLocalizer localizer, string code)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        var text = localizer["Rule." + code];
        return text.ResourceNotFound ? localizer["Rule.Unknown"] : text.Value;
    }

    private static FormValidationResult OnlyOnScreen(IReadOnlyDictionary<string, object?> values) =>
        new([new FormFieldError("tender", "此任务只能在其专用页面办理。", "This task is completed on its own screen only.")], new Dictionary<string, object?>());
}

public static class TenderWebExtensions
{
    /// <summary>The engineering tender's web parts: its task components and the service behind its pages.</summary>
    public static IServiceCollection AddEngineeringConstructionWeb(this IServiceCollection services)
    {
        services.AddSingleton(TenderWeb.ScheduleComponent);
        services.AddSingleton(TenderWeb.ObjectionsComponent);
        services.AddSingleton(TenderWeb.PrequalificationComponent);
        services.AddSingleton(TenderWeb.OpeningTimeComponent);
        services.AddScoped<TenderWeb>();
        services.AddScoped<TenderDemoWeb>();
        services.AddEngineeringAwardWeb();
        return services;
    }
}

/// <summary>Who reads the tender's hold banner, for what it tells them to do: bidders and supervisors only read it.</summary>
public enum TenderHoldReader
{
    Reader,
    Tenderee,
    Staff,
}
