using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Components.Pages.EngineeringConstruction;
using ProjectPage = Trading.Workflow.Web.Components.Pages.Projects.ProjectPage;
using PortalNotice = Trading.Workflow.Web.Components.Pages.Notices.PortalNotice;
using PortalProject = Trading.Workflow.Web.Components.Pages.Notices.PortalProject;
using Trading.Workflow.Web.EngineeringConstruction;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Warnings;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.EngineeringConstruction;

/// <summary>
/// 条例 22 after a late answer: the objection was answered once the bid deadline had passed, so the bids do not open at
/// once. Every reader of the tender page learns the opening time is awaited; the tenderee announces it on the task's
/// screen (too soon is refused in the user's language, nothing saved) and every reader then reads it and counts down to
/// it. The project page shows the tender's hold in short; the public portal shows anyone the opening time in force and
/// that it changed. The task is the panel's (<c>component:tender-opening-time</c>) on a one-task procedure of the
/// tender's project, assigned to <c>tenderee</c>.
/// </summary>
public sealed class TenderOpeningTimeTests : TenderPageTest
{
    private const string Procedure = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="opening-time-panel" targetNamespace="http://trading.workflow/tests">
          <bpmn:process id="tests.tender-opening-time" name="公布开标时间（测试）" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="announceOpening" />
            <bpmn:userTask id="announceOpening" name="公布开标时间" tw:assignee="tenderee" tw:formKey="component:tender-opening-time"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="announceOpening" targetRef="end" />
            <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task AnsweredAfterTheDeadline_OpeningAwaited_TheTendereeAnnouncesIt_TooSoonRefused_EveryReaderSeesTheTime_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        var tender = await LateAnsweredTenderAsync(services, 961);

        foreach (var (user, todo) in new[] { ("bidder", false), ("tenderee", true) })
        {
            await SignInAsync(services, user);
            var page = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tender-opening-awaited]")));
            Assert.Equal("对招标文件的异议在投标截止时间 2026-11-03 09:30 之后才答复：不立即开标，开标时间由招标人另行公布并提前通知；公布前投标文件保持密封。",
                page.Find("[data-testid=tender-opening-awaited]").TextContent.Trim());
            Assert.Equal("开标时间待招标人公布", page.Find("[data-testid=tender-opening-awaited-row]").TextContent.Trim());
            Assert.Empty(page.FindAll("[data-testid=tender-suspended]"));
            Assert.Equal(todo, page.FindAll("[data-testid=tender-hold-todo]").Count == 1);
        }

        var engine = services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.Parse(Procedure));
        var instance = await engine.StartAsync("tests.tender-opening-time", tender.ProjectCode);
        var task = (await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id })).Single();
        RenderProviders();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToOffset(ChinaStandardTime.Offset);

        // Today at 09:30 is never a full day ahead: refused, in the user's language, and nothing is saved.
        foreach (var (culture, refusal) in new[] { ("zh-CN", "开标时间过早"), ("en", "The opening is too soon") })
        {
            Culture(culture);
            var early = Render<TenderOpeningTimePanel>(p => p.Add(c => c.Task, task));
            early.WaitForAssertion(() => Assert.NotEmpty(early.FindAll("[data-testid=opening-time-earliest]")));
            await TypeAsync(early, now.Date, "09:30");
            early.Find("[data-testid=opening-time-announce]").Click();
            early.WaitForAssertion(() => Assert.StartsWith(refusal, early.Find("[data-testid=opening-time-error]").TextContent.Trim(), StringComparison.Ordinal));
            Assert.Null((await services.GetRequiredService<TenderService>().FindAsync(tender.ProjectId))!.OpeningAt);
        }

        Culture("zh-CN");
        var panel = Render<TenderOpeningTimePanel>(p => p.Add(c => c.Task, task));
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=opening-time-earliest]")));
        Assert.Contains("2026-11-03 09:30", panel.Find("[data-testid=opening-time-intro]").TextContent, StringComparison.Ordinal);
        var day = now.Date.AddDays(3);
        await TypeAsync(panel, day, "09:30");
        panel.Find("[data-testid=opening-time-announce]").Click();
        var navigation = Services.GetRequiredService<NavigationManager>();
        panel.WaitForAssertion(() => Assert.EndsWith($"/engineering/tenders/{tender.ProjectId}", navigation.Uri, StringComparison.Ordinal));
        var opening = new DateTimeOffset(day.AddHours(9).AddMinutes(30), ChinaStandardTime.Offset);
        Assert.Equal(opening, (await services.GetRequiredService<TenderService>().FindAsync(tender.ProjectId))!.OpeningAt);
        Assert.Empty(await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));

        var shown = TenderWeb.Format(opening);
        await SignInAsync(services, "bidder");
        var announced = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        announced.WaitForAssertion(() => Assert.NotEmpty(announced.FindAll("[data-testid=tender-opening-announced]")));
        Assert.Equal($"开标时间已公布：{shown}。", announced.Find("[data-testid=tender-opening-announced]").TextContent.Trim());
        Assert.Equal(shown, announced.Find("[data-testid=tender-opening-time]").TextContent.Trim());
        Assert.Matches(@"^[23]天 \d\d:\d\d:\d\d$", announced.Find("[data-testid=tender-opening-countdown]").TextContent.Trim());
        Assert.Empty(announced.FindAll("[data-testid=tender-opening-awaited]"));

        Culture("en");
        var english = Render<TenderPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        english.WaitForAssertion(() => Assert.NotEmpty(english.FindAll("[data-testid=tender-opening-announced]")));
        Assert.Equal($"Opening time announced: {shown}.", english.Find("[data-testid=tender-opening-announced]").TextContent.Trim());
    }

    [Fact]
    public async Task ProjectPage_OfAHeldTender_ShowsTheHoldInShort_ForEveryReader_NotOnceAnswered()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<ProjectService>());
        Services.AddSingleton(services.GetRequiredService<ProjectActors>());
        Services.AddSingleton(services.GetRequiredService<TenderService>());
        Services.AddScoped<WarningAccess>();
        Services.AddSingleton(services.GetRequiredService<WarningService>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Domain.Archive.ArchiveService>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Domain.Archive.ArchiveQueue>());
        var tenderee = (await services.GetRequiredService<Trading.Workflow.Domain.Accounts.IUserDirectory>().FindByUserNameAsync("tenderee"))!;
        var owner = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(tenderee.AccountId)).First();
        var tender = await TenderAsync(services, 962, opened: false, owner.EntityId);
        var objection = Guid.NewGuid();
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_ec_objections (id, project_id, entity_id, entity_name, text, raised_by, raised_at, answer_due_at) VALUES ({0}, {1}, {2}, '演示第二建筑有限公司', '工期要求不合理。', 'bidder2', {3}, {4})",
                objection.ToString().ToUpperInvariant(), tender.ProjectId.ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant(), At(10, 20).UtcTicks, At(10, 24, 0).UtcTicks);
        }

        await SignInAsync(services, "tenderee");
        RenderProviders();
        foreach (var user in new[] { "tenderee", "staff" })
        {
            await SignInAsync(services, user);
            var page = Render<ProjectPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
            page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=tender-suspended]")));
            Assert.Equal("招标投标活动暂停：对招标文件的异议尚未答复（《招标投标法实施条例》第二十二条），答复期限 2026-10-24 00:00。",
                page.Find("[data-testid=tender-suspended]").TextContent.Trim());
            // In short: what to do is on the tender page (the project page links to it once the procedure runs).
            Assert.Empty(page.FindAll("[data-testid=tender-hold-todo]"));
            Assert.Empty(page.FindAll("[data-testid=tender-opening-held]"));
        }

        Culture("en");
        var english = Render<ProjectPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        english.WaitForAssertion(() => Assert.NotEmpty(english.FindAll("[data-testid=tender-suspended]")));
        Assert.Equal("Procedure suspended: an objection to the tender documents is not answered yet (Implementing Regulations art. 22); answer due 2026-10-24 00:00.",
            english.Find("[data-testid=tender-suspended]").TextContent.Trim());

        // Answered (after the deadline): the hold is over; the short form says the opening time is awaited.
        Culture("zh-CN");
        await services.GetRequiredService<TenderService>().AnswerObjectionAsync(objection, "工期不变。",
            new TenderActor("tenderee", tenderee.AccountId, [.. tenderee.Roles], null));
        var answered = Render<ProjectPage>(p => p.Add(c => c.ProjectId, tender.ProjectId));
        answered.WaitForAssertion(() => Assert.NotEmpty(answered.FindAll("[data-testid=tender-opening-awaited]")));
        Assert.Empty(answered.FindAll("[data-testid=tender-suspended]"));
        Assert.Empty(answered.FindAll("[data-testid=tender-hold-todo]"));
    }

    [Fact]
    public async Task Portal_ShowsAnonymousVisitorsTheOpeningTimeInForce_ToBeAnnounced_ThenTheAnnouncedTimeAndThatItChanged_InZhAndEn()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<TenderService>());
        Services.AddSingleton(services.GetRequiredService<NoticePortal>());
        Services.AddSingleton(services.GetRequiredService<Trading.Workflow.Web.Centres.ICentreDirectory>());
        var tender = await LateAnsweredTenderAsync(services, 963);
        var notice = await PublishTenderNoticeAsync(services, tender);

        // Answered after the deadline: the portal does not claim the bids open at the passed deadline.
        var held = Render<PortalProject>(p => p.Add(c => c.Code, tender.ProjectCode));
        held.WaitForAssertion(() => Assert.NotEmpty(held.FindAll("[data-testid=portal-tender-opening]")));
        Assert.Equal("2026-11-03 09:30", held.Find("[data-testid=portal-tender-deadline]").TextContent.Trim());
        Assert.Equal("待招标人另行公布", held.Find("[data-testid=portal-tender-opening-time]").TextContent.Trim());
        Assert.Equal("投标截止时间 2026-11-03 09:30 已过，因对招标文件的异议暂不开标（《招标投标法实施条例》第二十二条）；开标时间由招标人另行公布并提前通知，投标文件在开标前保持密封。",
            held.Find("[data-testid=portal-tender-opening-pending]").TextContent.Trim());
        Assert.Empty(held.FindAll("[data-testid=portal-tender-opening-changed]"));

        var tenderee = (await services.GetRequiredService<Trading.Workflow.Domain.Accounts.IUserDirectory>().FindByUserNameAsync("tenderee"))!;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToOffset(ChinaStandardTime.Offset);
        var opening = new DateTimeOffset(now.Date.AddDays(3).AddHours(9).AddMinutes(30), ChinaStandardTime.Offset);
        await services.GetRequiredService<TenderService>().AnnounceOpeningAsync(tender.ProjectId, opening,
            new TenderActor("tenderee", tenderee.AccountId, [.. tenderee.Roles], null));
        var shown = TenderWeb.Format(opening);

        var announced = Render<PortalProject>(p => p.Add(c => c.Code, tender.ProjectCode));
        announced.WaitForAssertion(() => Assert.NotEmpty(announced.FindAll("[data-testid=portal-tender-opening-changed]")));
        Assert.Equal(shown, announced.Find("[data-testid=portal-tender-opening-time]").TextContent.Trim());
        Assert.Equal($"开标时间已变更：对招标文件的异议在投标截止时间 2026-11-03 09:30 之后答复，招标人另行公布开标时间为 {shown}（《招标投标法实施条例》第二十二条）；投标文件在开标前保持密封。",
            announced.Find("[data-testid=portal-tender-opening-changed]").TextContent.Trim());
        Assert.Empty(announced.FindAll("[data-testid=portal-tender-opening-pending]"));
        Assert.Empty(announced.FindAll("[data-testid=portal-tender-deadline-moved]"));

        // The tender notice announced the deadline as the opening: its page shows the time in force beside it.
        var noticePage = Render<PortalNotice>(p => p.Add(c => c.Id, notice.Id));
        noticePage.WaitForAssertion(() => Assert.NotEmpty(noticePage.FindAll("[data-testid=portal-tender-opening-changed]")));
        Assert.Equal(shown, noticePage.Find("[data-testid=portal-tender-opening-time]").TextContent.Trim());

        Culture("en");
        var english = Render<PortalProject>(p => p.Add(c => c.Code, tender.ProjectCode));
        english.WaitForAssertion(() => Assert.NotEmpty(english.FindAll("[data-testid=portal-tender-opening-changed]")));
        Assert.Equal($"The opening time has changed: an objection to the tender documents was answered after the bid deadline (2026-11-03 09:30), and the tenderee announced the opening for {shown} (Implementing Regulations art. 22); the bids stay sealed until then.",
            english.Find("[data-testid=portal-tender-opening-changed]").TextContent.Trim());
        Assert.Equal("Bid opening", english.Find("[data-testid=portal-tender-opening] h2").TextContent.Trim());
    }

    [Fact]
    public async Task Portal_OfATenderWithoutHold_ShowsTheDeadlineAsTheOpening_AndNothingForAnotherTrade()
    {
        await using var factory = new PlatformFactory();
        using var scope = Start(factory);
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<TenderService>());
        Services.AddSingleton(services.GetRequiredService<NoticePortal>());
        var tender = await TenderAsync(services, 964, opened: true);
        await PublishTenderNoticeAsync(services, tender);

        var page = Render<PortalProject>(p => p.Add(c => c.Code, tender.ProjectCode));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=portal-tender-opening]")));
        Assert.Equal("2026-11-03 09:30", page.Find("[data-testid=portal-tender-opening-time]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=portal-tender-opening-changed]"));
        Assert.Empty(page.FindAll("[data-testid=portal-tender-opening-pending]"));

        Culture("en");
        var english = Render<PortalProject>(p => p.Add(c => c.Code, tender.ProjectCode));
        english.WaitForAssertion(() => Assert.NotEmpty(english.FindAll("[data-testid=portal-tender-opening]")));
        Assert.Equal("Bid deadline", english.Find("[data-testid=portal-tender-opening] th").TextContent.Trim());

        var procurement = NoticeProject.Create(Guid.NewGuid(), "CG-2026-0964", tender.CentreId, TradeTypes.GovernmentProcurement, "530102", "办公设备采购");
        await PublishAsync(services, procurement);
        var other = Render<PortalProject>(p => p.Add(c => c.Code, procurement.ProjectCode));
        other.WaitForAssertion(() => Assert.NotEmpty(other.FindAll("[data-testid=project-notices]")));
        Assert.Empty(other.FindAll("[data-testid=portal-tender-opening]"));
    }

    private static Task<Notice> PublishTenderNoticeAsync(IServiceProvider services, Tender tender) =>
        PublishAsync(services, NoticeProject.Create(tender.ProjectId, tender.ProjectCode, tender.CentreId, TradeTypes.EngineeringConstruction, "530102", tender.ProjectName));

    private static async Task<Notice> PublishAsync(IServiceProvider services, NoticeProject project)
    {
        var notice = Notice.Draft(project, NoticeKind.Tender, project.ProjectName + "招标公告", "<p>投标截止及开标时间：2026-11-03 09:30。</p>", [], "tenderee", At(10, 12));
        notice.SubmitForReview("tenderee", At(10, 12));
        notice.Publish("staff", At(10, 13));
        await using var db = services.GetRequiredService<ITradingDatabase>().Create();
        db.Add(notice);
        await db.SaveChangesAsync();
        return notice;
    }

    /// <summary>A tender of the demo tenderee's entity whose bids were due 3 Nov, with an objection answered now (after it).</summary>
    private static async Task<Tender> LateAnsweredTenderAsync(IServiceProvider services, int sequence)
    {
        var tenderee = (await services.GetRequiredService<Trading.Workflow.Domain.Accounts.IUserDirectory>().FindByUserNameAsync("tenderee"))!;
        var owner = (await services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(tenderee.AccountId)).First();
        var tender = await TenderAsync(services, sequence, opened: false, owner.EntityId);
        var objection = Guid.NewGuid();
        await using (var db = services.GetRequiredService<ITradingDatabase>().Create())
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO tr_ec_objections (id, project_id, entity_id, entity_name, text, raised_by, raised_at, answer_due_at) VALUES ({0}, {1}, {2}, '演示第二建筑有限公司', '工期要求不合理。', 'bidder2', {3}, {4})",
                objection.ToString().ToUpperInvariant(), tender.ProjectId.ToString().ToUpperInvariant(), Guid.NewGuid().ToString().ToUpperInvariant(), At(10, 20).UtcTicks, At(10, 24, 0).UtcTicks);
        }

        await services.GetRequiredService<TenderService>().AnswerObjectionAsync(objection, "工期不变。",
            new TenderActor("tenderee", tenderee.AccountId, [.. tenderee.Roles], null));
        return tender;
    }

    private static async Task TypeAsync(IRenderedComponent<TenderOpeningTimePanel> panel, DateTime date, string time)
    {
        await panel.InvokeAsync(() => panel.Find("[data-testid=opening-time-date] input").Change(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        await panel.InvokeAsync(() => panel.Find("[data-testid=opening-time-time] input").Change(time));
    }
}
