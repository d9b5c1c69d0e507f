using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Projects;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.EngineeringConstruction;

/// <summary>
/// The demo engineering project from its published tender notice to the published opening record, walked in real
/// Chromium by the demo accounts, each in its own browser context: the tenderee uploads the documents and sets the
/// dates; the three demo bidders obtain the documents and download their demo key files; a clarification 10 日 before the
/// deadline moves it out to 15 日 after the clarification; bids are sealed (SM4, SM2-wrapped key, SM2 signature) in the
/// browser; an administrator finds no plaintext by page, API or file download, nor does any file under the data folder
/// hold it; an upload still running at the deadline is refused; at the deadline the second section, with two bids, goes to
/// re-tender while the first opens; two bidders decrypt in the browser with their key files, the third fails with the
/// wrong one; the host closes the session after the window and the signed record, built from the decrypted letters, is
/// shown live and published on the portal with its hash. The run then goes on to the archive (part 2, in
/// EngineeringTenderBrowserTests.Award.cs): evaluation method, committee draw, five experts, objection, award, contract,
/// refunds with interest and the archive download whose hashes verify.
/// </summary>
public sealed partial class EngineeringTenderBrowserTests : IClassFixture<EngineeringTenderApp>
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly string[] Bidders = ["bidder", "bidder2", "bidder3"];

    private readonly EngineeringTenderApp _app;

    // The bidders' own files (plain bids, key files), outside the app's data folder, which the walk checks for plaintext.
    private readonly string _files = Directory.CreateTempSubdirectory("tw-tender-walk-").FullName;

    public EngineeringTenderBrowserTests(EngineeringTenderApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(30_000);
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    [Fact]
    public async Task DemoProject_FromNoticeToArchive_BiddersAndExpertsInTheirOwnBrowsers()
    {
        try
        {
            await WalkAsync();
        }
        catch
        {
            await _app.ShotsAsync("failed");
            throw;
        }
        finally
        {
            Directory.Delete(_files, recursive: true);
        }
    }

    private async Task WalkAsync()
    {
        var files = _files;
        var project = await DemoProjectAsync();
        var sections = project.Sections.OrderBy(s => s.Number).ToList();
        Assert.Equal(2, sections.Count);
        var (lot1, lot2) = (sections[0], sections[1]);

        var today = DateOnly.FromDateTime(_app.Clock.GetUtcNow().ToOffset(China).DateTime);

        // The working-day calendar needs every year the dates reach; a year whose official arrangement is not yet
        // published is entered by an administrator (here: weekends and 1 January off) as the platform asks.
        var calendar = Service<ReloadableBusinessCalendar>();
        foreach (var year in new[] { today.Year, today.Year + 1 }.Where(y => !calendar.Years.Contains(y)))
        {
            await calendar.SaveYearAsync(new HolidayYearData(year, [new DateOnly(year, 1, 1)], [], "browser test: arrangement not yet published"), "admin");
        }

        // --- The tenderee: its workspace shows the demo project's first task; documents, bill of quantities, dates.
        var saleStarts = At(today.AddDays(1));
        var saleEnds = At(today.AddDays(12));
        var deadline = At(today.AddDays(30));
        var tenderee = await _app.SignInAsync("tenderee");
        await tenderee.GotoAsync("/workspace");
        await tenderee.WaitForCircuitAsync();
        // The demo project's own schedule task (other demo projects may list tasks of their own before it).
        var scheduleTask = (await Service<IWorkflowEngine>().GetTasksAsync(new TaskQuery { InstanceId = project.ProcessInstanceId }))
            .Single(t => t.ElementId == "scheduleTender");
        await tenderee.Locator($"[data-testid=workspace-owned] a[href='/inbox/tasks/{scheduleTask.Id}']").First.ClickAsync();
        await tenderee.WaitForCircuitAsync();
        await tenderee.Locator("[data-testid=task-claim]").ClickAsync();
        var schedule = tenderee.Locator("[data-testid=tender-schedule]");
        await Expect(schedule.Locator("[data-testid=schedule-save]")).ToBeEnabledAsync();
        await schedule.Locator("[data-testid=upload-input]").Nth(0).SetInputFilesAsync(Pdf(files, "招标文件（演示数据）.pdf", "TENDER-DOCUMENTS"));
        await Expect(schedule.Locator("[data-testid=schedule-document]")).ToHaveCountAsync(1);
        await schedule.Locator("[data-testid=upload-input]").Nth(1).SetInputFilesAsync(Pdf(files, "工程量清单（演示数据）.pdf", "BILL-OF-QUANTITIES"));
        await Expect(schedule.GetByText("工程量清单（演示数据）.pdf").First).ToBeVisibleAsync(); // the upload control and the panel both name it
        await TypeDateAsync(schedule, "salestarts", saleStarts);
        await TypeDateAsync(schedule, "saleends", saleEnds);
        await TypeDateAsync(schedule, "deadline", deadline);
        // A date picker left open covers the save button: close any still open first.
        for (var i = 0; i < 5 && await tenderee.Locator(".mud-popover-open").CountAsync() > 0; i++)
        {
            foreach (var slot in new[] { "salestarts", "saleends", "deadline" })
            {
                await schedule.Locator($"[data-testid=schedule-slot-{slot}] input").First.PressAsync("Escape");
            }

            await Task.Delay(300);
        }

        await Expect(tenderee.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await _app.ShotAsync(tenderee, "tenderee-schedule");
        await schedule.Locator("[data-testid=schedule-save]").ClickAsync();
        var error = schedule.Locator("[data-testid=schedule-error]");
        await Task.WhenAny(
            tenderee.WaitForURLAsync(url => url.EndsWith("/inbox", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit }),
            error.WaitForAsync());
        Assert.Equal(0, await error.CountAsync());
        // Saved, the task completes and the page goes back to the inbox (slow on a loaded machine: wait for it).
        await tenderee.WaitForURLAsync(url => url.EndsWith("/inbox", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        var tender = await UntilAsync(() => TenderAsync(project.Id), t => t.IsScheduled);
        Assert.Equal((TenderStage.Preparing, saleStarts, saleEnds, deadline), (tender.Stage, tender.SaleStartsAt, tender.SaleEndsAt, tender.BidDeadline));

        // --- The sale starts at its time (the procedure's timer).
        await _app.MoveClockAsync(saleStarts.AddMinutes(1));
        Assert.Equal(TenderStage.OnSale, (await TenderAsync(project.Id)).Stage);

        // --- Each bidder, in its own browser: the tender from its workspace, both documents obtained, its demo key file.
        var pages = new Dictionary<string, IPage>();
        var keys = new Dictionary<string, string>();
        foreach (var user in Bidders)
        {
            var page = pages[user] = await _app.SignInAsync(user);
            await page.GotoAsync("/workspace");
            await page.WaitForCircuitAsync();
            await page.Locator("[data-testid=workspace-open] a[href^='/engineering/tenders/']").First.ClickAsync();
            await page.WaitForURLAsync($"**/engineering/tenders/{project.Id}");
            await Expect(page.Locator("[data-testid=tender-stage]")).ToBeVisibleAsync();
            await page.WaitForCircuitAsync();
            // Obtaining a document is recorded (the bidder takes part in every section); then both are links to the file.
            foreach (var name in new[] { "招标文件（演示数据）.pdf", "工程量清单（演示数据）.pdf" })
            {
                var row = page.Locator("[data-testid=tender-document]").Filter(new() { HasText = name });
                await Expect(row.Locator("[data-testid=tender-obtain]")).ToBeEnabledAsync();
                await row.Locator("[data-testid=tender-obtain]").ClickAsync();
                await Expect(row.Locator("a[href^='/documents/']")).ToHaveCountAsync(1);
            }

            await page.GotoAsync("/bids/key");
            await page.WaitForCircuitAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=demo-key-download]").First.ClickAsync());
            keys[user] = Path.Combine(files, user + ".key.json");
            await download.SaveAsAsync(keys[user]);
        }

        // --- A clarification 10 日 before the deadline (the sale has ended): the deadline moves to 15 日 after it (法 23).
        var clarifiedAt = deadline.AddDays(-10);
        await _app.MoveClockAsync(clarifiedAt);
        Assert.Equal(TenderStage.BidsOpen, (await TenderAsync(project.Id)).Stage);
        await tenderee.GotoAsync($"/engineering/tenders/{project.Id}");
        await tenderee.WaitForCircuitAsync();
        await Field(tenderee, "clarification-title").FillAsync("关于一标段工程量清单的澄清（演示数据）");
        await Field(tenderee, "clarification-body").FillAsync("以招标文件第五章为准。");
        await Expect(tenderee.Locator("[data-testid=clarification-publish]")).ToBeEnabledAsync();
        await tenderee.Locator("[data-testid=clarification-publish]").ClickAsync();
        await Task.WhenAny(tenderee.Locator("[data-testid=tender-clarification]").WaitForAsync(), tenderee.Locator("[data-testid=tender-error]").WaitForAsync());
        Assert.Equal(0, await tenderee.Locator("[data-testid=tender-error]").CountAsync());
        await Expect(tenderee.Locator("[data-testid=tender-clarification]")).ToHaveCountAsync(1);
        var extended = At(TenderRules.LastDayOf(clarifiedAt, 15, calendar)); // the 15th 日, rolled past days off (Civil Code 201–203)
        await Expect(tenderee.Locator("[data-testid=tender-deadline]")).ToHaveTextAsync(extended.ToOffset(China).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        Assert.Equal(extended, (await TenderAsync(project.Id)).BidDeadline);
        Assert.Equal(extended, (await Service<SealedBidService>().FindWindowAsync(lot1.Id))!.Deadline);
        var timers = await Service<IWorkflowEngine>().GetTimersAsync(project.ProcessInstanceId);
        Assert.Contains(timers, t => t.ElementId == "deadlineTimer" && t.Due == extended);

        // --- Sealed bids, encrypted and signed in each bidder's browser: three in the first section, two in the second.
        var prices = new Dictionary<(string, int), string>
        {
            [("bidder", 1)] = "8123456.78", [("bidder2", 1)] = "8234567.00", [("bidder3", 1)] = "8345678.90",
            [("bidder", 2)] = "1234567.00", [("bidder2", 2)] = "1245678.00",
        };
        foreach (var ((user, lot), price) in prices)
        {
            var page = pages[user];
            await FillBidAsync(page, lot == 1 ? lot1.Id : lot2.Id, price, Pdf(files, $"投标文件-{user}-{lot}.pdf", Marker(user, lot)), keys[user]);
            await page.Locator("[data-testid=submit-bid]").ClickAsync();
            await Expect(page.Locator("[data-testid=bid-receipt]")).ToBeVisibleAsync();
        }

        // The first section's deposit: the two bidders whose bids will open pay it from their basic accounts (the bank's callback).
        await PayDepositsAsync(project, lot1.Id, pages, "bidder", "bidder3");

        // --- Before the opening an administrator obtains no plaintext: not by page, API or file download, and no file
        // under the data folder (database, document store) holds any bid's plaintext.
        var admin = await _app.SignInAsync("admin");
        var itemDocuments = await BidDocumentsAsync(project.Id);
        Assert.Equal(10, itemDocuments.Count); // five bids: a letter and a file each
        foreach (var documentId in itemDocuments)
        {
            foreach (var url in new[] { $"/documents/{documentId}/content", $"/api/documents/{documentId}", $"/workflow/documents/{documentId}" })
            {
                var response = await admin.APIRequest.GetAsync(url);
                var body = Encoding.UTF8.GetString(await response.BodyAsync());
                Assert.False(prices.Keys.Any(k => body.Contains(Marker(k.Item1, k.Item2), StringComparison.Ordinal)), $"{url} gave plaintext ({response.Status})");
                Assert.DoesNotContain("8123456.78", body, StringComparison.Ordinal);
            }
        }

        await admin.GotoAsync($"/bids/{lot1.Id}");
        await Expect(admin.Locator("[data-testid=price]")).ToHaveCountAsync(0);
        await admin.GotoAsync("/openings");
        await Expect(admin.Locator("[data-testid=console-link]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(Marker("bidder", 1), await admin.ContentAsync(), StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_app.DataFolder, "*", SearchOption.AllDirectories))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.False(prices.Keys.Any(k => bytes.Contains(Marker(k.Item1, k.Item2), StringComparison.Ordinal)), $"{file} holds a bid's plaintext before the opening");
        }

        // --- An upload still running at the deadline does not count: bidder3's bid for the second section is held on the
        // wire while the deadline passes, and the server refuses it when it completes.
        await _app.MoveClockAsync(extended.AddMinutes(-2));
        var late = pages["bidder3"];
        await FillBidAsync(late, lot2.Id, "1199999.00", Pdf(files, "投标文件-bidder3-2.pdf", Marker("bidder3", 2)), keys["bidder3"]);
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await late.RouteAsync("**/api/documents/uploads/*", async route =>
        {
            if (route.Request.Method == "PUT")
            {
                held.TrySetResult();
                await release.Task;
            }

            await route.ContinueAsync();
        });
        await late.Locator("[data-testid=submit-bid]").ClickAsync();
        await held.Task.WaitAsync(TimeSpan.FromSeconds(60));
        _app.Clock.MoveTo(extended.AddSeconds(1));
        release.SetResult();
        await Expect(late.Locator("[data-testid=bid-error]")).ToContainTextAsync("已过投标截止时间");
        await late.UnrouteAllAsync();
        Assert.DoesNotContain(await SubmittedAsync(lot2.Id), b => b.Entity.Contains("第三", StringComparison.Ordinal));

        // --- The deadline: the procedure opens by itself; the second section (two bids) goes to re-tender, the first opens.
        await _app.MoveClockAsync(extended.AddMinutes(1));
        var (session1, session2) = (await SessionAsync(lot1.Id), await SessionAsync(lot2.Id));
        Assert.Equal((OpeningState.Decrypting, 3), (session1.State, session1.BidCount));
        Assert.Equal((OpeningState.Retender, 2), (session2.State, session2.BidCount));
        Assert.Contains("openings.session.retender", await TrailAsync(session2.Id.ToString()));

        var staff = await _app.SignInAsync("staff");
        await staff.GotoAsync($"/openings/{session1.Id}/console");
        await Expect(staff.Locator("[data-testid=opening-bids] tbody tr")).ToHaveCountAsync(3);
        await pages["bidder"].GotoAsync($"/openings/{session2.Id}/room");
        await Expect(pages["bidder"].Locator("[data-testid=retender]")).ToBeVisibleAsync();

        // --- Decryption in the browsers: bidder and bidder3 with their key files; bidder2 picks the wrong file and fails.
        foreach (var (user, keyOf) in new[] { ("bidder", "bidder"), ("bidder3", "bidder3"), ("bidder2", "bidder3") })
        {
            var page = pages[user];
            await page.GotoAsync($"/openings/{session1.Id}/room");
            await page.WaitForCircuitAsync();
            await page.Locator("[data-testid=key-file]").SetInputFilesAsync(keys[keyOf]);
            await Field(page, "key-passphrase").FillAsync(BrowserApp.DemoPassword);
            await page.Locator("[data-testid=decrypt]").ClickAsync();
            await Expect(page.Locator(user == keyOf ? "[data-testid=own-decrypted]" : "[data-testid=decrypt-error]")).ToBeVisibleAsync();
        }

        await Expect(pages["bidder2"].Locator("[data-testid=decrypt-error]")).ToContainTextAsync("无法解开");
        // The host sees who has decrypted, live.
        await Expect(staff.Locator("[data-testid=bid-state]").Filter(new() { HasText = "已解密" })).ToHaveCountAsync(2);

        // --- The window ends; the host closes the session: the record comes from the decrypted letters, signed, published.
        await _app.MoveClockAsync(session1.WindowEndsAt.AddMinutes(1));
        // The window's own timer may close the session first (the button then leaves the console): either way the
        // record below must appear, so a click that finds no button is not a failure in itself.
        try
        {
            await staff.Locator("[data-testid=close-session]").ClickAsync(new() { Timeout = 3_000 });
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
        }

        var record = staff.Locator("[data-testid=record-entries] tbody tr");
        await Expect(record).ToHaveCountAsync(2);
        await Expect(staff.Locator("[data-testid=record-verified]")).ToBeVisibleAsync();
        // The first section asks a deposit, which both opened bidders paid: the record says so for each.
        await Expect(staff.Locator("[data-testid=record-entries]")).Not.ToContainTextAsync("无需缴纳");
        await Expect(staff.Locator("[data-testid=record-entries] tbody tr").Filter(new() { HasText = "未缴纳" })).ToHaveCountAsync(0);
        var prices1 = await staff.Locator("[data-testid=record-price]").AllTextContentsAsync();
        Assert.Equal(["8,123,456.78", "8,345,678.90"], prices1.Select(p => p.Trim().TrimStart('¥', '￥').Trim()).Order(StringComparer.Ordinal));
        var sm3 = (await staff.Locator("[data-testid=record-sm3]").TextContentAsync())!.Trim();
        await Expect(staff.Locator("[data-testid=bid-cause]").Filter(new() { HasText = "密钥" })).ToHaveCountAsync(0); // causes are named, not keys
        // Every participant sees the same record live.
        await Expect(pages["bidder2"].Locator("[data-testid=record-sm3]")).ToHaveTextAsync(sm3);
        var noticeLink = await staff.Locator("[data-testid=record-notice]").GetAttributeAsync("href");
        var portal = await _app.AnonymousAsync();
        await portal.GotoAsync(noticeLink!);
        await Expect(portal.Locator("body")).ToContainTextAsync(sm3);

        // The procedure went on past the opening: the tender is opened and the tenderee is asked to request the committee.
        await _app.MoveClockAsync(_app.Clock.GetUtcNow().AddMinutes(1));
        Assert.Equal(TenderStage.Opened, (await TenderAsync(project.Id)).Stage);
        Assert.Contains(await Service<IWorkflowEngine>().GetTasksAsync(new TaskQuery { InstanceId = project.ProcessInstanceId }), t => t.ElementId == "requestCommittee");
        var failed = (await SubmittedOrOpenedAsync(lot1.Id)).Single(b => b.Entity.Contains("第二", StringComparison.Ordinal));
        Assert.NotEqual(OpeningBidState.Decrypted, failed.State);

        // --- Part 2 (issue 13): committee, evaluation, publicity with an objection, award, contract, refunds, archive.
        await FromOpeningToArchiveAsync(project, lot1.Id, pages, tenderee, staff, files);
    }

    /// <summary>Reads until <paramref name="done"/> holds (a page's command commits a moment after the page shows it), at most
    /// 30 s by default (the suite shares two cores with other work).</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 30)
    {
        var value = await read();
        for (var i = 0; i < seconds * 5 && !done(value); i++)
        {
            await Task.Delay(200);
            value = await read();
        }

        return value;
    }

    /// <summary>The text box of a MudBlazor field, wherever the field puts its test id.</summary>
    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea").First;

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(9, 30)), China);

    private static string Marker(string user, int lot) => $"PLAINTEXT-{user.ToUpperInvariant()}-LOT{lot}-3f9c2a";

    /// <summary>A small real PDF with <paramref name="marker"/> in its content stream.</summary>
    private static string Pdf(string folder, string name, string marker)
    {
        var path = Path.Combine(folder, name);
        var text = $"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n4 0 obj<</Length {marker.Length + 20}>>stream\nBT /F1 12 Tf ({marker}) Tj ET\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        File.WriteAllText(path, text, Encoding.ASCII);
        return path;
    }

    private static async Task TypeDateAsync(ILocator schedule, string slot, DateTimeOffset instant)
    {
        var input = schedule.Locator($"[data-testid=schedule-slot-{slot}] input").First;
        await input.FillAsync(instant.ToOffset(China).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await input.PressAsync("Enter");
        // The editable picker opens its calendar on focus; left open it covers the save button: Escape closes it.
        await input.PressAsync("Escape");
        await input.BlurAsync();
    }

    private static async Task FillBidAsync(IPage page, Guid sectionId, string price, string file, string keyFile)
    {
        await page.GotoAsync($"/bids/{sectionId}");
        await page.WaitForCircuitAsync();
        await Field(page, "price").FillAsync(price);
        await page.Locator("[data-testid=bid-files]").SetInputFilesAsync(file);
        await page.Locator("[data-testid=key-file]").SetInputFilesAsync(keyFile);
        await Field(page, "passphrase").FillAsync(BrowserApp.DemoPassword);
        await Expect(page.Locator("[data-testid=submit-bid]")).ToBeEnabledAsync();
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return await reader.ReadToEndAsync();
    }

    private async Task<Project> DemoProjectAsync()
    {
        await using var db = Service<ITradingDatabase>().Create();
        return await db.Set<Project>().AsNoTracking().Include(p => p.Sections).SingleAsync(p => p.Name == ProjectsDemoData.DemoProjectName);
    }

    private async Task<Tender> TenderAsync(Guid projectId) => (await Service<TenderService>().FindAsync(projectId))!;

    private async Task<List<Guid>> BidDocumentsAsync(Guid projectId)
    {
        await using var db = Service<ITradingDatabase>().Create();
        var bids = await db.Set<SealedBid>().AsNoTracking().Include(b => b.Items).Where(b => b.ProjectId == projectId).ToListAsync();
        return [.. bids.SelectMany(b => b.Items).Select(i => i.CiphertextDocumentId)];
    }

    private async Task<List<(string Entity, SealedBidState State)>> SubmittedAsync(Guid sectionId)
    {
        await using var db = Service<ITradingDatabase>().Create();
        var rows = await db.Set<SealedBid>().AsNoTracking().Where(b => b.SectionId == sectionId && b.State == SealedBidState.Submitted)
            .Join(db.Set<Domain.Market.MarketEntity>().AsNoTracking(), b => b.EntityId, e => e.Id, (b, e) => new { e.Name, b.State }).ToListAsync();
        return [.. rows.Select(r => (r.Name, r.State))];
    }

    private async Task<List<(string Entity, OpeningBidState State)>> SubmittedOrOpenedAsync(Guid sectionId)
    {
        await using var db = Service<ITradingDatabase>().Create();
        var session = await db.Set<OpeningSession>().AsNoTracking().SingleAsync(s => s.SectionId == sectionId);
        var rows = await db.Set<OpeningBid>().AsNoTracking().Where(b => b.SessionId == session.Id)
            .Join(db.Set<Domain.Market.MarketEntity>().AsNoTracking(), b => b.EntityId, e => e.Id, (b, e) => new { e.Name, b.State }).ToListAsync();
        return [.. rows.Select(r => (r.Name, r.State))];
    }

    private async Task<OpeningSession> SessionAsync(Guid sectionId)
    {
        await using var db = Service<ITradingDatabase>().Create();
        return await db.Set<OpeningSession>().AsNoTracking().SingleAsync(s => s.SectionId == sectionId);
    }

    private async Task<List<string>> TrailAsync(string subjectId)
    {
        await using var db = Service<ITradingDatabase>().Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.SubjectId == subjectId).Select(e => e.Action).ToListAsync();
    }
}
