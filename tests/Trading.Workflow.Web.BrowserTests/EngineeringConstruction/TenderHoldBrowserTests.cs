using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Projects;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.EngineeringConstruction;

/// <summary>
/// 条例 22 in real Chromium: the demo project's objection to the documents is answered only after the bid deadline, so
/// nothing opens at once. The tenderee announces the opening time on its task's screen (a time less than a day ahead is
/// refused); the bidder and the centre's staff read it on the tender page, the project page shows the hold's headline,
/// anyone reads it and that it changed on the portal (zh at 1280 px, en at 390 px), and the procedure opens at that time. The steps before the answer are the services' (walked elsewhere).
/// </summary>
public sealed class TenderHoldBrowserTests : IClassFixture<EngineeringTenderApp>
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private readonly EngineeringTenderApp _app;

    public TenderHoldBrowserTests(EngineeringTenderApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(30_000);
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    [Fact]
    public async Task AnsweredAfterTheDeadline_TheTendereeAnnouncesTheOpening_BidderAndStaffReadIt_ItOpensThen()
    {
        try
        {
            await WalkAsync();
        }
        catch
        {
            await _app.ShotsAsync("hold-failed");
            throw;
        }
    }

    private async Task WalkAsync()
    {
        Project project;
        await using (var db = Service<ITradingDatabase>().Create())
        {
            project = await db.Set<Project>().AsNoTracking().Include(p => p.Sections).SingleAsync(p => p.Name == ProjectsDemoData.DemoProjectName);
        }

        var today = DateOnly.FromDateTime(_app.Clock.GetUtcNow().ToOffset(China).DateTime);
        var calendar = Service<ReloadableBusinessCalendar>();
        foreach (var year in new[] { today.Year, today.Year + 1 }.Where(y => !calendar.Years.Contains(y)))
        {
            await calendar.SaveYearAsync(new HolidayYearData(year, [new DateOnly(year, 1, 1)], [], "browser test: arrangement not yet published"), "admin");
        }

        var tenders = Service<TenderService>();
        var engine = Service<IWorkflowEngine>();
        var tenderee = await ActorAsync("tenderee");
        var (saleStarts, saleEnds, deadline) = (At(today.AddDays(1)), At(today.AddDays(12)), At(today.AddDays(30)));
        var document = await UploadAsync(project.Id, "招标文件（演示数据）.pdf");
        var boq = await UploadAsync(project.Id, "工程量清单（演示数据）.pdf");
        await tenders.ScheduleAsync(project.Id, new TenderSchedule([document], boq, saleStarts, saleEnds, deadline), tenderee);
        await engine.CompleteTaskAsync((await TasksAsync(project, "scheduleTender")).Single().Id, null, "tenderee");
        await _app.MoveClockAsync(saleStarts.AddMinutes(1));
        var bidder = await ActorAsync("bidder");
        var bidderEntity = (await Service<IEntityMembership>().EntitiesOfAsync(bidder.AccountId)).First().EntityId;
        await tenders.RecordDownloadAsync(project.Id, document, bidderEntity, bidder);
        await _app.MoveClockAsync(deadline.AddDays(-15));
        var objection = await tenders.RaiseObjectionAsync(project.Id, bidderEntity, "工程量清单与图纸不一致。", bidder);
        await _app.MoveClockAsync(deadline.AddHours(1));
        await tenders.AnswerObjectionAsync(objection.Id, "以图纸为准，招标文件不作修改。", tenderee);
        await engine.CompleteTaskAsync((await TasksAsync(project, "answerObjections")).Single().Id, null, "tenderee");
        var task = (await TasksAsync(project, "announceOpening")).Single();

        // --- The tenderee: the tender page says the opening time is awaited; the task's screen announces it.
        var page = await _app.SignInAsync("tenderee");
        await page.GotoAsync($"/engineering/tenders/{project.Id}");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid=tender-opening-awaited]")).ToContainTextAsync("之后才答复：不立即开标");
        await _app.ShotAsync(page, "hold-tenderee-awaited");
        await page.GotoAsync($"/inbox/tasks/{task.Id}");
        await page.WaitForCircuitAsync();
        await page.Locator("[data-testid=task-claim]").ClickAsync();
        var form = page.Locator("[data-testid=tender-opening-time-form]");
        // The button waits for a date: nothing is announced by a click on an empty form.
        await Expect(form.Locator("[data-testid=opening-time-announce]")).ToBeDisabledAsync();
        await Expect(form.Locator("[data-testid=opening-time-date] input").First).ToBeEditableAsync();
        var now = _app.Clock.GetUtcNow().ToOffset(China);
        await TypeDateAsync(form, DateOnly.FromDateTime(now.DateTime));
        await form.Locator("[data-testid=opening-time-announce]").ClickAsync();
        await Expect(form.Locator("[data-testid=opening-time-error]")).ToContainTextAsync("开标时间过早");
        await _app.ShotAsync(page, "hold-tenderee-too-soon");
        var opening = At(DateOnly.FromDateTime(now.DateTime).AddDays(2));
        await TypeDateAsync(form, DateOnly.FromDateTime(opening.DateTime));
        await form.Locator("[data-testid=opening-time-announce]").ClickAsync();
        await page.WaitForURLAsync($"**/engineering/tenders/{project.Id}", new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.WaitForCircuitAsync();
        var shown = opening.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        await Expect(page.Locator("[data-testid=tender-opening-time]")).ToHaveTextAsync(shown);
        await _app.ShotAsync(page, "hold-tenderee-announced");
        Assert.Equal(opening, (await tenders.FindAsync(project.Id))!.OpeningAt);

        // --- The bidder and the staff read the time and count down to it; the staff's project page has the headline.
        foreach (var user in new[] { "bidder", "staff" })
        {
            var reader = await _app.SignInAsync(user);
            await reader.GotoAsync($"/engineering/tenders/{project.Id}");
            await reader.WaitForCircuitAsync();
            await Expect(reader.Locator("[data-testid=tender-opening-announced]")).ToHaveTextAsync($"开标时间已公布：{shown}。");
            await Expect(reader.Locator("[data-testid=tender-opening-countdown]")).ToBeVisibleAsync();
            await _app.ShotAsync(reader, $"hold-{user}-tender");
            if (user != "staff")
            {
                continue; // A bidder reads the tender page, not the project's own page (refused to non-readers).
            }

            await reader.GotoAsync($"/projects/{project.Id}");
            await reader.WaitForCircuitAsync();
            await Expect(reader.Locator("[data-testid=tender-opening-announced]")).ToHaveTextAsync($"开标时间已公布：{shown}。");
            await _app.ShotAsync(reader, $"hold-{user}-project");
        }

        // --- Anyone, without signing in, reads on the portal's project page when the bids are opened and that it changed.
        foreach (var (culture, width, changed) in new[] { ("zh-CN", 1280, "开标时间已变更"), ("en", 390, "The opening time has changed") })
        {
            var visitor = await _app.AnonymousAsync();
            await visitor.SetViewportSizeAsync(width, 900);
            await visitor.GotoAsync($"/culture/set?culture={culture}&redirectUri={Uri.EscapeDataString($"/portal/projects/{project.Code}")}");
            await Expect(visitor.Locator("[data-testid=portal-tender-opening-time]")).ToHaveTextAsync(shown);
            await Expect(visitor.Locator("[data-testid=portal-tender-opening-changed]")).ToContainTextAsync(changed);
            await _app.ShotAsync(visitor, $"hold-visitor-portal-{width}");
        }

        // --- It opens at that time, not before.
        await _app.MoveClockAsync(opening.AddMinutes(-1));
        Assert.Equal(TenderStage.BidsOpen, (await tenders.FindAsync(project.Id))!.Stage);
        await _app.MoveClockAsync(opening.AddMinutes(1));
        Assert.NotEqual(TenderStage.BidsOpen, (await tenders.FindAsync(project.Id))!.Stage);
    }

    private async Task<TenderActor> ActorAsync(string userName)
    {
        var account = (await Service<IUserDirectory>().FindByUserNameAsync(userName))!;
        return new TenderActor(userName, account.AccountId, [.. account.Roles], account.CentreId);
    }

    private async Task<Guid> UploadAsync(Guid projectId, string name)
    {
        var bytes = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + name.Length + "\n%%EOF\n");
        var document = await Service<DocumentService>().UploadAsync(new MemoryStream(bytes), name, new DocumentScope(null, projectId),
            new DocumentActor("tenderee", [PlatformRoles.Tenderee], null));
        return document.Id;
    }

    private async Task<IReadOnlyList<UserTaskInfo>> TasksAsync(Project project, string elementId)
    {
        var tasks = await Service<IWorkflowEngine>().GetTasksAsync(new TaskQuery { InstanceId = project.ProcessInstanceId });
        return [.. tasks.Where(t => t.ElementId == elementId)];
    }

    private static async Task TypeDateAsync(ILocator form, DateOnly day)
    {
        var input = form.Locator("[data-testid=opening-time-date] input").First;
        await input.FillAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await input.PressAsync("Enter");
        await input.PressAsync("Escape");
        await input.BlurAsync();
    }

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(9, 30)), China);
}
