using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notifications;

namespace Trading.Workflow.Domain.Grants;

/// <summary>
/// Who hears of the grant trail actions: the grantor's users when staff return the offering (with the reason) and when its
/// notice is published; an applicant's users when its eligibility is confirmed (with its bidder number) or refused (with
/// the reason), or when the sale closed before it was decided (未获准参加, with the reason); the confirmed bidders' users
/// and the grantor's when the outcome is recorded (sold or 流拍); the grantor's
/// and every applicant's users when the sale is terminated (终止, with the reason). Never the
/// user who acted, and nobody else: the records name the owner and the entity, the rules look up their members.
/// </summary>
public static class GrantNotificationRules
{
    public const string Returned = "grants.offering.returned";
    public const string NoticePublished = "grants.notice.published";
    public const string Approved = "grants.application.approved";
    public const string Rejected = "grants.application.rejected";
    public const string NotAdmitted = "grants.application.not-admitted";
    public const string Sold = "grants.lot.sold";
    public const string NoSale = "grants.lot.no-sale";
    public const string Terminated = "grants.offering.terminated";

    /// <summary>The approval's record is written before the engine draws the number; read after it, the number is there.</summary>
    public const string ApprovedNumberPending = "grants.application.approved.pending-number";

    public static readonly NotificationTemplate ReturnedTemplate = new(
        Returned,
        "出让信息被退回修改：{projectCode}",
        "交易中心退回了“{title}”（{projectCode}）的出让信息，理由：{reason}。请修改后重新提交；公告发布前也可撤回。",
        "Grant offering returned: {projectCode}",
        "The trading centre returned the offering \"{title}\" ({projectCode}). Reason: {reason}. Please correct it and submit it again; until its notice is published you may also withdraw it.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate NoticePublishedTemplate = new(
        NoticePublished,
        "出让公告已发布：{projectCode}",
        "“{title}”（{projectCode}）的出让公告已在平台发布，竞价 {biddingOpens} 开始。",
        "Grant notice published: {projectCode}",
        "The grant notice of \"{title}\" ({projectCode}) is published on the platform; bidding opens at {biddingOpens}.",
        [NotificationChannels.Email]);

    public static readonly NotificationTemplate ApprovedTemplate = new(
        Approved,
        "竞买资格已确认：{projectCode}",
        "贵方对“{title}”（{projectCode}）的竞买申请已通过资格确认，竞买号 {bidderNumber}。竞买号请勿告知他人，竞价 {biddingOpens} 开始。",
        "Bidding eligibility confirmed: {projectCode}",
        "Your application for \"{title}\" ({projectCode}) was approved; your bidder number is {bidderNumber}. Keep it to yourself; bidding opens at {biddingOpens}.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate ApprovedNumberPendingTemplate = new(
        ApprovedNumberPending,
        "竞买资格已确认：{projectCode}",
        "贵方对“{title}”（{projectCode}）的竞买申请已通过资格确认，竞买号见出让页面。竞价 {biddingOpens} 开始。",
        "Bidding eligibility confirmed: {projectCode}",
        "Your application for \"{title}\" ({projectCode}) was approved; your bidder number is on the offering's page. Bidding opens at {biddingOpens}.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate RejectedTemplate = new(
        Rejected,
        "竞买申请未通过：{projectCode}",
        "贵方对“{title}”（{projectCode}）的竞买申请未通过资格确认，理由：{reason}。",
        "Bidding application refused: {projectCode}",
        "Your application for \"{title}\" ({projectCode}) was refused. Reason: {reason}.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate NotAdmittedTemplate = new(
        NotAdmitted,
        "竞买申请未获准参加竞价：{projectCode}",
        "“{title}”（{projectCode}）的竞价已于 {closedAt} 结束，贵方的竞买申请未获准参加竞价，原因：{reasonZh}。已缴纳的竞买保证金将原路退还，不计利息。",
        "Bidding application not admitted: {projectCode}",
        "The bidding for \"{title}\" ({projectCode}) closed at {closedAt}; your application was not admitted to it. Reason: {reasonEn}. Any deposit paid is refunded to the account it came from, without interest.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate SoldTemplate = new(
        Sold,
        "竞价结果：{projectCode} 成交",
        "“{title}”（{projectCode}）竞价结束：竞买号 {winnerNumber} 以 {price} 元竞得。",
        "Bidding result: {projectCode} sold",
        "The bidding for \"{title}\" ({projectCode}) closed: bidder number {winnerNumber} won at {price} yuan.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate NoSaleTemplate = new(
        NoSale,
        "竞价结果：{projectCode} 流拍",
        "“{title}”（{projectCode}）竞价结束，未成交（{reasonZh}），流拍公告已发布。",
        "Bidding result: {projectCode} not sold",
        "The bidding for \"{title}\" ({projectCode}) closed without a sale ({reasonEn}); the no-sale notice is published.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate TerminatedTemplate = new(
        Terminated,
        "出让已终止：{projectCode}",
        "“{title}”（{projectCode}）的出让已终止，理由：{reason}。终止公告已发布，竞价不再进行；已缴纳的竞买保证金将原路退还，不计利息。",
        "Grant terminated: {projectCode}",
        "The sale of \"{title}\" ({projectCode}) was terminated. Reason: {reason}. The termination notice is published and the bidding will not go on; deposits paid are refunded to the account they came from, without interest.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    internal static IServiceCollection AddGrantNotificationRules(this IServiceCollection services)
    {
        foreach (var template in new[] { ReturnedTemplate, NoticePublishedTemplate, ApprovedTemplate, ApprovedNumberPendingTemplate, RejectedTemplate, NotAdmittedTemplate, SoldTemplate, NoSaleTemplate, TerminatedTemplate })
        {
            services.AddNotificationTemplate(template);
        }

        services.AddNotificationRule(Returned, async (context, ct) =>
        {
            var (offering, values) = await OfferingAsync(context, ct);
            values["reason"] = Detail(context, "reason") ?? "-";
            return await ToMembersAsync(context, [offering?.OwnerEntityId], Returned, values, offering, ct);
        });
        services.AddNotificationRule(NoticePublished, async (context, ct) =>
        {
            var (offering, values) = await OfferingAsync(context, ct);
            return await ToMembersAsync(context, [offering?.OwnerEntityId], NoticePublished, values, offering, ct);
        });
        services.AddNotificationRule(Approved, async (context, ct) =>
        {
            var (offering, values) = await OfferingAsync(context, ct);
            var entity = DetailId(context, "entityId");
            var number = await BidderNumberAsync(context, offering, DetailId(context, "applicationId"), entity, ct);
            values["bidderNumber"] = number?.ToString(CultureInfo.InvariantCulture) ?? "-";
            return await ToMembersAsync(context, [entity], number is null ? ApprovedNumberPending : Approved, values, offering, ct);
        });
        services.AddNotificationRule(Rejected, async (context, ct) =>
        {
            var (offering, values) = await OfferingAsync(context, ct);
            values["reason"] = Detail(context, "reason") ?? "-";
            return await ToMembersAsync(context, [DetailId(context, "entityId")], Rejected, values, offering, ct);
        });
        services.AddNotificationRule(NotAdmitted, async (context, ct) =>
        {
            var (offering, values) = await OfferingAsync(context, ct);
            var reason = Detail(context, "reason");
            // The procedure's reason is one sentence in both languages; each user reads it in its own.
            (values["reasonZh"], values["reasonEn"]) = reason == GrantApplication.NotAdmittedReason
                ? ("竞价结束时竞买资格尚未确认", "eligibility was not confirmed before the bidding closed")
                : (reason ?? "-", reason ?? "-");
            values["closedAt"] = DateTimeOffset.TryParse(Detail(context, "closedAt"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var closedAt) ? GrantSchedule.Local(closedAt) : "-";
            return await ToMembersAsync(context, [DetailId(context, "entityId")], NotAdmitted, values, offering, ct);
        });
        services.AddNotificationRule(Sold, async (context, ct) =>
        {
            var (offering, values) = await OfferingAsync(context, ct);
            values["winnerNumber"] = Detail(context, "winnerNumber") ?? "-";
            values["price"] = decimal.TryParse(Detail(context, "price"), NumberStyles.Number, CultureInfo.InvariantCulture, out var price)
                ? price.ToString("N2", CultureInfo.InvariantCulture)
                : "-";
            return await ToMembersAsync(context, await OutcomeRecipientsAsync(context, offering, ct), Sold, values, offering, ct);
        });
        services.AddNotificationRule(NoSale, async (context, ct) =>
        {
            var (offering, values) = await OfferingAsync(context, ct);
            var reason = Detail(context, "reason");
            (values["reasonZh"], values["reasonEn"]) = reason == NoSaleReasons.ReserveNotMet ? ("最高报价低于底价", "the best bid was below the reserve") : ("无人报价", "no bids");
            return await ToMembersAsync(context, await OutcomeRecipientsAsync(context, offering, ct), NoSale, values, offering, ct);
        });
        services.AddNotificationRule(Terminated, async (context, ct) =>
        {
            var (offering, values) = await OfferingAsync(context, ct);
            values["reason"] = Detail(context, "reason") ?? "-";
            return await ToMembersAsync(context, await ApplicantRecipientsAsync(context, offering, ct), Terminated, values, offering, ct);
        });
        return services;
    }

    /// <summary>The grantor and every applicant, decided or not: a termination concerns each one's deposit.</summary>
    private static async Task<Guid?[]> ApplicantRecipientsAsync(NotificationRuleContext context, GrantOffering? offering, CancellationToken ct)
    {
        if (offering is null)
        {
            return [];
        }

        var applicants = await context.Db.Set<GrantApplication>().AsNoTracking().Where(a => a.OfferingId == offering.Id).Select(a => a.EntityId).ToListAsync(ct);
        return [offering.OwnerEntityId, .. applicants.Select(a => (Guid?)a)];
    }

    /// <summary>The offering the record is about and the values every template names.</summary>
    private static async Task<(GrantOffering? Offering, Dictionary<string, string> Values)> OfferingAsync(NotificationRuleContext context, CancellationToken ct)
    {
        var id = context.Id("offeringId");
        var offering = id is null ? null : await context.Db.Set<GrantOffering>().AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["projectCode"] = context.Value("projectCode") ?? "-",
            ["title"] = offering?.Title ?? "-",
            ["biddingOpens"] = offering is null ? "-" : GrantSchedule.Local(offering.BiddingOpens),
        };
        return (offering, values);
    }

    /// <summary>The grantor and every applicant whose eligibility was confirmed: they took part in the sale.</summary>
    private static async Task<Guid?[]> OutcomeRecipientsAsync(NotificationRuleContext context, GrantOffering? offering, CancellationToken ct)
    {
        if (offering is null)
        {
            return [];
        }

        var bidders = await context.Db.Set<GrantApplication>().AsNoTracking()
            .Where(a => a.OfferingId == offering.Id && a.State == GrantApplicationState.Approved).Select(a => a.EntityId).ToListAsync(ct);
        return [offering.OwnerEntityId, .. bidders.Select(b => (Guid?)b)];
    }

    private static async Task<int?> BidderNumberAsync(NotificationRuleContext context, GrantOffering? offering, Guid? applicationId, Guid? entityId, CancellationToken ct)
    {
        var stored = applicationId is null ? null
            : await context.Db.Set<GrantApplication>().AsNoTracking().Where(a => a.Id == applicationId).Select(a => a.BidderNumber).FirstOrDefaultAsync(ct);
        if (stored is not null || offering?.LotId is not { } lot || entityId is not { } entity || context.Services.GetService<BidLogStore>() is not { } lots)
        {
            return stored;
        }

        // Admitted but the application row not updated yet: the engine's own table has it.
        return (await lots.BiddersAsync(lot, ct)).FirstOrDefault(b => b.EntityId == entity)?.Number;
    }

    private static async ValueTask<IReadOnlyList<NotificationRequest>> ToMembersAsync(
        NotificationRuleContext context, IEnumerable<Guid?> entities, string template, Dictionary<string, string> values, GrantOffering? offering, CancellationToken ct)
    {
        var link = offering is null ? "/notifications" : $"/grants/{offering.Id}";
        return [.. (await context.MembersExceptActorAsync(entities, ct)).Select(u => new NotificationRequest(u, template, values, link))];
    }

    /// <summary>A property of the record's <c>details</c> (GrantService.Record nests the action's own data there).</summary>
    private static string? Detail(NotificationRuleContext context, string name) =>
        context.Data.ValueKind == JsonValueKind.Object && context.Data.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
        && details.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static Guid? DetailId(NotificationRuleContext context, string name) => Guid.TryParse(Detail(context, name), out var id) ? id : null;
}
