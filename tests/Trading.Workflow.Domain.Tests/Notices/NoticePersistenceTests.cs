using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.Notices;

/// <summary>
/// Notices on real databases: drafted, submitted through the shipped review procedure (workflows/kernel/notice-review.bpmn)
/// on the real engine, approved or returned, published, immutable in the database itself, and found by the portal's
/// Chinese search.
/// </summary>
public sealed class NoticePersistenceTests
{
    private static readonly Guid Centre = Guid.NewGuid();
    private static readonly NoticeProject Road = NoticeProject.Create(
        Guid.NewGuid(), "GC-440100-2026-0007", Centre, TradeTypes.EngineeringConstruction, "440100", "城市道路改造工程");

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Approved_notice_is_published_with_its_trail_and_found_by_a_two_character_word(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var notices = host.Services.GetRequiredService<NoticeService>();
        var portal = host.Services.GetRequiredService<NoticePortal>();

        var draft = await notices.DraftAsync("tenderee", Road, new NoticeDraft(NoticeKind.Tender, "城市道路改造工程施工招标公告",
            "<p>本项目已具备招标条件，现公开招标。</p><script>steal()</script>", [Attachment]));
        await notices.SubmitAsync("tenderee", draft.Id);
        Assert.Equal(NoticeState.UnderReview, (await notices.GetAsync(draft.Id))!.State);
        Assert.Equal(0, (await portal.SearchAsync(new PortalQuery("道路", new NoticeFilter()))).Total);

        await ReviewAsync(host, draft.Id, approve: true, reviewer: "staff");

        var published = (await notices.GetAsync(draft.Id))!;
        Assert.Equal((NoticeState.Published, "staff"), (published.State, published.ReviewedBy));
        Assert.DoesNotContain("script", published.BodyHtml, StringComparison.OrdinalIgnoreCase);
        var found = await portal.SearchAsync(new PortalQuery("道路", new NoticeFilter()));
        Assert.Equal(draft.Id, Assert.Single(found.Items).Id);
        Assert.Equal(1, found.Total);
        Assert.Equal(1, (await portal.SearchAsync(new PortalQuery("招标", new NoticeFilter(TradeType: TradeTypes.EngineeringConstruction)))).Total);
        Assert.Equal(0, (await portal.SearchAsync(new PortalQuery("道桥", new NoticeFilter()))).Total);
        Assert.Equal(0, (await portal.SearchAsync(new PortalQuery("道路", new NoticeFilter(TradeType: TradeTypes.LandRights)))).Total);
        Assert.Equal(draft.Id, Assert.Single((await portal.ProjectAsync(Road.ProjectCode))).Id);
        Assert.Equal(Attachment, Assert.Single((await portal.GetAsync(draft.Id))!.Notice.Attachments));

        await using var read = host.Database.Create();
        var trail = await read.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(["notices.notice.drafted", "notices.notice.submitted", "notices.notice.published"], trail.Select(e => e.Action));
        Assert.Equal(["tenderee", "tenderee", "staff"], trail.Select(e => e.Actor));
        Assert.All(trail, e => Assert.Contains(Road.ProjectId.ToString(), e.Data, StringComparison.OrdinalIgnoreCase));
        Assert.True(AuditChain.Verify(trail).IsIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Published_notice_cannot_be_changed_or_deleted_even_by_sql(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var id = await PublishAsync(host, "城市道路改造工程施工招标公告");

        await using (var db = host.Database.Create())
        {
            var update = await Record.ExceptionAsync(() => db.Database.ExecuteSqlAsync($"UPDATE tr_notices SET title = 'changed' WHERE id = {id}"));
            Assert.Contains("immutable", update?.Message ?? "(no error)", StringComparison.Ordinal);
            var delete = await Record.ExceptionAsync(() => db.Database.ExecuteSqlAsync($"DELETE FROM tr_notices WHERE id = {id}"));
            Assert.Contains("immutable", delete?.Message ?? "(no error)", StringComparison.Ordinal);
        }

        await using (var db = host.Database.Create())
        {
            // Through the model: the domain refuses before any SQL is sent.
            var notice = await db.Set<Notice>().SingleAsync(n => n.Id == id);
            Assert.Equal(NoticeRules.Immutable, Assert.Throws<DomainRuleException>(() => notice.Edit("changed", "<p>x</p>", [], "tenderee")).RuleCode);
        }

        Assert.Equal("城市道路改造工程施工招标公告", (await host.Services.GetRequiredService<NoticePortal>().GetAsync(id))!.Notice.Title);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Returned_notice_is_revised_resubmitted_and_a_correction_links_the_published_one(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var notices = host.Services.GetRequiredService<NoticeService>();
        var draft = await notices.DraftAsync("tenderee", Road, new NoticeDraft(NoticeKind.Tender, "城市道路改造工程施工招标公告", "<p>投标截止时间为开标当日。</p>", []));
        await notices.SubmitAsync("tenderee", draft.Id);

        await ReviewAsync(host, draft.Id, approve: false, reviewer: "staff", reason: "投标截止时间不足20日");
        var returned = (await notices.GetAsync(draft.Id))!;
        Assert.Equal((NoticeState.Returned, "投标截止时间不足20日"), (returned.State, returned.ReturnReason));
        Assert.Equal(DomainRuleExceptionCode(NoticeRules.Changed), await CodeOf(() => notices.EditAsync("tenderee", draft.Id, returned.Version - 1, Draft("<p>x</p>"))));

        await notices.EditAsync("tenderee", draft.Id, returned.Version, Draft("<p>投标截止时间为文件发出之日起第21日。</p>"));
        await notices.SubmitAsync("tenderee", draft.Id);
        await ReviewAsync(host, draft.Id, approve: true, reviewer: "staff");

        var correction = await notices.DraftAsync("tenderee", Road, new NoticeDraft(NoticeKind.Correction, "城市道路改造工程更正公告", "<p>开标地点更正为第二开标室。</p>", []), corrects: draft.Id);
        await notices.SubmitAsync("tenderee", correction.Id);
        await ReviewAsync(host, correction.Id, approve: true, reviewer: "staff2");

        var portal = host.Services.GetRequiredService<NoticePortal>();
        var original = (await portal.GetAsync(draft.Id))!;
        Assert.Equal(correction.Id, Assert.Single(original.CorrectedBy).Id);
        Assert.Equal(draft.Id, (await portal.GetAsync(correction.Id))!.Corrects!.Id);
        Assert.Equal([draft.Id, correction.Id], (await portal.ProjectAsync(Road.ProjectCode)).Select(n => n.Id));
        Assert.Contains("第21日", original.Notice.BodyHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task The_drafter_cannot_approve_and_the_task_stays_open(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var notices = host.Services.GetRequiredService<NoticeService>();
        var draft = await notices.DraftAsync("tenderee", Road, Draft("<p>正文</p>"));
        await notices.SubmitAsync("tenderee", draft.Id);

        await Assert.ThrowsAnyAsync<Exception>(() => ReviewAsync(host, draft.Id, approve: true, reviewer: "tenderee"));

        Assert.Equal(NoticeState.UnderReview, (await notices.GetAsync(draft.Id))!.State);
        Assert.NotNull(await OpenReviewTaskAsync(host, draft.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Portal_filters_pages_and_ranks_title_matches_first(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var otherCentre = Guid.NewGuid();
        var start = new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);
        await using (var db = host.Database.Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < 25; i++)
            {
                var project = NoticeProject.Create(Guid.NewGuid(), $"ZC-2026-{i:0000}", i % 5 == 0 ? otherCentre : Centre,
                    i % 2 == 0 ? TradeTypes.GovernmentProcurement : TradeTypes.EngineeringConstruction, i % 3 == 0 ? "440103" : "440100", $"项目{i}");
                var title = i == 7 ? "城市道路照明采购公告" : $"办公设备采购公告{i}";
                var body = i == 3 ? "<p>采购内容含道路清扫车。</p>" : "<p>采购办公桌椅。</p>";
                var notice = Notice.Draft(project, NoticeKind.Tender, title, body, [], "tenderee", start);
                notice.SubmitForReview("tenderee", start);
                notice.Publish("staff", start.AddDays(i));
                db.Add(notice);
                await db.SaveChangesAsync();
                await NoticeSearchIndex.AddAsync(db, notice);
            }

            await tx.CommitAsync();
        }

        var portal = host.Services.GetRequiredService<NoticePortal>();
        var all = await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(), Page: 2, PageSize: 10));
        Assert.Equal((25, 10), (all.Total, all.Items.Count));
        Assert.Equal(start.AddDays(14), all.Items[0].PublishedAt);
        Assert.Equal(5, (await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(CentreId: otherCentre)))).Total);
        Assert.Equal(9, (await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(RegionCode: "440103")))).Total);
        Assert.Equal(13, (await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(TradeType: TradeTypes.GovernmentProcurement)))).Total);
        var november = NoticePortal.Dates(new NoticeFilter(), new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 5));
        Assert.Equal(3, (await portal.SearchAsync(new PortalQuery(null, november))).Total);

        var road = await portal.SearchAsync(new PortalQuery("道路", new NoticeFilter()));
        Assert.Equal(2, road.Total);
        Assert.Equal("城市道路照明采购公告", road.Items[0].Title);
        Assert.Equal(25, (await portal.SearchAsync(new PortalQuery("采购", new NoticeFilter(), PageSize: 100))).Items.Count);
        Assert.Equal(0, (await portal.SearchAsync(new PortalQuery("\"'（）", new NoticeFilter()))).Total);
    }

    private static readonly NoticeAttachment Attachment = NoticeAttachment.Create(new string('b', 64), "招标文件.pdf", 2048);

    private static NoticeDraft Draft(string body) => new(NoticeKind.Tender, "城市道路改造工程施工招标公告", body, []);

    private static string DomainRuleExceptionCode(string code) => code;

    private static async Task<string?> CodeOf(Func<Task> action) => (await Record.ExceptionAsync(action) as DomainRuleException)?.RuleCode;

    private static async Task<Guid> PublishAsync(TradingDatabaseHost host, string title)
    {
        var notices = host.Services.GetRequiredService<NoticeService>();
        var draft = await notices.DraftAsync("tenderee", Road, new NoticeDraft(NoticeKind.Tender, title, "<p>正文</p>", []));
        await notices.SubmitAsync("tenderee", draft.Id);
        await ReviewAsync(host, draft.Id, approve: true, reviewer: "staff");
        return draft.Id;
    }

    private static async Task<UserTaskInfo?> OpenReviewTaskAsync(TradingDatabaseHost host, Guid noticeId)
    {
        var engine = host.Services.GetRequiredService<IWorkflowEngine>();
        var tasks = await engine.GetOpenTasksForUserAsync("any-staff", ["Staff"]);
        return tasks.SingleOrDefault(t => t.BusinessKey == noticeId.ToString());
    }

    /// <summary>What the review screen does once it has checked the reviewer: completes the task with the decision.</summary>
    private static async Task ReviewAsync(TradingDatabaseHost host, Guid noticeId, bool approve, string reviewer, string? reason = null)
    {
        var task = await OpenReviewTaskAsync(host, noticeId) ?? throw new InvalidOperationException("no review task");
        await host.Services.GetRequiredService<IWorkflowEngine>().CompleteTaskAsync(task.Id, new Dictionary<string, object?>
        {
            [NoticeReviewVariables.Approved] = approve,
            [NoticeReviewVariables.ReturnReason] = reason,
            [NoticeReviewVariables.Reviewer] = reviewer,
        }, reviewer);
    }

    private static async Task<TradingDatabaseHost> StartAsync(DatabaseProvider provider)
    {
        var files = Path.Combine(Path.GetTempPath(), "tw-notice-files-" + Guid.NewGuid().ToString("N"));
        var host = await TradingDatabaseHost.StartAsync(provider, services =>
        {
            services.AddWorkingDayCalendar();
            services.AddSingleton<IFileStore>(new DataFolderFileStore(files));
        });
        var engine = host.Services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(ReviewProcedurePath()), "test");
        return host;
    }

    internal static string ReviewProcedurePath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "workflows", "kernel", "notice-review.bpmn");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("workflows/kernel/notice-review.bpmn not found above " + AppContext.BaseDirectory);
    }
}
