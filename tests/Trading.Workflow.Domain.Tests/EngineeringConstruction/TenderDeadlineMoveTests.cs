using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// A clarification that moves the bid deadline (法 23) and its amended file: the move is saved with the clarification,
/// the sealed-bid windows and the trail in one transaction, and no move is lost when the message to the procedure is
/// (the procedure re-reads the deadline when its old timer fires); the amended file reaches every entity that obtained
/// the documents, after the sale too.
/// </summary>
public sealed class TenderDeadlineMoveTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>An open tender on sale from 4 Nov, deadline 24 Nov 09:30, documents obtained by the three bidders, sale over.</summary>
    private static async Task<(TenderHost Host, Guid ProjectId, Guid InstanceId, Guid SectionId)> BidsOpenAsync(DatabaseProvider provider, int sequence)
    {
        var host = await TenderHost.StartAsync(provider);
        var (project, instanceId) = await host.StartProjectAsync(sequence);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        await host.Tenders.ScheduleAsync(project.Id, new TenderSchedule([document], null, At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 4, 10));
        for (var i = 0; i < 2; i++)
        {
            await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[i].Id, TenderHost.Bidder(i + 1));
        }

        await host.AdvanceToAsync(At(11, 10, 10));
        return (host, project.Id, instanceId, Assert.Single(project.Sections).Id);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Clarification_WhoseMessageIsLost_StillMovesTheDeadline_TheOldTimerReadsTheNewOne(DatabaseProvider provider)
    {
        var (host, projectId, instanceId, sectionId) = await BidsOpenAsync(provider, 201);
        await using var _ = host;
        // The node stops between the commit and the message: the engine never hears of the clarification.
        var losing = ActivatorUtilities.CreateInstance<TenderService>(host.Services, LosingEngine.Around(host.Engine));
        host.Clock.Set(At(11, 16, 10));

        var clarification = await losing.PublishClarificationAsync(projectId, "澄清第1号", "以施工图为准。", null, null, TenderHost.Tenderee);

        Assert.Equal(At(12, 1, 9, 30), clarification.DeadlineAfter);
        Assert.Equal(At(12, 1, 9, 30), (await host.Tenders.FindAsync(projectId))!.BidDeadline);
        Assert.Equal(At(12, 1, 9, 30), (await host.Services.GetRequiredService<SealedBidService>().FindWindowAsync(sectionId))!.Deadline);
        Assert.Equal(At(11, 24, 9, 30), DeadlineTimer(await host.Engine.GetTimersAsync(instanceId)));

        // The old timer fires: the procedure reads the moved deadline and waits for it; no opening at the old time.
        host.Opening.BidCount = 3;
        await host.AdvanceToAsync(At(11, 24, 9, 30));
        Assert.Empty(host.Opening.Calls);
        Assert.Equal(TenderStage.BidsOpen, (await host.Tenders.FindAsync(projectId))!.Stage);
        Assert.Equal(At(12, 1, 9, 30), DeadlineTimer(await host.Engine.GetTimersAsync(instanceId)));

        await host.AdvanceToAsync(At(12, 1, 9, 30));
        Assert.Equal(["openingStart"], host.Opening.Calls);
        Assert.Equal(TenderStage.Opening, (await host.Tenders.FindAsync(projectId))!.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Clarification_FailingItsRules_MovesNothing(DatabaseProvider provider)
    {
        var (host, projectId, instanceId, sectionId) = await BidsOpenAsync(provider, 202);
        await using var _ = host;
        host.Clock.Set(At(11, 16, 10));

        // A proposed deadline earlier than the one in force is refused before anything is saved.
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Tenders.PublishClarificationAsync(projectId, "澄清第1号", "以施工图为准。", null, At(11, 20), TenderHost.Tenderee));

        Assert.Equal(TenderRules.ExtendedDeadlineTooEarly, refused.RuleCode);
        Assert.Equal(At(11, 24, 9, 30), (await host.Tenders.FindAsync(projectId))!.BidDeadline);
        Assert.Equal(At(11, 24, 9, 30), (await host.Services.GetRequiredService<SealedBidService>().FindWindowAsync(sectionId))!.Deadline);
        Assert.Equal(At(11, 24, 9, 30), DeadlineTimer(await host.Engine.GetTimersAsync(instanceId)));
        Assert.Empty(await host.Tenders.ClarificationsAsync(projectId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Clarification_WithAnAmendedFile_ReachesEveryEntityThatObtainedTheDocuments(DatabaseProvider provider)
    {
        var (host, projectId, _, _) = await BidsOpenAsync(provider, 203);
        await using var _h = host;
        var amended = await host.UploadAsync(projectId, "招标文件（修改后）.pdf");
        host.Clock.Set(At(11, 16, 10));

        var clarification = await host.Tenders.PublishClarificationAsync(projectId, "修改第1号", "第三章技术条款修改，见附件。", amended, null, TenderHost.Tenderee);

        Assert.Equal(amended, clarification.DocumentId);
        // After the sale an entity that obtained the documents fetches the amended file; one that did not may not.
        var download = await host.Tenders.RecordDownloadAsync(projectId, amended, host.Bidders[1].Id, TenderHost.Bidder(2));
        Assert.Equal(amended, download.DocumentId);
        var stranger = await Assert.ThrowsAsync<DomainRuleException>(() => host.Tenders.RecordDownloadAsync(projectId, amended, host.Bidders[2].Id, TenderHost.Bidder(3)));
        Assert.Equal(TenderRules.NotOnSale, stranger.RuleCode);
        await using var db = host.Database.Database.Create();
        var record = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == "engineering-construction.clarification.published");
        Assert.Contains(amended.ToString(), record.Data, StringComparison.Ordinal);
        Assert.Contains(host.Bidders[0].Id.ToString(), record.Data, StringComparison.Ordinal);
        Assert.Contains(host.Bidders[1].Id.ToString(), record.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Bidders[2].Id.ToString(), record.Data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Clarification_IsAlsoAClarificationNoticeOnThePortal_FoundBySearch(DatabaseProvider provider)
    {
        var (host, projectId, _, _) = await BidsOpenAsync(provider, 205);
        await using var _h = host;
        host.Clock.Set(At(11, 16, 10));

        var clarification = await host.Tenders.PublishClarificationAsync(projectId, "关于工程量清单的澄清", "一标段工程量清单以招标文件第五章为准。\n<script>x</script>", null, null, TenderHost.Tenderee);

        var portal = host.Services.GetRequiredService<NoticePortal>();
        var listed = await portal.SearchAsync(new PortalQuery(null, new NoticeFilter(Kind: NoticeKind.Clarification)));
        var summary = Assert.Single(listed.Items);
        Assert.Contains("关于工程量清单的澄清", summary.Title, StringComparison.Ordinal);
        var notice = (await portal.GetAsync(summary.Id))!.Notice;
        Assert.Equal(NoticeState.Published, notice.State);
        Assert.Equal(projectId, notice.ProjectId);
        Assert.Equal(clarification.PublishedAt, notice.PublishedAt);
        Assert.Contains("一标段工程量清单以招标文件第五章为准。", notice.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", notice.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 09:30", notice.BodyHtml, StringComparison.Ordinal); // the deadline it moved to
        Assert.Contains(listed.Items, n => n.Id == notice.Id);
        Assert.Single((await portal.SearchAsync(new PortalQuery("工程量清单", new NoticeFilter()))).Items, n => n.Id == notice.Id);
        await using var db = host.Database.Database.Create();
        var record = await db.Set<AuditEntry>().AsNoTracking().SingleAsync(e => e.Action == "engineering-construction.clarification.published");
        Assert.Contains(notice.Id.ToString(), record.Data, StringComparison.Ordinal);
        Assert.Equal(1, await db.Set<AuditEntry>().AsNoTracking().CountAsync(e => e.Action == "notices.notice.published"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Clarification_WithAFileOfAnotherProject_IsRefused(DatabaseProvider provider)
    {
        var (host, projectId, _, _) = await BidsOpenAsync(provider, 204);
        await using var _h = host;
        var other = await host.UploadAsync(Guid.NewGuid(), "别的项目.pdf");

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Tenders.PublishClarificationAsync(projectId, "修改第1号", "见附件。", other, null, TenderHost.Tenderee));

        Assert.Equal(TenderRules.DocumentsRequired, refused.RuleCode);
        Assert.Empty(await host.Tenders.ClarificationsAsync(projectId));
    }

    private static DateTimeOffset? DeadlineTimer(IEnumerable<TimerInfo> timers) =>
        timers.SingleOrDefault(t => t.ElementId == "deadlineTimer")?.Due;

    /// <summary>The real engine, except that every message is lost on the way.</summary>
    public class LosingEngine : DispatchProxy
    {
        private IWorkflowEngine _inner = null!;

        public static IWorkflowEngine Around(IWorkflowEngine inner)
        {
            var proxy = Create<IWorkflowEngine, LosingEngine>();
            ((LosingEngine)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IWorkflowEngine.CorrelateMessageAsync))
            {
                throw new InvalidOperationException("The connection to the engine was lost.");
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}
