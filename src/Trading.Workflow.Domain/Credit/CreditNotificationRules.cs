using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Notifications.Rules;

namespace Trading.Workflow.Domain.Credit;

/// <summary>
/// Who hears of a credit record: the subject, that is every user of the market entity or the expert's account, when
/// a supervisor records or revokes one. The text names the decision number and, for a bar, its days.
/// </summary>
public static class CreditNotificationRules
{
    public const string SanctionTemplate = "credit.record.sanction";
    public const string BarTemplate = "credit.record.bar";
    public const string GoodRecordTemplate = "credit.record.good";
    public const string RevokedTemplate = CreditService.RevokedAction;

    private static readonly NotificationTemplate[] Templates =
    [
        new(SanctionTemplate, "不良行为记录：{decision}",
            "监管部门对“{name}”记录了不良行为（处罚决定文号 {decision}，依据 {basis}），已按规定公开。",
            "Sanction recorded: {decision}",
            "The supervision recorded a sanction on \"{name}\" (decision {decision}, basis {basis}); it is published as the law requires.",
            [NotificationChannels.Email, NotificationChannels.Sms]),
        new(BarTemplate, "限制参与交易：{decision}",
            "监管部门对“{name}”作出处罚（处罚决定文号 {decision}，依据 {basis}），自 {from} 至 {until} 不得参与交易。",
            "Barred from trading: {decision}",
            "The supervision sanctioned \"{name}\" (decision {decision}, basis {basis}): it may not take part in trades from {from} to {until}.",
            [NotificationChannels.Email, NotificationChannels.Sms]),
        new(GoodRecordTemplate, "良好行为记录：{decision}",
            "监管部门为“{name}”记录了良好行为（文号 {decision}）。",
            "Good record: {decision}",
            "The supervision recorded a good record for \"{name}\" (number {decision})."),
        new(RevokedTemplate, "信用记录已撤销：{decision}",
            "监管部门撤销了信用记录（文号 {decision}），原因：{reason}。",
            "Credit record revoked: {decision}",
            "The supervision revoked the credit record {decision}. Reason: {reason}.",
            [NotificationChannels.Email]),
    ];

    internal static IServiceCollection AddCreditNotificationRules(this IServiceCollection services)
    {
        foreach (var template in Templates)
        {
            services.AddNotificationTemplate(template);
        }

        services.AddNotificationRule(CreditService.RecordedAction, (context, ct) =>
        {
            var template = context.Value("kind") == nameof(CreditRecordKind.GoodRecord) ? GoodRecordTemplate
                : context.Value("barsParticipation") == "true" ? BarTemplate : SanctionTemplate;
            return ToSubjectAsync(context, template, new()
            {
                ["name"] = context.Value("subjectName") ?? string.Empty,
                ["decision"] = context.Value("decisionNumber") ?? string.Empty,
                ["basis"] = context.Value("legalBasis") ?? string.Empty,
                ["from"] = context.Value("barFrom") ?? string.Empty,
                ["until"] = context.Value("barUntil") ?? string.Empty,
            }, ct);
        });
        services.AddNotificationRule(CreditService.RevokedAction, (context, ct) =>
            ToSubjectAsync(context, RevokedTemplate, new()
            {
                ["decision"] = context.Value("decisionNumber") ?? string.Empty,
                ["reason"] = context.Value("reason") ?? string.Empty,
            }, ct));
        return services;
    }

    /// <summary>The entity's users (its page) or the expert's account (the own profile).</summary>
    private static async ValueTask<IReadOnlyList<NotificationRequest>> ToSubjectAsync(
        NotificationRuleContext context, string template, Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        if (context.Value("expertUserName") is { Length: > 0 } expert)
        {
            return [new NotificationRequest(expert, template, values, "/experts/me")];
        }

        return await MarketNotificationRules.ToMembersAsync(context, template, values, null, cancellationToken);
    }
}
