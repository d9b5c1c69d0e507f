using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Notifications.Rules;

/// <summary>
/// Deposits (保证金): the bidder's users when its payment arrives or its refund is paid; the centre's staff when a refund
/// owed by a date is overdue; the supervisors of the centre
/// when a payment is flagged (paid from an account that is not the bidder's basic account); the supervisors when a
/// stored document no longer matches its hash.
/// </summary>
public static class DepositNotificationRules
{
    public const string PaymentReceived = "deposits.payment.received";
    public const string PaymentFlagged = "deposits.payment.flagged";
    public const string RefundPaid = "deposits.refund.paid";
    public const string RefundOverdue = "deposits.refund.overdue";
    public const string DocumentDamaged = "documents.document.damaged";
    public const string Forfeited = "deposits.deposit.forfeited";

    public static readonly NotificationTemplate ForfeitedTemplate = new(
        Forfeited,
        "保证金不予退还",
        "贵单位的投标保证金 {amount} 元经交易中心决定不予退还，理由：{reason}。详情见“我的保证金”。",
        "Deposit forfeited",
        "The trading centre decided not to refund your bid deposit of {amount} yuan. Reason: {reason}. See My deposits for details.",
        [NotificationChannels.Sms]);

    public static readonly NotificationTemplate PaymentReceivedTemplate = new(
        PaymentReceived,
        "保证金已到账",
        "贵单位的保证金已到账：金额 {amount} 元，银行流水号 {bankTransactionId}。",
        "Deposit received",
        "Your deposit has arrived: {amount} yuan, bank transaction {bankTransactionId}.",
        [NotificationChannels.Sms]);

    public static readonly NotificationTemplate PaymentFlaggedTemplate = new(
        PaymentFlagged,
        "保证金来款异常，待核查",
        "一笔保证金（金额 {amount} 元，银行流水号 {bankTransactionId}）来自非投标人基本账户 {payerAccount}，请核查。",
        "Deposit payment flagged for review",
        "A deposit payment ({amount} yuan, bank transaction {bankTransactionId}) came from {payerAccount}, which is not the bidder's basic account. Please review it.");

    public static readonly NotificationTemplate RefundPaidTemplate = new(
        RefundPaid,
        "保证金已退还",
        "贵单位的保证金已退还：本金 {principal} 元，利息 {interest} 元（银行回单 {bankReference}）。",
        "Deposit refunded",
        "Your deposit was refunded: principal {principal} yuan, interest {interest} yuan (bank reference {bankReference}).",
        [NotificationChannels.Sms]);

    public static readonly NotificationTemplate RefundOverdueTemplate = new(
        RefundOverdue,
        "保证金退还已逾期",
        "项目 {projectCode} 标段 {sectionCode} 一笔应于 {dueAt} 前退还的保证金（{basisZh}）仍未退出：{lastError}。平台每分钟重试，请核查投标人基本账户或银行。",
        "Deposit refund overdue",
        "A deposit refund of project {projectCode}, section {sectionCode}, due by {dueAt} ({basisEn}) has not gone out: {lastError}. The platform retries every minute; check the bidder's basic account or the bank.",
        [NotificationChannels.Email]);

    public static readonly NotificationTemplate DocumentDamagedTemplate = new(
        DocumentDamaged,
        "文件完整性校验失败",
        "存储的文件与其登记的 SHA-256 摘要不符，已拒绝提供下载，请核查（文件 {documentId}）。",
        "Document failed its integrity check",
        "A stored file no longer matches its recorded SHA-256 digest; it is refused to downloaders. Please investigate (document {documentId}).",
        [NotificationChannels.Email]);

    internal static IServiceCollection AddDepositNotificationRules(this IServiceCollection services)
    {
        services.AddNotificationTemplate(PaymentReceivedTemplate);
        services.AddNotificationTemplate(PaymentFlaggedTemplate);
        services.AddNotificationTemplate(RefundPaidTemplate);
        services.AddNotificationTemplate(DocumentDamagedTemplate);
        services.AddNotificationTemplate(RefundOverdueTemplate);
        services.AddNotificationTemplate(ForfeitedTemplate);

        services.AddNotificationRule(PaymentReceived, (context, ct) =>
            MarketNotificationRules.ToMembersAsync(context, PaymentReceived, Values(context, "amount", "bankTransactionId"), null, ct, "/deposits"));
        services.AddNotificationRule(RefundPaid, (context, ct) =>
            MarketNotificationRules.ToMembersAsync(context, RefundPaid, Values(context, "principal", "interest", "bankReference"), null, ct, "/deposits"));
        services.AddNotificationRule(PaymentFlagged, (context, ct) =>
            MarketNotificationRules.ToRoleAsync(context, PlatformRoles.Supervisor, PaymentFlagged,
                Values(context, "amount", "bankTransactionId", "payerAccount"), "/supervision/deposits", ct));
        // A late refund (条例 66) alerts the centre's staff, who act on it, and its supervisors, who watch it.
        services.AddNotificationRule(RefundOverdue, async (context, ct) =>
        {
            var values = Values(context, "dueAt", "lastError", "basisZh", "basisEn", "projectCode", "sectionCode");
            var staff = await MarketNotificationRules.ToRoleAsync(context, PlatformRoles.Staff, RefundOverdue, values,
                context.Value("sectionId") is { } section ? $"/deposits/sections/{section}" : "/deposits/sections", ct);
            var supervisors = await MarketNotificationRules.ToRoleAsync(context, PlatformRoles.Supervisor, RefundOverdue, values, "/deposits/late", ct);
            return [.. staff, .. supervisors.Where(s => staff.All(t => t.UserId != s.UserId))];
        });
        services.AddNotificationRule(Forfeited, (context, ct) =>
            MarketNotificationRules.ToMembersAsync(context, Forfeited, Values(context, "amount", "reason"), null, ct, "/deposits"));
        services.AddNotificationRule(DocumentDamaged, (context, ct) =>
            MarketNotificationRules.ToRoleAsync(context, PlatformRoles.Supervisor, DocumentDamaged, Values(context, "documentId"), "/notifications", ct));
        return services;
    }

    // Amounts and moments as people read them (the trail holds 160000.0 and ISO times).
    private static readonly HashSet<string> Amounts = new(["amount", "principal", "interest"], StringComparer.Ordinal);
    private static readonly HashSet<string> Moments = new(["dueAt"], StringComparer.Ordinal);

    private static Dictionary<string, string> Values(NotificationRuleContext context, params string[] names) =>
        names.ToDictionary(n => n, n => (Amounts.Contains(n) ? context.Money(n) : Moments.Contains(n) ? context.Time(n) : context.Value(n)) ?? "-", StringComparer.Ordinal);
}
