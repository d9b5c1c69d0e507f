using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Domain.Notifications.Rules;

/// <summary>
/// Who hears of a market entity's verification: its users when staff approve or return it, the verifying staff when
/// it is submitted, and its users when someone joins. Recipients come from <see cref="IEntityMembership"/> (none
/// when the market part is not registered).
/// </summary>
public static class MarketNotificationRules
{
    public const string Approved = "market.entity.approved";
    public const string Returned = "market.entity.returned";
    public const string Registered = "market.entity.registered";
    public const string Submitted = "market.entity.submitted";
    public const string MemberJoined = "market.member.joined";

    public static readonly NotificationTemplate ApprovedTemplate = new(
        Approved,
        "市场主体已通过核验：{name}",
        "“{name}”的注册信息已通过交易中心核验，可以参与交易。",
        "Market entity verified: {name}",
        "The registration of \"{name}\" was verified by the trading centre; it may now take part in trades.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate ReturnedTemplate = new(
        Returned,
        "市场主体注册信息被退回",
        "交易中心退回了贵单位的注册信息，原因：{reason}。请修改后重新提交。",
        "Market entity registration returned",
        "The trading centre returned your entity's registration. Reason: {reason}. Please correct it and submit it again.",
        [NotificationChannels.Email, NotificationChannels.Sms]);

    public static readonly NotificationTemplate SubmittedTemplate = new(
        Submitted,
        "市场主体待核验：{name}",
        "“{name}”提交了注册信息（或变更），请在市场主体核验中处理。",
        "Market entity to verify: {name}",
        "\"{name}\" submitted its registration (or a change). Please verify it in the market entity verification queue.");

    public static readonly NotificationTemplate MemberJoinedTemplate = new(
        MemberJoined,
        "新成员已加入贵单位",
        "用户 {user} 接受邀请，已加入贵单位的市场主体账户。",
        "A new member joined your entity",
        "The user {user} accepted the invitation and now acts for your entity.");

    internal static IServiceCollection AddMarketNotificationRules(this IServiceCollection services)
    {
        services.AddNotificationTemplate(ApprovedTemplate);
        services.AddNotificationTemplate(ReturnedTemplate);
        services.AddNotificationTemplate(SubmittedTemplate);
        services.AddNotificationTemplate(MemberJoinedTemplate);

        services.AddNotificationRule(Approved, (context, ct) =>
            ToMembersAsync(context, Approved, new() { ["name"] = context.Value("name") ?? string.Empty }, null, ct));
        services.AddNotificationRule(Returned, (context, ct) =>
            ToMembersAsync(context, Returned, new() { ["reason"] = context.Value("reason") ?? string.Empty }, null, ct));
        services.AddNotificationRule(MemberJoined, async (context, ct) =>
        {
            var joined = context.Value("userId");
            var who = joined is null ? null : await context.Services.GetRequiredService<INotificationRecipientDirectory>().FindAsync(joined, ct);
            return await ToMembersAsync(context, MemberJoined, new() { ["user"] = who?.DisplayName ?? who?.UserId ?? "?" }, joined, ct);
        });
        // A new registration and a submitted change both wait in the staff's verification queue.
        services.AddNotificationRule(Registered, ToStaffAsync);
        services.AddNotificationRule(Submitted, ToStaffAsync);
        return services;
    }

    /// <summary>The users holding <paramref name="role"/> (of the record's centre, when it names one), except the actor.</summary>
    internal static async ValueTask<IReadOnlyList<NotificationRequest>> ToRoleAsync(
        NotificationRuleContext context, string role, string template, Dictionary<string, string> values, string link, CancellationToken cancellationToken)
    {
        var users = await context.Services.GetRequiredService<INotificationRecipientDirectory>().UsersInRoleAsync(role, context.Entry.CentreId, cancellationToken);
        return users.Where(u => u != context.Entry.Actor).Select(u => new NotificationRequest(u, template, values, link)).ToList();
    }

    /// <summary>The staff who verify entities (of the record's centre, when it names one).</summary>
    private static async ValueTask<IReadOnlyList<NotificationRequest>> ToStaffAsync(NotificationRuleContext context, CancellationToken cancellationToken)
    {
        var staff = await context.Services.GetRequiredService<INotificationRecipientDirectory>()
            .UsersInRoleAsync(PlatformRoles.Staff, context.Entry.CentreId, cancellationToken);
        var values = new Dictionary<string, string> { ["name"] = context.Value("name") ?? string.Empty };
        var link = context.Id("entityId") is { } id ? $"/market/entities/{id}" : "/market/verification";
        return staff.Where(u => u != context.Entry.Actor).Select(u => new NotificationRequest(u, Submitted, values, link)).ToList();
    }

    /// <summary>Every user acting for the record's entity, except <paramref name="except"/> and the actor.</summary>
    internal static async ValueTask<IReadOnlyList<NotificationRequest>> ToMembersAsync(
        NotificationRuleContext context, string template, Dictionary<string, string> values, string? except, CancellationToken cancellationToken,
        string link = "/market/my")
    {
        if (context.Id("entityId") is not { } entityId || context.Services.GetService<IEntityMembership>() is not { } membership)
        {
            return [];
        }

        var members = await membership.MembersOfAsync(entityId, cancellationToken);
        return members
            .Where(m => m != except && m != context.Entry.Actor)
            .Select(m => new NotificationRequest(m, template, values, link))
            .ToList();
    }
}
