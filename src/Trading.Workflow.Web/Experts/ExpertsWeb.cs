using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Hosting;
using Trading.Workflow.Web.Kernel;
using Trading.Workflow.Web.Logging;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Experts;

/// <summary>A project's evaluation start as the tenderee asked for it in the draw, its committee's state, and whether it opened.</summary>
public sealed record EvaluationStart(DateTimeOffset StartsAt, CommitteeState Committee, bool Opened);

/// <summary>A person the tenderee may name as its representative: one of the users of the project's owner or agency.</summary>
public sealed record RepresentativeChoice(string UserName, string DisplayName);

/// <summary>
/// The web side of the expert pool and the draw: who the signed-in user is to the experts services, the task component
/// <c>component:expert-draw-request</c>, the tenderee's people to choose representatives from, and completing the
/// draw-request task only after the committee was requested and only by the task's assignee.
/// </summary>
public sealed class ExpertsWeb(
    ExpertPoolService pool, CommitteeService committees, ITradingDatabase database, IEntityMembership membership, IUserDirectory users,
    ScreenTaskCompletion completion, TimeProvider time, IServiceProvider services)
{
    public const string DrawRequestKey = "expert-draw-request";

    /// <summary>Process variable the draw-request task completes with (the committee's id as a string).</summary>
    public const string CommitteeIdVariable = ExpertMessages.CommitteeId;

    public static BuiltInTaskComponent DrawRequestComponent { get; } = new(DrawRequestKey, typeof(ExpertDrawRequestPanel),
        "申请抽取评标专家", "Request the evaluation committee draw", OnlyOnScreen);

    public ExpertPoolService Pool => pool;

    public CommitteeService Committees => committees;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The evaluation date the draw form proposes: the first working day at least 3 days ahead (Beijing time).</summary>
    public DateTime DefaultEvaluationDate()
    {
        var proposed = DateOnly.FromDateTime(Now.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(3));
        if (services.GetService<Engine.Calendar.IBusinessCalendar>() is { } calendar)
        {
            try
            {
                proposed = calendar.IsWorkingDay(proposed) ? proposed : calendar.NextWorkingDay(proposed);
            }
            catch (Engine.Calendar.CalendarDataMissingException)
            {
                // No calendar for that year: the plain date; the tenderee picks the day anyway.
            }
        }

        return proposed.ToDateTime(TimeOnly.MinValue);
    }

    public static ExpertsActor Actor(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var userName = principal.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }
            ? name
            : throw new DomainRuleException(ExpertRules.NotAllowed, "A signed-in user is needed.");
        var account = principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? userName;
        return new ExpertsActor(userName, account, WorkflowUser.RolesOf(principal), CentreClaimsPrincipalFactory.CentreOf(principal));
    }

    /// <summary>The project a task belongs to (business key = project code), or null.</summary>
    public async Task<Project?> ProjectOfAsync(UserTaskInfo task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.BusinessKey is not { Length: > 0 } code)
        {
            return null;
        }

        await using var db = database.Create();
        return await db.Set<Project>().AsNoTracking().FirstOrDefaultAsync(p => p.Code == code, cancellationToken);
    }

    public async Task<Project?> ProjectAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var db = database.Create();
        return await db.Set<Project>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == projectId, cancellationToken);
    }

    /// <summary>The users of the project's owner and agency, the people a representative is chosen from.</summary>
    public async Task<IReadOnlyList<RepresentativeChoice>> RepresentativeChoicesAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var ids = new List<string>(await membership.MembersOfAsync(project.OwnerEntityId, cancellationToken));
        if (project.AgencyEntityId is { } agency)
        {
            ids.AddRange(await membership.MembersOfAsync(agency, cancellationToken));
        }

        var accounts = await users.FindByAccountIdsAsync(ids.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        return accounts.Where(a => !a.IsLockedOut).OrderBy(a => a.UserName, StringComparer.Ordinal)
            .Select(a => new RepresentativeChoice(a.UserName, a.DisplayName ?? a.UserName)).ToList();
    }

    /// <summary>
    /// The evaluation method the draw waits for: <c>Required</c> when the host checks it before a draw
    /// (<see cref="IEvaluationMethodCheck"/>), and the method the tenderee set on the project's evaluation page, or null.
    /// </summary>
    public async Task<(bool Required, EvaluationMethod? Method)> EvaluationMethodAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        var required = services.GetService<IEvaluationMethodCheck>() is not null;
        var evaluations = services.GetService<EvaluationService>();
        var plan = evaluations is null ? null : await evaluations.PlanAsync(projectId, cancellationToken);
        return (required, plan?.Method);
    }

    /// <summary>
    /// When the project's evaluation starts, for the pages that say so while the procedure waits for it (the committee
    /// is drawn ahead of the start and the evaluation opens at the start, or once the committee is complete if later);
    /// null before the committee was requested.
    /// </summary>
    public async Task<EvaluationStart?> EvaluationStartAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        var committee = await committees.FindByProjectAsync(projectId, cancellationToken);
        return committee is null ? null : new EvaluationStart(committee.EvaluationStartsAt, committee.State, await EvaluationOpenedAsync(projectId, cancellationToken));
    }

    /// <summary>Whether the project's evaluation has opened (the evaluation part is optional in a host).</summary>
    public async Task<bool> EvaluationOpenedAsync(Guid projectId, CancellationToken cancellationToken = default) =>
        services.GetService<EvaluationService>() is { } evaluations && await evaluations.ForProjectAsync(projectId, cancellationToken) is not null;

    /// <summary>Where the tenderee sets the evaluation method.</summary>
    public static string EvaluationPageOf(Guid projectId) => $"/evaluations/{projectId}";

    /// <summary>Completes the draw-request task once the project has a committee: only its assignee, only that component's task.</summary>
    public async Task CompleteDrawRequestAsync(ClaimsPrincipal principal, Guid taskId, Guid committeeId, CancellationToken cancellationToken = default)
    {
        var (user, _) = await completion.RequireAsync(principal, taskId, DrawRequestKey, cancellationToken);
        await completion.CompleteAsync(user, taskId, new Dictionary<string, object?> { [CommitteeIdVariable] = committeeId.ToString() }, cancellationToken);
    }

    /// <summary>An instant as the people of the centre read it: China Standard Time.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A rule code's message in the user's language, or the generic one.</summary>
    public static string Rule(IStringLocalizer localizer, DomainRuleException exception)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(exception);
        var text = localizer["Rule." + exception.RuleCode];
        return text.ResourceNotFound ? localizer["Rule.Unknown"] : text.Value;
    }

    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string SpecialtyName(string code) => Specialties.PathOf(code, English);

    private static FormValidationResult OnlyOnScreen(IReadOnlyDictionary<string, object?> values) =>
        new([new FormFieldError("experts", "此任务只能在其专用页面办理。", "This task is completed on its own screen only.")], new Dictionary<string, object?>());
}

/// <summary>
/// The invitation timer: every <see cref="ExpertsOptions.TimerInterval"/> it closes unanswered invitations, redraws their
/// seats and offers <c>experts.committee-confirmed</c> to procedures not yet told (<see cref="CommitteeService.RunDueAsync"/>).
/// The rows are in the database and each committee changes under its version, so a restart or a second node loses
/// or doubles nothing.
/// </summary>
public sealed class ExpertInvitationTimer(
    IServiceProvider services, Microsoft.Extensions.Options.IOptions<ExpertsOptions> options, TimeProvider time, ILogger<ExpertInvitationTimer> logger)
    : PeriodicWorker(time, logger)
{
    protected override TimeSpan Interval => options.Value.TimerInterval;

    protected override string RoundName => "expert invitation timer";

    protected override Task RunRoundAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<CommitteeService>().RunDueAsync(cancellationToken);
}

public static class ExpertsWebExtensions
{
    /// <summary>The expert pool and draw with their pages: the domain part, <c>Experts</c> settings, the invitation
    /// timer, the task component <c>component:expert-draw-request</c> and the demo pool.</summary>
    public static IServiceCollection AddExpertsWeb(this IServiceCollection services)
    {
        services.AddExperts();
        services.AddOptions<ExpertsOptions>().BindConfiguration(ExpertsOptions.SectionName);
        services.AddHostedService<ExpertInvitationTimer>();
        services.AddSingleton(ExpertsWeb.DrawRequestComponent);
        services.AddScoped<ExpertsWeb>();
        services.AddDemoDataStep<ExpertsDemoData>();
        return services;
    }
}
