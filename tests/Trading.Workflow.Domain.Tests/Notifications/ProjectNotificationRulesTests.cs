using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Notifications;

/// <summary>
/// Project and notice actions notify from their trail records: the centre's staff of a submitted project or a notice to
/// review, the owner's and agency's users (not the actor) and the drafter of a published or returned notice.
/// </summary>
public sealed class ProjectNotificationRulesTests
{
    private static readonly Guid Centre = Guid.NewGuid();
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Agency = Guid.NewGuid();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ProjectAndNoticeActions_NotifyStaffAndTheOwnerSide(DatabaseProvider provider)
    {
        await using var host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.Replace(ServiceDescriptor.Singleton<INotificationRecipientDirectory>(new StaffDirectory()));
            services.Replace(ServiceDescriptor.Singleton<IEntityMembership>(new Members()));
        });
        var now = DateTimeOffset.UtcNow;
        var project = Project.Register("530100-GC-2026-00001", Centre, TradeTypes.EngineeringConstruction,
            new ProjectDetails("open-tender", "城市道路改造工程", new PartyRef(Owner, "业主"), new PartyRef(Agency, "代理"), new string('a', 64), false, "530100", "市政"),
            [new SectionDraft("一标段", 1_000_000m)], "owner-user", now);
        var noticeProject = NoticeProject.Create(project.Id, project.Code, Centre, project.TradeType, "530100", project.Name);
        var published = Notice.Draft(noticeProject, NoticeKind.Tender, "招标公告", "<p>正文</p>", [], "agency-user", now);
        published.SubmitForReview("agency-user", now);
        published.Publish("staff1", now);
        var returned = Notice.Draft(noticeProject, NoticeKind.Clarification, "澄清公告", "<p>正文</p>", [], "owner-user", now);
        returned.SubmitForReview("owner-user", now);
        returned.Return("staff1", "附件缺少盖章页");

        await using (var db = host.Database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.AddRange(project, published, returned);
            await db.SaveChangesAsync();
            var trail = host.Services.GetRequiredService<IAuditTrail>();
            await trail.AppendAsync(db, new AuditRecord("owner-user", Centre, "project", project.Id.ToString(), "projects.project.submitted",
                new { projectId = project.Id, project.Code }));
            await trail.AppendAsync(db, Record("agency-user", published, "notices.notice.submitted"));
            await trail.AppendAsync(db, Record("staff1", published, "notices.notice.published"));
            await trail.AppendAsync(db, Record("staff1", returned, "notices.notice.returned"));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();

        await using var read = host.Database.Create();
        var notifications = await read.Set<Notification>().AsNoTracking().OrderBy(n => n.SourceKey).ThenBy(n => n.UserId).ToListAsync();
        Assert.Equal(
        [
            "trail:1/agency-user", "trail:1/owner-colleague", "trail:1/staff1", // submitted project: staff, the owner side but the actor
            "trail:2/staff1",                                                  // notice to review: staff
            "trail:3/agency-user", "trail:3/owner-colleague", "trail:3/owner-user", // published: the owner side and the drafter, not the reviewer
            "trail:4/agency-user", "trail:4/owner-colleague", "trail:4/owner-user",
        ], notifications.Select(n => $"{n.SourceKey}/{n.UserId}"));
        Assert.Equal("项目已提交：530100-GC-2026-00001", notifications.Single(n => n.SourceKey == "trail:1" && n.UserId == "staff1").Title);
        Assert.Equal("贵单位的项目已提交：530100-GC-2026-00001", notifications.Single(n => n.SourceKey == "trail:1" && n.UserId == "agency-user").Title);
        Assert.Equal($"/portal/notices/{published.Id}", notifications.First(n => n.SourceKey == "trail:3").Link);
        Assert.Contains("附件缺少盖章页", notifications.First(n => n.SourceKey == "trail:4").Body, StringComparison.Ordinal);
    }

    private static AuditRecord Record(string actor, Notice notice, string action) => new(actor, notice.CentreId, "notice", notice.Id.ToString(), action,
        new { noticeId = notice.Id, projectId = notice.ProjectId, projectCode = notice.ProjectCode, title = notice.Title });

    private sealed class StaffDirectory : INotificationRecipientDirectory
    {
        public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null));

        public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<string>>(role == PlatformRoles.Staff && centreId == Centre ? ["staff1"] : []);
    }

    private sealed class Members : IEntityMembership
    {
        public Task<IReadOnlyList<EntityMembershipInfo>> EntitiesOfAsync(string userId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<EntityMembershipInfo>>([]);

        public Task<bool> IsMemberAsync(Guid entityId, string userId, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<bool> IsAdministratorAsync(Guid entityId, string userId, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<IReadOnlyList<string>> MembersOfAsync(Guid entityId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>(entityId == Owner ? ["owner-user", "owner-colleague"] : entityId == Agency ? ["agency-user"] : []);
    }
}
