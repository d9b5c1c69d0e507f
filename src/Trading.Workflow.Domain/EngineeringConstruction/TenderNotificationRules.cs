using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notifications;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// Who hears of a tender's actions, derived from its trail records: a clarification reaches every entity that
/// downloaded the documents; an objection and its reminder reach the tenderee and its agency; the answer reaches the
/// objecting entity; a deadline reached with an objection unanswered (the opening held) reaches the tenderee, its agency
/// and the centre's staff; the opening time announced after a late answer reaches the bidders who bid, the tenderee, its
/// agency and the centre's staff; the close of the prequalification review reaches every applicant; a re-tender reaches the tenderee and every entity that took part.
/// </summary>
public static class TenderNotificationRules
{
    public const string ClarificationPublished = "engineering-construction.clarification.published";
    public const string ObjectionRaised = "engineering-construction.objection.raised";
    public const string ObjectionReminded = "engineering-construction.objection.reminded";
    public const string ObjectionAnswered = "engineering-construction.objection.answered";
    public const string ObjectionOverdue = "engineering-construction.objection.overdue";
    public const string OpeningHeld = "engineering-construction.opening.held";
    public const string OpeningAnnounced = "engineering-construction.opening.announced";
    public const string Retendered = "engineering-construction.tender.retendered";
    public const string PrequalificationReviewed = "engineering-construction.prequalification.reviewed";

    private static readonly NotificationTemplate[] Templates =
    [
        new(PrequalificationReviewed, "资格预审结果：{projectCode}", "{projectName} 的资格预审已结束，请在项目页查看贵单位的审查结论。",
            "Prequalification result: {projectCode}", "The prequalification of {projectName} is closed; see your application's finding on the tender page.", [NotificationChannels.Sms]),
        new(ClarificationPublished, "招标文件澄清/修改：{projectCode}", "{projectName} 发布了招标文件的澄清或修改（第 {number} 号）。{deadlineNote}",
            "Clarification of the tender documents: {projectCode}", "{projectName} published a clarification or amendment (No. {number}). {deadlineNoteEn}", [NotificationChannels.Sms]),
        new(ObjectionRaised, "收到对招标文件的异议：{projectCode}", "{projectName} 收到一项对招标文件的异议，请在 {answerDueAt} 前答复；答复前投标截止时间暂停计算（条例 22）。",
            "Objection to the tender documents: {projectCode}", "{projectName} received an objection to its documents; answer it by {answerDueAt}. The procedure waits until it is answered (Regulations art. 22).", [NotificationChannels.Sms]),
        new(ObjectionReminded, "异议答复即将到期：{projectCode}", "{projectName} 的一项异议须在 {answerDueAt} 前答复（条例 22）。",
            "Objection answer due soon: {projectCode}", "An objection to {projectName} must be answered by {answerDueAt} (Regulations art. 22).", [NotificationChannels.Sms]),
        new(ObjectionOverdue, "异议逾期未答复：{projectCode}", "{projectName} 收到的 {objector} 对招标文件的异议（{raisedAt} 提出）应在 {answerDueAt} 前答复，招标人逾期未答复；答复前投标截止时间暂停计算（条例 22）。",
            "Objection unanswered: {projectCode}", "The objection of {objector} to the documents of {projectName} (raised {raisedAt}) was due for an answer by {answerDueAt}; the tenderee has not answered. The procedure waits until it is answered (Regulations art. 22).", [NotificationChannels.Sms]),
        new(OpeningHeld, "开标暂停：{projectCode}", "{projectName} 的投标截止时间 {bidDeadline} 已到，但对招标文件的异议尚未答复（答复期限 {answerDueAt}），招标投标活动暂停，不开标（条例 22）。请招标人尽快答复；答复修改招标文件的，发布澄清或修改并顺延投标截止时间（法 23）。",
            "Bid opening held: {projectCode}", "The bid deadline of {projectName} ({bidDeadline}) has come while an objection to the documents is unanswered (answer due {answerDueAt}): the procedure is suspended and the bids are not opened (Regulations art. 22). The tenderee must answer; if the answer changes the documents, publish a clarification that extends the deadline (Bidding Law art. 23).", [NotificationChannels.Sms]),
        new(OpeningAnnounced, "开标时间：{projectCode}", "{projectName} 对招标文件的异议在投标截止时间 {bidDeadline} 之后答复，开标定于 {openingAt} 进行（条例 22）。投标文件在开标前保持密封，请投标人届时登录平台解密。",
            "Bid opening time: {projectCode}", "The objection to the documents of {projectName} was answered after the bid deadline ({bidDeadline}); the bids are opened at {openingAt} (Regulations art. 22). They stay sealed until then; bidders, be online to decrypt yours.", [NotificationChannels.Sms]),
        new(ObjectionAnswered, "异议已答复：{projectCode}", "招标人已答复贵单位对 {projectName} 招标文件的异议；不服的，可以在 10 日内向行政监督部门投诉（条例 60）。",
            "Objection answered: {projectCode}", "The tenderee answered your objection to the documents of {projectName}; you may complain to the supervising department within 10 days (Regulations art. 60)."),
        new(Retendered, "重新招标：{projectCode}", "{projectName} 将重新招标：{reason}",
            "Re-tender: {projectCode}", "{projectName} will be tendered again: {reason}", [NotificationChannels.Sms]),
    ];

    internal static IServiceCollection AddTenderNotificationRules(this IServiceCollection services)
    {
        foreach (var template in Templates)
        {
            services.AddNotificationTemplate(template);
        }

        services.AddNotificationRule(ClarificationPublished, (context, ct) =>
        {
            var moved = context.Data.TryGetProperty("deadlineMoved", out var m) && m.ValueKind == JsonValueKind.True;
            var after = context.Value("deadlineAfter") is { } a && DateTimeOffset.TryParse(a, System.Globalization.CultureInfo.InvariantCulture, out var at)
                ? TenderVariables.Instant(at)
                : string.Empty;
            var values = Values(context, "number");
            values["deadlineNote"] = moved ? $"投标截止时间顺延至 {after}（法 23）。" : string.Empty;
            values["deadlineNoteEn"] = moved ? $"The bid deadline moves to {after} (Bidding Law art. 23)." : string.Empty;
            return ToEntitiesAsync(context, ClarificationPublished, Ids(context, "entityIds"), values, ct);
        });
        services.AddNotificationRule(PrequalificationReviewed, (context, ct) =>
            ToEntitiesAsync(context, PrequalificationReviewed, Ids(context, "entityIds"), Values(context), ct));
        services.AddNotificationRule(ObjectionRaised, (context, ct) =>
            ToEntitiesAsync(context, ObjectionRaised, Owners(context), Values(context, "answerDueAt"), ct));
        services.AddNotificationRule(ObjectionReminded, (context, ct) =>
            ToEntitiesAsync(context, ObjectionReminded, Owners(context), Values(context, "answerDueAt"), ct));
        services.AddNotificationRule(ObjectionAnswered, (context, ct) =>
            ToEntitiesAsync(context, ObjectionAnswered, context.Id("entityId") is { } e ? [e] : [], Values(context), ct));
        services.AddNotificationRule(ObjectionOverdue, (context, ct) =>
            EngineeringConstruction.ObjectionOverdue.ToSupervisorsAndObjectorAsync(context, ObjectionOverdue, $"/engineering/tenders/{context.Value("projectId")}", ct));
        services.AddNotificationRule(OpeningHeld, async (context, ct) =>
        {
            var values = Values(context, "bidDeadline", "answerDueAt");
            var owners = await ToEntitiesAsync(context, OpeningHeld, Owners(context), values, ct);
            var staff = await Notifications.Rules.MarketNotificationRules.ToRoleAsync(
                context, Accounts.PlatformRoles.Staff, OpeningHeld, values, $"/engineering/tenders/{context.Value("projectId")}", ct);
            return [.. owners, .. staff];
        });
        services.AddNotificationRule(OpeningAnnounced, async (context, ct) =>
        {
            var values = Values(context, "bidDeadline", "openingAt");
            var parties = await ToEntitiesAsync(context, OpeningAnnounced, [.. Owners(context), .. Ids(context, "entityIds")], values, ct);
            var staff = await Notifications.Rules.MarketNotificationRules.ToRoleAsync(
                context, Accounts.PlatformRoles.Staff, OpeningAnnounced, values, $"/engineering/tenders/{context.Value("projectId")}", ct);
            return [.. parties, .. staff];
        });
        services.AddNotificationRule(Retendered, (context, ct) =>
            ToEntitiesAsync(context, Retendered, [.. Owners(context), .. Ids(context, "entityIds")], Values(context, "reason"), ct));
        return services;
    }

    private static Dictionary<string, string> Values(NotificationRuleContext context, params string[] names)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["projectCode"] = context.Value("projectCode") ?? string.Empty,
            ["projectName"] = context.Value("projectName") ?? string.Empty,
        };
        foreach (var name in names)
        {
            // Deadlines (answerDueAt) are ISO times in the trail: shown in China time.
            values[name] = context.Time(name) ?? string.Empty;
        }

        return values;
    }

    internal static List<Guid> Owners(NotificationRuleContext context) =>
        [.. new[] { context.Id("ownerEntityId"), context.Id("agencyEntityId") }.OfType<Guid>()];

    internal static List<Guid> Ids(NotificationRuleContext context, string name) =>
        context.Data.ValueKind == JsonValueKind.Object && context.Data.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(e => Guid.TryParse(e.GetString(), out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)]
            : [];

    /// <summary>Every user acting for the entities, except the actor, with a link to the tender page (or <paramref name="link"/>).</summary>
    internal static async ValueTask<IReadOnlyList<NotificationRequest>> ToEntitiesAsync(
        NotificationRuleContext context, string template, IEnumerable<Guid> entities, Dictionary<string, string> values, CancellationToken cancellationToken,
        string? link = null)
    {
        link ??= context.Value("projectId") is { } projectId ? $"/engineering/tenders/{projectId}" : "/workspace";
        return [.. (await context.MembersExceptActorAsync(entities.Select(e => (Guid?)e), cancellationToken)).Select(u => new NotificationRequest(u, template, values, link))];
    }
}
