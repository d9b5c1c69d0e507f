using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// Prequalification (资格预审, 条例 15–19) through the shipped procedure: applications until the deadline, the review's
/// finding on each applicant (a reason when not qualified), and the close: fewer than 3 qualified → re-tender,
/// otherwise the tender documents go on sale to the qualified only.
/// </summary>
public sealed class TenderPrequalificationTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    // Prequalification documents on sale 4–9 Nov, applications due 16 Nov (≥5 日 after the sale, 条例 17); the tender
    // documents on sale from 18 Nov, bids due 8 Dec (the 20th 日, 法 24).
    private static TenderSchedule Schedule(Guid document) =>
        new([document], null, At(11, 18), At(11, 23, 17), At(12, 8, 9, 30), true, At(11, 4), At(11, 9, 17), At(11, 16));

    private static async Task<Guid> ApplicationFileAsync(TenderHost host, Guid projectId, int bidder)
    {
        var documents = host.Services.GetRequiredService<DocumentService>();
        var bytes = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n资格预审申请文件 " + bidder + "\n%%EOF\n");
        var document = await documents.UploadAsync(new MemoryStream(bytes), "资格预审申请文件.pdf", new DocumentScope(null, projectId),
            new DocumentActor("bidder" + bidder, [PlatformRoles.Bidder], null));
        return document.Id;
    }

    /// <summary>The three demo bidders apply, each with its own file.</summary>
    private static async Task<List<TenderApplication>> ApplyThreeAsync(TenderHost host, Guid projectId)
    {
        var applications = new List<TenderApplication>();
        for (var i = 1; i <= 3; i++)
        {
            applications.Add(await host.Tenders.ApplyAsync(projectId, host.Bidders[i - 1].Id, await ApplicationFileAsync(host, projectId, i), TenderHost.Bidder(i)));
        }

        return applications;
    }

    /// <summary>Scheduled with prequalification, its notice published, the prequalification open (4 Nov 10:00).</summary>
    private static async Task<(TenderHost Host, Trading.Workflow.Domain.Projects.Project Project, Guid InstanceId)> OpenAsync(DatabaseProvider provider, int sequence, bool demo = false)
    {
        var host = await TenderHost.StartAsync(provider);
        var (project, instanceId) = await host.StartProjectAsync(sequence, centreId: demo ? await host.CentreAsync(isDemo: true) : null);
        await host.Tenders.ScheduleAsync(project.Id, Schedule(await host.UploadAsync(project.Id, "招标文件.pdf")), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project, NoticeKind.Prequalification);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 4, 10));
        Assert.Equal(TenderStage.Prequalification, (await host.Tenders.FindAsync(project.Id))!.Stage);
        return (host, project, instanceId);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Review_TwoOfThreeQualified_GoesToRetender_AndTellsEveryApplicant(DatabaseProvider provider)
    {
        var (host, project, instanceId) = await OpenAsync(provider, 301);
        await using var _ = host;
        var applications = await ApplyThreeAsync(host, project.Id);

        // The review starts after the deadline.
        var early = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.ReviewApplicationAsync(applications[0].Id, true, null, TenderHost.Tenderee));
        Assert.Equal(TenderRules.ApplicationsStillOpen, early.RuleCode);
        await host.AdvanceToAsync(At(11, 16, 9, 1));
        Assert.Equal(["reviewPrequalification"], await host.OpenTaskElementsAsync(instanceId));
        var late = await Assert.ThrowsAsync<DomainRuleException>(async () =>
            await host.Tenders.ApplyAsync(project.Id, host.Owner.Id, Guid.NewGuid(), TenderHost.Tenderee));
        Assert.Equal(TenderRules.ApplicationsClosed, late.RuleCode);

        await host.Tenders.ReviewApplicationAsync(applications[0].Id, true, null, TenderHost.Tenderee);
        var noReason = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.ReviewApplicationAsync(applications[1].Id, false, " ", TenderHost.Tenderee));
        Assert.Equal(TenderRules.ReasonRequired, noReason.RuleCode);
        var stranger = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.ReviewApplicationAsync(applications[1].Id, true, null, TenderHost.Bidder(1)));
        Assert.Equal(TenderRules.NotAllowed, stranger.RuleCode);
        var incomplete = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.CloseReviewAsync(project.Id, TenderHost.Tenderee));
        Assert.Equal(TenderRules.ReviewIncomplete, incomplete.RuleCode);
        await host.Tenders.ReviewApplicationAsync(applications[1].Id, false, "项目经理不具备一级建造师注册证书。", TenderHost.Tenderee);
        await host.Tenders.ReviewApplicationAsync(applications[2].Id, true, null, TenderHost.Tenderee);

        var outcome = await host.Tenders.CloseReviewAsync(project.Id, TenderHost.Tenderee);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");

        Assert.Equal(TenderRules.TooFewQualified, outcome!.RuleCode);
        var tender = await host.Tenders.FindAsync(project.Id);
        Assert.Equal(TenderStage.Retender, tender!.Stage);
        Assert.Equal(TenderRules.TooFewQualified, tender.RetenderRule);
        Assert.Equal(new[] { host.Bidders[0].Id, host.Bidders[2].Id }.Order(), tender.Qualified.Order());
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        var found = await host.Tenders.ApplicationsAsync(project.Id);
        Assert.Equal("项目经理不具备一级建造师注册证书。", found.Single(a => a.EntityId == host.Bidders[1].Id).Reason);
        await using var db = host.Database.Database.Create();
        var reviewed = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == TenderNotificationRules.PrequalificationReviewed);
        Assert.All(host.Bidders, b => Assert.Contains(b.Id.ToString(), reviewed.Data, StringComparison.Ordinal));
        var participants = await host.Services.GetRequiredService<ParticipationService>().ListForSectionAsync(db, Assert.Single(project.Sections).Id);
        Assert.Equal(3, participants.Count(p => p.Origin == ParticipationOrigin.Applied));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Review_ThreeQualifiedByStaff_PutsTheDocumentsOnSaleToTheQualifiedOnly(DatabaseProvider provider)
    {
        var (host, project, instanceId) = await OpenAsync(provider, 302);
        await using var _ = host;
        var applications = await ApplyThreeAsync(host, project.Id);

        // The tenderee reviews the application files; the other applicants never see them.
        var documents = host.Services.GetRequiredService<DocumentService>();
        var file = (await documents.FindAsync(applications[0].DocumentId))!;
        Assert.True(await documents.MayDownloadAsync(new DocumentActor("tenderee", [PlatformRoles.Tenderee], null), file));
        Assert.False(await documents.MayDownloadAsync(new DocumentActor("bidder2", [PlatformRoles.Bidder], null), file));

        // Applying again before the deadline replaces the file, not the application.
        var again = await host.Tenders.ApplyAsync(project.Id, host.Bidders[0].Id, await ApplicationFileAsync(host, project.Id, 1), TenderHost.Bidder(1));
        Assert.Equal(applications[0].Id, again.Id);
        Assert.NotEqual(applications[0].DocumentId, again.DocumentId);
        var otherCentre = new TenderActor("staff9", "staff9", [PlatformRoles.Staff], Guid.NewGuid());
        await host.AdvanceToAsync(At(11, 16, 9, 1));
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.ReviewApplicationAsync(applications[0].Id, true, null, otherCentre));
        Assert.Equal(TenderRules.NotAllowed, refused.RuleCode);

        var staff = new TenderActor("staff", "staff", [PlatformRoles.Staff], project.CentreId);
        foreach (var application in applications)
        {
            await host.Tenders.ReviewApplicationAsync(application.Id, true, null, staff);
        }

        Assert.Null(await host.Tenders.CloseReviewAsync(project.Id, staff));
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        Assert.Contains(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "saleStarts" && t.Due == At(11, 18));
        await host.AdvanceToAsync(At(11, 18, 10));

        var tender = await host.Tenders.FindAsync(project.Id);
        Assert.Equal(TenderStage.OnSale, tender!.Stage);
        await using (var db = host.Database.Database.Create())
        {
            // On sale at the time announced: nothing to correct.
            Assert.False(await db.Set<Notice>().AnyAsync(n => n.ProjectId == project.Id && n.Kind == NoticeKind.Correction));
        }

        Assert.All(host.Bidders, b => Assert.True(tender.Admits(b.Id)));
        Assert.False(tender.Admits(host.Owner.Id));
        var closed = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.ReviewApplicationAsync(applications[0].Id, false, "复核", staff));
        Assert.Equal(TenderRules.WrongStage, closed.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Review_ClosedAfterTheSetSaleStart_OpensTheSaleNow_AndMovesItsEndAndTheDeadlineToTheLegalMinimum(DatabaseProvider provider)
    {
        var (host, project, instanceId) = await OpenAsync(provider, 303);
        await using var _ = host;
        await ApplyThreeAsync(host, project.Id);

        // The review ends on Wed 25 Nov, a week after the documents were to go on sale (18 Nov, to 23 Nov; bids 8 Dec).
        await host.AdvanceToAsync(At(11, 25, 10));
        var staff = new TenderActor("staff", "staff", [PlatformRoles.Staff], project.CentreId);
        foreach (var application in await host.Tenders.ApplicationsAsync(project.Id))
        {
            await host.Tenders.ReviewApplicationAsync(application.Id, true, null, staff);
        }

        Assert.Null(await host.Tenders.CloseReviewAsync(project.Id, staff));
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 25, 10, 1));

        // The bidders get their 5 日 of sale and 20 日 to bid from today (条例 16, 法 24), at the times of day set.
        var tender = (await host.Tenders.FindAsync(project.Id))!;
        Assert.Equal(TenderStage.OnSale, tender.Stage);
        Assert.Equal(At(11, 25, 10, 1), tender.SaleStartsAt);
        Assert.Equal(At(11, 30, 17), tender.SaleEndsAt);
        Assert.Equal(At(12, 15, 9, 30), tender.BidDeadline);
        var window = await host.Services.GetRequiredService<SealedBidService>().FindWindowAsync(Assert.Single(project.Sections).Id);
        Assert.Equal(At(12, 15, 9, 30), window!.Deadline);
        Assert.Contains(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "saleEnds" && t.Due == At(11, 30, 17));
        await using var db = host.Database.Database.Create();
        var opened = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == "engineering-construction.tender.sale-opened");
        Assert.Contains("openedLate", opened.Data, StringComparison.Ordinal);

        // The announced times no longer hold: the platform publishes a correction of the prequalification notice.
        var notices = await db.Set<Notice>().AsNoTracking().Where(n => n.ProjectId == project.Id).ToListAsync();
        var announced = Assert.Single(notices, n => n.Kind == NoticeKind.Prequalification);
        var correction = Assert.Single(notices, n => n.Kind == NoticeKind.Correction);
        Assert.Equal((NoticeState.Published, announced.Id, At(11, 25, 10, 1)), (correction.State, correction.CorrectsNoticeId, correction.PublishedAt));
        Assert.Contains("2026-11-23 17:00", correction.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("2026-11-30 17:00", correction.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("2026-12-15 09:30", correction.BodyHtml, StringComparison.Ordinal);
        Assert.Contains(correction.Id.ToString(), opened.Data, StringComparison.Ordinal);
        Assert.True(await db.Set<AuditEntry>().AsNoTracking().AnyAsync(e => e.Action == "notices.notice.published" && e.Data.Contains(correction.Id.ToString())));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task DemoTimers_FiredNow_CloseTheApplicationsSoTheReviewMayStart_ThenStartTheSaleNow(DatabaseProvider provider)
    {
        var (host, project, instanceId) = await OpenAsync(provider, 311, demo: true);
        await using var _ = host;
        var applications = await ApplyThreeAsync(host, project.Id);

        // The instance viewer's "演示：立即到期" on the application deadline (16 Nov): the review opens, and may start.
        var now = host.Clock.GetUtcNow();
        await FireNowAsync(host, project, instanceId, "pqApplicationDeadline", TenderVariables.PrequalificationApplicationDeadline);
        Assert.Equal(["reviewPrequalification"], await host.OpenTaskElementsAsync(instanceId));
        Assert.Equal(now, (await host.Tenders.FindAsync(project.Id))!.PrequalificationApplicationDeadline);
        foreach (var application in applications)
        {
            // The bug: refused 资格预审申请截止后方可审查 until the real deadline, the demo stuck in the review.
            await host.Tenders.ReviewApplicationAsync(application.Id, true, null, TenderHost.Tenderee);
        }

        Assert.Null(await host.Tenders.CloseReviewAsync(project.Id, TenderHost.Tenderee));
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");

        // Then the sale's start (18 Nov) fired now: the documents are on sale to the qualified at once.
        await FireNowAsync(host, project, instanceId, "saleStarts", TenderVariables.SaleStartsAt);
        var tender = (await host.Tenders.FindAsync(project.Id))!;
        Assert.Equal((TenderStage.OnSale, now), (tender.Stage, tender.SaleStartsAt));
        await host.Tenders.RecordDownloadAsync(project.Id, tender.DocumentIds[0], host.Bidders[0].Id, TenderHost.Bidder(1));
        await using var db = host.Database.Database.Create();
        Assert.True(await db.Set<AuditEntry>().AsNoTracking().AnyAsync(e => e.Action == "engineering-construction.tender.demo-applications-closed"));
    }

    /// <summary>What the instance viewer does: every part's demo date moves to now, then the timer fires.</summary>
    private static async Task FireNowAsync(TenderHost host, Trading.Workflow.Domain.Projects.Project project, Guid instanceId, string elementId, string variable)
    {
        var timer = Assert.Single(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == elementId);
        var demo = new DemoTimer(instanceId, project.Code, timer.ProcessId, timer.ElementId, variable, timer.Due);
        var moved = false;
        foreach (var date in host.Services.GetServices<IDemoTimerDate>())
        {
            moved |= await date.MoveToNowAsync(demo, "staff");
        }

        Assert.True(moved);
        await host.Engine.FireTimerAsync(timer.Id);
    }
}
