using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Notifications;

namespace Trading.Workflow.Domain.Experts;

/// <summary>
/// Who hears of a committee: a drawn expert is invited in the app and by SMS and voice call (the platform's channels;
/// logged only until a provider is configured); the requester hears that the committee is complete (no names); the
/// centre's staff hear that a seat could not be filled.
/// </summary>
public static class ExpertNotificationRules
{
    private static readonly NotificationTemplate[] Templates =
    [
        new(CommitteeActions.InvitationSent, "评标邀请：请在 {respondBy} 前确认",
            "您被随机抽取为评标专家，评标开始时间 {evaluationStartsAt}。请在 {respondBy} 前登录平台确认或谢绝；逾期未答复视为谢绝，系统将重新抽取。项目信息在确认页查看，请勿外传。",
            "Evaluation invitation: answer by {respondBy}",
            "You were drawn at random as an evaluation expert; the evaluation starts at {evaluationStartsAt}. Confirm or decline on the platform by {respondBy}; no answer counts as a decline and the seat is drawn again. Keep the project details confidential.",
            [NotificationChannels.Sms, NotificationChannels.Voice]),
        new(CommitteeActions.Confirmed, "评标委员会已组建：{projectCode}",
            "{projectName} 的评标委员会（{size} 人）已全部确认。名单在评标开始前按规定时间解封。",
            "Evaluation committee complete: {projectCode}",
            "Every member of the committee of {projectName} ({size} members) confirmed. Names are unsealed shortly before the evaluation."),
        new(CommitteeActions.Short, "专家抽取不足：{projectCode}",
            "{projectName} 的专业 {specialty} 可抽取专家不足，仍缺 {missing} 人。请补充或恢复专家后在抽取记录页重新抽取。",
            "Expert draw short: {projectCode}",
            "{projectName} lacks {missing} eligible experts of specialty {specialty}. Add or reinstate experts, then draw again on the draw record page."),
    ];

    internal static IServiceCollection AddExpertNotificationRules(this IServiceCollection services)
    {
        foreach (var template in Templates)
        {
            services.AddNotificationTemplate(template);
        }

        services.AddNotificationRule(CommitteeActions.InvitationSent, (context, ct) =>
        {
            var details = context.Data.GetProperty("details");
            var user = details.GetProperty("userName").GetString() ?? string.Empty;
            var values = new Dictionary<string, string>
            {
                ["respondBy"] = Instant(details.GetProperty("respondBy").GetDateTimeOffset()),
                ["evaluationStartsAt"] = Instant(details.GetProperty("evaluationStartsAt").GetDateTimeOffset()),
            };
            IReadOnlyList<NotificationRequest> requests = [new NotificationRequest(user, CommitteeActions.InvitationSent, values, "/experts/invitations")];
            return ValueTask.FromResult(requests);
        });
        services.AddNotificationRule(CommitteeActions.Confirmed, (context, ct) =>
        {
            var details = context.Data.GetProperty("details");
            var values = Values(context);
            values["size"] = details.GetProperty("size").GetInt32().ToString(CultureInfo.InvariantCulture);
            var requester = details.GetProperty("requestedBy").GetString() ?? string.Empty;
            IReadOnlyList<NotificationRequest> requests =
                [new NotificationRequest(requester, CommitteeActions.Confirmed, values, $"/experts/committees/{context.Value("projectId")}")];
            return ValueTask.FromResult(requests);
        });
        services.AddNotificationRule(CommitteeActions.Short, async (context, ct) =>
        {
            var details = context.Data.GetProperty("details");
            var values = Values(context);
            values["specialty"] = Specialties.PathOf(details.GetProperty("specialty").GetString() ?? string.Empty);
            values["missing"] = (details.GetProperty("wanted").GetInt32() - details.GetProperty("drawn").GetInt32()).ToString(CultureInfo.InvariantCulture);
            var staff = await context.Services.GetRequiredService<INotificationRecipientDirectory>().UsersInRoleAsync(PlatformRoles.Staff, context.Entry.CentreId, ct);
            return staff.Select(u => new NotificationRequest(u, CommitteeActions.Short, values, $"/experts/committees/{context.Value("projectId")}")).ToList();
        });
        return services;
    }

    private static Dictionary<string, string> Values(NotificationRuleContext context) => new()
    {
        ["projectCode"] = context.Value("projectCode") ?? string.Empty,
        ["projectName"] = context.Value("projectName") ?? string.Empty,
    };

    private static string Instant(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
