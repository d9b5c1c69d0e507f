using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Notifications.Rules;

namespace Trading.Workflow.Domain.EngineeringConstruction;

public static class AwardServiceCollectionExtensions
{
    /// <summary>
    /// From the evaluation report to the contracts (candidate publicity, objections, complaints, suspension, award,
    /// notices, contract and winner report): the limits (<see cref="AwardLimits.SectionName"/>, statutory by default, only
    /// stricter values accepted), the service, the service tasks and the notification rules. Called by
    /// <see cref="EngineeringConstructionServiceCollectionExtensions.AddEngineeringConstruction"/>.
    /// </summary>
    public static IServiceCollection AddEngineeringAward(this IServiceCollection services)
    {
        services.AddOptions<AwardLimits>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AwardLimits>, AwardLimitsValidator>());
        services.TryAddSingleton<AwardService>();
        services.TryAddSingleton<ComplaintService>();
        services.AddServiceTaskHandler<PublishCandidatesHandler>();
        services.AddServiceTaskHandler<AwardStateHandler>();
        services.AddServiceTaskHandler<RemindResultObjectionsHandler>();
        services.AddServiceTaskHandler<ResultObjectionOverdueHandler>();
        services.AddServiceTaskHandler<AwardDeadlinesHandler>();
        services.AddServiceTaskHandler<ContractReminderHandler>();
        services.AddServiceTaskHandler<ContractOverdueHandler>();
        services.AddServiceTaskHandler<WinnerReportReminderHandler>();
        services.AddServiceTaskHandler<WinnerReportOverdueHandler>();
        services.AddServiceTaskHandler<ContractsSignedHandler>();
        services.AddAwardNotificationRules();
        return services;
    }
}

/// <summary>A centre may make the statutory award limits stricter, never looser.</summary>
public sealed class AwardLimitsValidator : IValidateOptions<AwardLimits>
{
    public ValidateOptionsResult Validate(string? name, AwardLimits options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Within(string key, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                failures.Add($"{AwardLimits.SectionName}:{key} = {value} must be {min} to {max}.");
            }
        }

        var law = AwardLimits.Statutory;
        Within(nameof(AwardLimits.PublicityStartDays), options.PublicityStartDays, 1, law.PublicityStartDays);
        Within(nameof(AwardLimits.PublicityDays), options.PublicityDays, law.PublicityDays, 30);
        Within(nameof(AwardLimits.ObjectionAnswerDays), options.ObjectionAnswerDays, 1, law.ObjectionAnswerDays);
        Within(nameof(AwardLimits.ComplaintDays), options.ComplaintDays, law.ComplaintDays, 60);
        Within(nameof(AwardLimits.ComplaintAcceptWorkingDays), options.ComplaintAcceptWorkingDays, 1, law.ComplaintAcceptWorkingDays);
        Within(nameof(AwardLimits.ComplaintDecisionWorkingDays), options.ComplaintDecisionWorkingDays, 1, law.ComplaintDecisionWorkingDays);
        Within(nameof(AwardLimits.ContractDays), options.ContractDays, 1, law.ContractDays);
        Within(nameof(AwardLimits.WinnerReportDays), options.WinnerReportDays, 1, law.WinnerReportDays);
        Within(nameof(AwardLimits.WinnerReportReminderDay), options.WinnerReportReminderDay, 1, options.WinnerReportDays);
        if (options.PerformanceBondCapRate is <= 0 or > 0.10m)
        {
            failures.Add($"{AwardLimits.SectionName}:PerformanceBondCapRate = {options.PerformanceBondCapRate} must be above 0 and at most 0.10 (条例 58).");
        }

        if (options.ContractReminderDays is not { Length: > 0 } days || days.Any(d => d < 1 || d >= options.ContractDays))
        {
            failures.Add($"{AwardLimits.SectionName}:ContractReminderDays must name one or more days between 1 and {options.ContractDays - 1}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Who hears of the award part's actions (derived from its trail records): bidders of the publicity and of a suspension;
/// the tenderee of objections, reminders, complaints and late steps; the objector of the answer; winners of their award
/// notice and every other bidder of their result notice; supervisors of complaints and escalations.
/// </summary>
public static class AwardNotificationRules
{
    public const string PublicityPublished = "engineering-construction.publicity.published";
    public const string ObjectionRaised = "engineering-construction.result-objection.raised";
    public const string ObjectionReminded = "engineering-construction.result-objection.reminded";
    public const string ObjectionAnswered = "engineering-construction.result-objection.answered";
    public const string ObjectionOverdue = "engineering-construction.result-objection.overdue";
    public const string ComplaintFiled = "engineering-construction.complaint.filed";

    /// <summary>The tenderee's message of a filed complaint (a template, not an action): it is told, not asked to accept.</summary>
    public const string ComplaintFiledTenderee = "engineering-construction.complaint.filed-tenderee";
    public const string ComplaintAccepted = "engineering-construction.complaint.accepted";
    public const string ComplaintRefused = "engineering-construction.complaint.refused";
    public const string ComplaintDecided = "engineering-construction.complaint.decided";
    public const string ComplaintOverdue = "engineering-construction.complaint.overdue";
    public const string Suspended = "engineering-construction.procedure.suspended";
    public const string Resumed = "engineering-construction.procedure.resumed";
    public const string AwardDecided = "engineering-construction.award.decided";
    public const string AwardWinner = "engineering-construction.award.winner";
    public const string AwardResult = "engineering-construction.award.result";
    public const string ContractReminded = "engineering-construction.contract.reminded";
    public const string ContractOverdue = "engineering-construction.contract.overdue";
    public const string WinnerReportReminded = "engineering-construction.winner-report.reminded";
    public const string WinnerReportOverdue = "engineering-construction.winner-report.overdue";

    private static readonly NotificationTemplate[] Templates =
    [
        new(PublicityPublished, "中标候选人公示：{projectCode}", "{projectName} 的中标候选人已在平台公示至 {publicityEndsAt}；对评标结果有异议的，请在公示期内在线提出（条例 54）。",
            "Candidates published: {projectCode}", "The candidates of {projectName} are published until {publicityEndsAt}; object online during the publicity (Regulations art. 54).", [NotificationChannels.Sms]),
        new(ObjectionRaised, "收到对评标结果的异议：{projectCode}", "{projectName} 收到一项对评标结果的异议，请在 {answerDueAt} 前答复；答复前不得定标（条例 54）。",
            "Objection to the result: {projectCode}", "{projectName} received an objection to its evaluation result; answer it by {answerDueAt}. Nothing proceeds until then (Regulations art. 54).", [NotificationChannels.Sms]),
        new(ObjectionReminded, "异议答复今日到期：{projectCode}", "{projectName} 的一项对评标结果的异议须在 {answerDueAt} 前答复（条例 54）。",
            "Objection answer due today: {projectCode}", "An objection to the result of {projectName} must be answered by {answerDueAt} (Regulations art. 54).", [NotificationChannels.Sms]),
        new(ObjectionAnswered, "异议已答复：{projectCode}", "招标人已答复贵单位对 {projectName} 评标结果的异议；不服的，可以在 10 日内向行政监督部门投诉（条例 60）。",
            "Objection answered: {projectCode}", "The tenderee answered your objection to the result of {projectName}; you may complain to the supervising department within 10 days (Regulations art. 60)."),
        new(ObjectionOverdue, "异议逾期未答复：{projectCode}", "{projectName} 收到的 {objector} 对评标结果的异议（{raisedAt} 提出）应在 {answerDueAt} 前答复，招标人逾期未答复；答复前不得定标（条例 54）。",
            "Objection unanswered: {projectCode}", "The objection of {objector} to the result of {projectName} (raised {raisedAt}) was due for an answer by {answerDueAt}; the tenderee has not answered. Nothing proceeds until then (Regulations art. 54).", [NotificationChannels.Sms]),
        new(ComplaintFiled, "收到投诉：{projectCode}", "{complainant} 对 {projectName} {objectionZh}的答复提出投诉，请在 {acceptDueAt} 前决定是否受理（条例 61）。",
            "Complaint filed: {projectCode}", "{complainant} complained about the answer to its objection {objectionEn} of {projectName}; decide by {acceptDueAt} whether to accept it (Regulations art. 61).", [NotificationChannels.Sms]),
        new(ComplaintFiledTenderee, "收到投诉：{projectCode}", "{complainant} 就 {projectName} 向行政监督部门提出投诉，行政监督部门将在 {acceptDueAt} 前决定是否受理（条例 61）。",
            "Complaint filed: {projectCode}", "{complainant} complained to the supervising department about {projectName}; the department decides by {acceptDueAt} whether to accept it (Regulations art. 61)."),
        new(ComplaintAccepted, "投诉已受理：{projectCode}", "行政监督部门已受理 {complainant} 关于 {projectName} 的投诉，将在 {decideDueAt} 前作出处理决定（条例 61）。",
            "Complaint accepted: {projectCode}", "The supervising department accepted the complaint of {complainant} about {projectName}; it decides by {decideDueAt} (Regulations art. 61).", [NotificationChannels.Sms]),
        new(ComplaintRefused, "投诉不予受理：{projectCode}", "行政监督部门对 {complainant} 关于 {projectName} 的投诉决定不予受理：{reason}",
            "Complaint not accepted: {projectCode}", "The supervising department did not accept the complaint of {complainant} about {projectName}: {reason}", [NotificationChannels.Sms]),
        new(ComplaintOverdue, "投诉逾期未{stepZh}：{projectCode}", "{complainant} 关于 {projectName} 的投诉应在 {dueAt} 前{stepZh}，现已逾期（条例 61）。",
            "Complaint overdue: {projectCode}", "The {stepEn} of the complaint of {complainant} about {projectName} was due by {dueAt} (Regulations art. 61).", [NotificationChannels.Sms]),
        new(ComplaintDecided, "投诉处理决定：{projectCode}", "行政监督部门已对 {complainant} 关于 {projectName} 的投诉作出处理决定：{decision}",
            "Complaint decided: {projectCode}", "The supervising department decided the complaint of {complainant} about {projectName}: {decision}"),
        new(Suspended, "招标投标活动暂停：{projectCode}", "行政监督部门责令暂停 {projectName} 的招标投标活动：{reason}",
            "Procedure suspended: {projectCode}", "The supervising department suspended the procedure of {projectName}: {reason}", [NotificationChannels.Sms]),
        new(Resumed, "招标投标活动恢复：{projectCode}", "行政监督部门已恢复 {projectName} 的招标投标活动：{reason}",
            "Procedure resumed: {projectCode}", "The supervising department resumed the procedure of {projectName}: {reason}"),
        new(AwardWinner, "中标通知书：{projectCode}", "贵单位被确定为 {projectName} 的中标人。请在项目定标页面下载中标通知书，并在 {contractDueAt} 前与招标人订立书面合同（法 46）。",
            "Award notice: {projectCode}", "You won {projectName}. Download the award notice on the award page and sign the contract by {contractDueAt} (Bidding Law art. 46).", [NotificationChannels.Sms]),
        new(AwardResult, "中标结果通知书：{projectCode}", "{projectName} 已确定中标人。请在项目定标页面下载中标结果通知书。",
            "Result notice: {projectCode}", "The winner of {projectName} is determined; download your result notice on the award page.", [NotificationChannels.Sms]),
        new(ContractReminded, "请按期签订书面合同：{projectCode}", "{projectName} 标段 {sectionCode} 的书面合同须在 {contractDueAt} 前签订并上传（法 46）。",
            "Contract due: {projectCode}", "The contract of section {sectionCode} of {projectName} is due by {contractDueAt} (Bidding Law art. 46).", [NotificationChannels.Sms]),
        new(ContractOverdue, "合同逾期未签订：{projectCode}", "{projectName} 标段 {sectionCode} 自中标通知书发出之日起 30 日内未上传书面合同（法 46）。",
            "Contract overdue: {projectCode}", "No signed contract for section {sectionCode} of {projectName} within 30 days of the award notice (Bidding Law art. 46).", [NotificationChannels.Sms]),
        new(WinnerReportReminded, "请提交招标投标情况书面报告：{projectCode}", "{projectName} 的招标投标情况书面报告须在 {winnerReportDueAt} 前提交行政监督部门（法 47）。",
            "Winner report due: {projectCode}", "The written report on {projectName} is due to the supervising department by {winnerReportDueAt} (Bidding Law art. 47)."),
        new(WinnerReportOverdue, "书面报告逾期未提交：{projectCode}", "{projectName} 确定中标人之日起 15 日内未提交招标投标情况书面报告（法 47）。",
            "Winner report overdue: {projectCode}", "No written report on {projectName} within 15 days of the award (Bidding Law art. 47).", [NotificationChannels.Sms]),
    ];

    internal static IServiceCollection AddAwardNotificationRules(this IServiceCollection services)
    {
        foreach (var template in Templates)
        {
            services.AddNotificationTemplate(template);
        }

        services.AddNotificationRule(PublicityPublished, (c, ct) => ToEntitiesAsync(c, PublicityPublished, [.. Owners(c), .. Ids(c, "entityIds")], Values(c, "publicityEndsAt"), ct));
        services.AddNotificationRule(ObjectionRaised, (c, ct) => ToEntitiesAsync(c, ObjectionRaised, Owners(c), Values(c, "answerDueAt"), ct));
        services.AddNotificationRule(ObjectionReminded, (c, ct) => ToEntitiesAsync(c, ObjectionReminded, Owners(c), Values(c, "answerDueAt"), ct));
        services.AddNotificationRule(ObjectionAnswered, (c, ct) => ToEntitiesAsync(c, ObjectionAnswered, c.Id("entityId") is { } e ? [e] : [], Values(c), ct));
        services.AddNotificationRule(ObjectionOverdue, (c, ct) => EngineeringConstruction.ObjectionOverdue.ToSupervisorsAndObjectorAsync(c, ObjectionOverdue, Link(c), ct));
        services.AddNotificationRule(ComplaintFiled, async (c, ct) =>
        {
            var tenderee = Values(c, "acceptDueAt", "entityName");
            tenderee["complainant"] = tenderee["entityName"];
            // The supervisor is told who complains and after which objection, to judge acceptance from the notice.
            var supervisors = Values(c, "acceptDueAt", "entityName");
            supervisors["complainant"] = supervisors["entityName"];
            (supervisors["objectionZh"], supervisors["objectionEn"]) = c.Value("objectionKind") switch
            {
                nameof(ComplaintObjectionKind.Documents) => ("招标文件异议", "to the tender documents"),
                nameof(ComplaintObjectionKind.Opening) => ("开标异议", "at the opening"),
                _ => ("评标结果异议", "to the evaluation result"),
            };
            return [.. await MarketNotificationRules.ToRoleAsync(c, PlatformRoles.Supervisor, ComplaintFiled, supervisors, "/supervision/engineering-award", ct),
                    .. await TenderNotificationRules.ToEntitiesAsync(c, ComplaintFiledTenderee, Owners(c), tenderee, ct, ComplaintLink(c))];
        });
        services.AddNotificationRule(ComplaintOverdue, (c, ct) =>
        {
            var values = Values(c, "dueAt", "entityName");
            var accepting = c.Value("step") == "accept";
            values["complainant"] = values["entityName"];
            values["stepZh"] = accepting ? "受理" : "作出处理决定";
            values["stepEn"] = accepting ? "acceptance" : "decision";
            return MarketNotificationRules.ToRoleAsync(c, PlatformRoles.Supervisor, ComplaintOverdue, values, "/supervision/engineering-award", ct);
        });
        services.AddNotificationRule(ComplaintAccepted, (c, ct) => ToComplainantAndTendereeAsync(c, ComplaintAccepted, "decideDueAt", ct));
        services.AddNotificationRule(ComplaintRefused, (c, ct) => ToComplainantAndTendereeAsync(c, ComplaintRefused, "reason", ct));
        services.AddNotificationRule(ComplaintDecided, (c, ct) => ToComplainantAndTendereeAsync(c, ComplaintDecided, "decision", ct));
        services.AddNotificationRule(Suspended, (c, ct) => ToEntitiesAsync(c, Suspended, [.. Owners(c), .. Ids(c, "entityIds")], Values(c, "reason"), ct));
        services.AddNotificationRule(Resumed, (c, ct) => ToEntitiesAsync(c, Resumed, [.. Owners(c), .. Ids(c, "entityIds")], Values(c, "reason"), ct));
        services.AddNotificationRule(AwardDecided, async (c, ct) =>
        {
            var values = Values(c, "contractDueAt");
            var winners = await ToEntitiesAsync(c, AwardWinner, Ids(c, "winnerEntityIds"), values, ct);
            var others = await ToEntitiesAsync(c, AwardResult, Ids(c, "otherEntityIds"), values, ct);
            return [.. winners, .. others];
        });
        services.AddNotificationRule(ContractReminded, (c, ct) =>
            ToEntitiesAsync(c, ContractReminded, [.. Owners(c), .. c.Id("winnerEntityId") is { } w ? new[] { w } : []], Values(c, "sectionCode", "contractDueAt"), ct));
        services.AddNotificationRule(ContractOverdue, async (c, ct) =>
            [.. await MarketNotificationRules.ToRoleAsync(c, PlatformRoles.Supervisor, ContractOverdue, Values(c, "sectionCode"), Link(c), ct),
             .. await ToEntitiesAsync(c, ContractOverdue, Owners(c), Values(c, "sectionCode"), ct)]);
        services.AddNotificationRule(WinnerReportReminded, (c, ct) => ToEntitiesAsync(c, WinnerReportReminded, Owners(c), Values(c, "winnerReportDueAt"), ct));
        services.AddNotificationRule(WinnerReportOverdue, async (c, ct) =>
            [.. await MarketNotificationRules.ToRoleAsync(c, PlatformRoles.Supervisor, WinnerReportOverdue, Values(c), Link(c), ct),
             .. await ToEntitiesAsync(c, WinnerReportOverdue, Owners(c), Values(c), ct)]);
        return services;
    }

    /// <summary>The complainant's entity and the tenderee (its agency too) hear of each step the supervisor takes (条例 61).</summary>
    private static ValueTask<IReadOnlyList<NotificationRequest>> ToComplainantAndTendereeAsync(NotificationRuleContext context, string template, string value, CancellationToken cancellationToken)
    {
        var values = Values(context, value, "entityName");
        values["complainant"] = values["entityName"];
        return TenderNotificationRules.ToEntitiesAsync(context, template, [.. Owners(context), .. context.Id("entityId") is { } e ? new[] { e } : []], values, cancellationToken,
            ComplaintLink(context));
    }

    /// <summary>Where the complaint is shown: under its objection, on the award page for the result, else on the tender page.</summary>
    private static string ComplaintLink(NotificationRuleContext context) =>
        context.Value("objectionKind") is { } kind && kind != nameof(ComplaintObjectionKind.Result) && context.Value("projectId") is { } projectId
            ? $"/engineering/tenders/{projectId}"
            : Link(context);

    private static string Link(NotificationRuleContext context) =>
        context.Value("projectId") is { } projectId ? $"/engineering/tenders/{projectId}/award" : "/workspace";

    private static Dictionary<string, string> Values(NotificationRuleContext context, params string[] names)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["projectCode"] = context.Value("projectCode") ?? string.Empty,
            ["projectName"] = context.Value("projectName") ?? string.Empty,
        };
        foreach (var name in names)
        {
            var value = context.Value(name) ?? string.Empty;
            values[name] = DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at) && value.Contains('T', StringComparison.Ordinal)
                ? AwardNotices.Local(at)
                : value;
        }

        return values;
    }

    private static List<Guid> Owners(NotificationRuleContext context) => TenderNotificationRules.Owners(context);

    private static List<Guid> Ids(NotificationRuleContext context, string name) => TenderNotificationRules.Ids(context, name);

    private static ValueTask<IReadOnlyList<NotificationRequest>> ToEntitiesAsync(
        NotificationRuleContext context, string template, IEnumerable<Guid> entities, Dictionary<string, string> values, CancellationToken cancellationToken) =>
        TenderNotificationRules.ToEntitiesAsync(context, template, entities, values, cancellationToken, Link(context));
}
