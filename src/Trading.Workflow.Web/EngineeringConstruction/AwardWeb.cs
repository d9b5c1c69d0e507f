using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.EngineeringConstruction;

/// <summary>
/// What the signed-in user is to one project's award: its tenderee, bidders it acts for, a reader of the whole project
/// (<see cref="TenderWeb.ReadsProjectAsync"/>: staff of its centre or above, supervisors of its region; read only), the
/// supervisor who acts on it.
/// </summary>
public sealed record AwardParty(bool IsTenderee, IReadOnlyList<AwardBidder> Bidders, bool ReadsProject, bool IsSupervisor)
{
    public bool IsBidder => Bidders.Count > 0;

    public bool IsParty => IsTenderee || IsBidder || ReadsProject || IsSupervisor;
}

/// <summary>
/// The web side of the award part: the four built-in task components of the award fragment (docs/engineering-award.md),
/// who the user is to a project, and completing those tasks only through their screens.
/// </summary>
public sealed class AwardWeb(AwardService awards, TenderWeb tenders)
{
    public const string CandidateObjectionsKey = "candidate-objections";
    public const string AwardDecisionKey = "award-decision";
    public const string ContractUploadKey = "contract-upload";
    public const string WinnerReportKey = "winner-report";

    public static BuiltInTaskComponent CandidateObjectionsComponent { get; } = new(CandidateObjectionsKey,
        typeof(Components.Pages.EngineeringConstruction.Award.CandidateObjectionsPanel), "答复对评标结果的异议", "Answer objections to the evaluation result", OnlyOnScreen);

    public static BuiltInTaskComponent AwardDecisionComponent { get; } = new(AwardDecisionKey,
        typeof(Components.Pages.EngineeringConstruction.Award.AwardDecisionPanel), "确定中标人", "Determine the winner", OnlyOnScreen);

    public static BuiltInTaskComponent ContractUploadComponent { get; } = new(ContractUploadKey,
        typeof(Components.Pages.EngineeringConstruction.Award.ContractUploadPanel), "上传书面合同", "Upload the signed contracts", OnlyOnScreen);

    public static BuiltInTaskComponent WinnerReportComponent { get; } = new(WinnerReportKey,
        typeof(Components.Pages.EngineeringConstruction.Award.WinnerReportPanel), "提交招标投标情况书面报告", "Submit the written report on the tender", OnlyOnScreen);

    public AwardService Awards => awards;

    /// <summary>The project of a task (business key = project code), or null.</summary>
    public async Task<Guid?> ProjectOfAsync(UserTaskInfo task, CancellationToken cancellationToken = default) =>
        (await tenders.TenderOfAsync(task, cancellationToken))?.ProjectId;

    public async Task<AwardParty> PartyAsync(ClaimsPrincipal principal, TenderAward award, CancellationToken cancellationToken = default)
    {
        var actor = TenderWeb.Actor(principal);
        return new AwardParty(
            await awards.IsTendereeAsync(award, actor, cancellationToken),
            await awards.BiddersOfUserAsync(award, actor, cancellationToken),
            await tenders.ReadsProjectAsync(principal, award.ProjectId, cancellationToken),
            AwardService.IsSupervisor(award, actor));
    }

    public Task CompleteAsync(ClaimsPrincipal principal, Guid taskId, string componentKey, CancellationToken cancellationToken = default) =>
        tenders.CompleteAsync(principal, taskId, componentKey, cancellationToken);

    /// <summary>A rule code's message in the user's language, or the generic one.</summary>
    public static string Rule(IStringLocalizer localizer, string code)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        var text = localizer["Rule." + code];
        return text.ResourceNotFound ? localizer["Rule.Unknown"] : text.Value;
    }

    /// <summary>Runs a command of an award page, turning a refused rule into its message in the user's language.</summary>
    public static async Task<string?> RunAsync(IStringLocalizer localizer, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return null;
        }
        catch (Trading.Workflow.Domain.DomainRuleException ex)
        {
            return Rule(localizer, ex.RuleCode);
        }
        catch (CalendarDataMissingException ex)
        {
            // A date in a year whose holiday arrangement is not yet entered: said in both languages, nothing saved.
            return ex.Message;
        }
        catch (Exception ex) when (Components.Workflow.WorkflowErrors.Describe(ex) is { } message)
        {
            return message;
        }
    }

    private static FormValidationResult OnlyOnScreen(IReadOnlyDictionary<string, object?> values) =>
        new([new FormFieldError("award", "此任务只能在其专用页面办理。", "This task is completed on its own screen only.")], new Dictionary<string, object?>());
}

public static class AwardWebExtensions
{
    /// <summary>The award part's web side: its task components, the service behind its pages and its limits' configuration.</summary>
    public static IServiceCollection AddEngineeringAwardWeb(this IServiceCollection services)
    {
        services.AddOptions<AwardLimits>().BindConfiguration(AwardLimits.SectionName);
        services.AddSingleton(AwardWeb.CandidateObjectionsComponent);
        services.AddSingleton(AwardWeb.AwardDecisionComponent);
        services.AddSingleton(AwardWeb.ContractUploadComponent);
        services.AddSingleton(AwardWeb.WinnerReportComponent);
        services.AddScoped<AwardWeb>();
        services.AddHostedService<ComplaintOverdueWorker>();
        return services;
    }
}
