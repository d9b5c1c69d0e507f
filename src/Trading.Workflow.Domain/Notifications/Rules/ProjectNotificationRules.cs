using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Projects;

namespace Trading.Workflow.Domain.Notifications.Rules;

/// <summary>
/// Projects and their notices: staff of the project's centre when a project is submitted or a notice waits for their
/// review; the owner's and agency's users when their project was submitted by a colleague, or their notice was published
/// or returned (with the reviewer's reason; the drafter too, whoever it acts for).
/// </summary>
public static class ProjectNotificationRules
{
    public const string ProjectSubmitted = "projects.project.submitted";
    public const string NoticeSubmitted = "notices.notice.submitted";
    public const string NoticePublished = "notices.notice.published";
    public const string NoticeReturned = "notices.notice.returned";

    /// <summary>The template for the owner's side when a project is submitted (staff get <see cref="ProjectSubmitted"/>).</summary>
    public const string ProjectSubmittedToOwner = "projects.project.submitted.owner";

    public static readonly NotificationTemplate ProjectSubmittedTemplate = new(
        ProjectSubmitted,
        "项目已提交：{code}",
        "项目 {code}“{name}”已提交，交易程序已启动，请在待办中办理。",
        "Project submitted: {code}",
        "Project {code} \"{name}\" was submitted and its procedure started. Its tasks are in your inbox.");

    public static readonly NotificationTemplate ProjectSubmittedToOwnerTemplate = new(
        ProjectSubmittedToOwner,
        "贵单位的项目已提交：{code}",
        "项目 {code}“{name}”已由 {actor} 提交，交易中心将按程序办理。",
        "Your project was submitted: {code}",
        "Project {code} \"{name}\" was submitted by {actor}; the trading centre takes it on from here.");

    public static readonly NotificationTemplate NoticeSubmittedTemplate = new(
        NoticeSubmitted,
        "公告待审核：{title}",
        "项目 {project} 的公告“{title}”已提交审核，请在待办中办理。",
        "Notice to review: {title}",
        "The notice \"{title}\" of project {project} was submitted for review. It is in your inbox.");

    public static readonly NotificationTemplate NoticePublishedTemplate = new(
        NoticePublished,
        "公告已发布：{title}",
        "项目 {project} 的公告“{title}”已审核通过并在交易信息公开门户发布。",
        "Notice published: {title}",
        "The notice \"{title}\" of project {project} was approved and published on the public portal.",
        [NotificationChannels.Email]);

    public static readonly NotificationTemplate NoticeReturnedTemplate = new(
        NoticeReturned,
        "公告被退回：{title}",
        "项目 {project} 的公告“{title}”被退回，原因：{reason}。请修改后重新提交。",
        "Notice returned: {title}",
        "The notice \"{title}\" of project {project} was returned: {reason}. Please revise and submit it again.",
        [NotificationChannels.Email]);

    internal static IServiceCollection AddProjectNotificationRules(this IServiceCollection services)
    {
        services.AddNotificationTemplate(ProjectSubmittedTemplate);
        services.AddNotificationTemplate(ProjectSubmittedToOwnerTemplate);
        services.AddNotificationTemplate(NoticeSubmittedTemplate);
        services.AddNotificationTemplate(NoticePublishedTemplate);
        services.AddNotificationTemplate(NoticeReturnedTemplate);

        services.AddNotificationRule(ProjectSubmitted, async (context, ct) =>
        {
            if (context.Id("projectId") is not { } projectId
                || await context.Db.Set<Project>().AsNoTracking().Where(p => p.Id == projectId)
                    .Select(p => new { p.Name, p.Code, p.OwnerEntityId, p.AgencyEntityId }).FirstOrDefaultAsync(ct) is not { } project)
            {
                return [];
            }

            var values = new Dictionary<string, string> { ["code"] = project.Code, ["name"] = project.Name, ["actor"] = context.Entry.Actor };
            var link = $"/projects/{projectId}";
            var staff = await MarketNotificationRules.ToRoleAsync(context, PlatformRoles.Staff, ProjectSubmitted, values, link, ct);
            var owners = await OwnerSideAsync(context, project.OwnerEntityId, project.AgencyEntityId, ct);
            return [.. staff, .. owners.Select(u => new NotificationRequest(u, ProjectSubmittedToOwner, values, link))];
        });

        services.AddNotificationRule(NoticeSubmitted, (context, ct) =>
            MarketNotificationRules.ToRoleAsync(context, PlatformRoles.Staff, NoticeSubmitted, NoticeValues(context, null), "/inbox", ct));

        services.AddNotificationRule(NoticePublished, async (context, ct) =>
        {
            var notice = await NoticeAsync(context, ct);
            if (notice is null)
            {
                return [];
            }

            var users = await OwnerSideAsync(context, notice.Project?.OwnerEntityId, notice.Project?.AgencyEntityId, ct);
            return users.Append(notice.DraftedBy).Where(u => u != context.Entry.Actor).Distinct(StringComparer.Ordinal)
                .Select(u => new NotificationRequest(u, NoticePublished, NoticeValues(context, null), $"/portal/notices/{notice.Id}"))
                .ToList();
        });

        services.AddNotificationRule(NoticeReturned, async (context, ct) =>
        {
            var notice = await NoticeAsync(context, ct);
            if (notice is null)
            {
                return [];
            }

            var users = await OwnerSideAsync(context, notice.Project?.OwnerEntityId, notice.Project?.AgencyEntityId, ct);
            var values = NoticeValues(context, notice.ReturnReason);
            return users.Append(notice.DraftedBy).Where(u => u != context.Entry.Actor).Distinct(StringComparer.Ordinal)
                .Select(u => new NotificationRequest(u, NoticeReturned, values, "/notices"))
                .ToList();
        });
        return services;
    }

    private sealed record NoticeFacts(Guid Id, string DraftedBy, string? ReturnReason, OwnerSide? Project);

    private sealed record OwnerSide(Guid OwnerEntityId, Guid? AgencyEntityId);

    private static async Task<NoticeFacts?> NoticeAsync(NotificationRuleContext context, CancellationToken cancellationToken)
    {
        if (context.Id("noticeId") is not { } noticeId
            || await context.Db.Set<Notice>().AsNoTracking().Where(n => n.Id == noticeId)
                .Select(n => new { n.Id, n.DraftedBy, n.ReturnReason, n.ProjectId }).FirstOrDefaultAsync(cancellationToken) is not { } notice)
        {
            return null;
        }

        var project = await context.Db.Set<Project>().AsNoTracking().Where(p => p.Id == notice.ProjectId)
            .Select(p => new OwnerSide(p.OwnerEntityId, p.AgencyEntityId)).FirstOrDefaultAsync(cancellationToken);
        return new NoticeFacts(notice.Id, notice.DraftedBy, notice.ReturnReason, project);
    }

    /// <summary>The users acting for the owner and the agency, except the actor.</summary>
    private static Task<IReadOnlyList<string>> OwnerSideAsync(
        NotificationRuleContext context, Guid? ownerEntityId, Guid? agencyEntityId, CancellationToken cancellationToken) =>
        context.MembersExceptActorAsync([ownerEntityId, agencyEntityId], cancellationToken);

    private static Dictionary<string, string> NoticeValues(NotificationRuleContext context, string? reason) => new(StringComparer.Ordinal)
    {
        ["title"] = context.Value("title") ?? string.Empty,
        ["project"] = context.Value("projectCode") ?? string.Empty,
        ["reason"] = reason ?? "-",
    };
}
