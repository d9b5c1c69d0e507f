using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Org.BouncyCastle.Crypto.Digests;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Evaluation;
using Trading.Workflow.Domain.Experts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Deposits;
using Trading.Workflow.Web.Experts;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.EngineeringConstruction;

/// <summary>
/// The second half of the demo walk (issue 13): from the opened tender to the archive, continuing the same run. The
/// tenderee sets the evaluation method and requests the committee; the drawn experts confirm, evaluate, write and sign
/// the report, each in a browser context of its own; during the publicity a bidder objects and the tenderee answers;
/// the award; the contract and the winner report; the deposits refunded with interest by the refund timer; staff
/// download the archive and every hash in its manifest verifies.
/// </summary>
public sealed partial class EngineeringTenderBrowserTests
{
    /// <summary>
    /// Each bidder opens its deposit sub-account for the section on /deposits, in its own browser; then the bank (an
    /// outside party: the mock bank's signed callback, as /demo/bank sends it) reports the payment from the bidder's
    /// basic account.
    /// </summary>
    private async Task PayDepositsAsync(Project project, Guid sectionId, IReadOnlyDictionary<string, IPage> bidders, params string[] users)
    {
        var code = project.Sections.Single(s => s.Id == sectionId).Code;
        using var http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        foreach (var user in users)
        {
            var page = bidders[user];
            await page.GotoAsync("/deposits");
            await page.WaitForCircuitAsync();
            var row = page.Locator("[data-testid=my-deposits] tbody tr").Filter(new() { HasText = project.Name }).Filter(new() { HasText = code });
            if (await row.CountAsync() == 0)
            {
                await page.Locator("[data-testid=open-section]").ClickAsync();
                await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = project.Name }).Filter(new() { HasText = code }).First.ClickAsync();
                await Expect(page.Locator("[data-testid=open-account]")).ToBeEnabledAsync();
                await page.Locator("[data-testid=open-account]").ClickAsync();
            }

            await Expect(row).ToHaveCountAsync(1);
            var number = (await row.Locator("[data-testid=sub-account]").TextContentAsync())!.Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
            var entityName = (await row.Locator("[data-testid=deposit-entity]").TextContentAsync())!.Trim();
            await using var db = Service<ITradingDatabase>().Create();
            var entity = await db.Set<MarketEntity>().AsNoTracking().SingleAsync(e => e.Name == entityName);
            var basic = (await Service<IBasicAccountLookup>().FindAsync(entity.Id, CancellationToken.None))!;
            var section = await db.Set<DepositSection>().AsNoTracking().SingleAsync(s => s.SectionId == sectionId);
            using var response = await Service<MockBank>().SendDepositAsync(http,
                new BankDeposit("DEMO-" + Guid.NewGuid().ToString("N")[..10], section.Amount, entity.Name, basic.AccountNumber, basic.Bank, number, _app.Clock.GetUtcNow()),
                CancellationToken.None);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            await page.ReloadAsync();
            await page.WaitForCircuitAsync();
            await Expect(row.Locator("[data-testid=held]")).Not.ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*[¥￥]?\s*0\.00\s*$"));
        }
    }

    private async Task FromOpeningToArchiveAsync(Project project, Guid lot1, IReadOnlyDictionary<string, IPage> bidders, IPage tenderee, IPage staff, string files)
    {
        var engine = Service<IWorkflowEngine>();

        // --- The draw waits for the evaluation method: the request task says where to set it and offers no draw.
        await OpenTaskAsync(tenderee, project, "requestCommittee", claim: true);
        await Expect(tenderee.Locator("[data-testid=draw-method-missing]")).ToBeVisibleAsync();
        await Expect(tenderee.Locator("[data-testid=draw-submit]")).ToBeDisabledAsync();
        await _app.ShotAsync(tenderee, "tenderee-draw-request-without-method");

        // --- The tenderee sets the method of its tender documents on the evaluation page (comprehensive scoring: price
        // 40 points by the average-less-K formula, construction design 40, record and reputation 20).
        await tenderee.Locator("[data-testid=draw-method-missing] a[data-testid=draw-method-link]").ClickAsync();
        await tenderee.WaitForURLAsync($"**/evaluations/{project.Id}");
        await tenderee.WaitForCircuitAsync();
        await Expect(tenderee.Locator("[data-testid=method-criterion]")).ToHaveCountAsync(2);
        await tenderee.Locator("[data-testid=method-save]").ClickAsync();
        await Expect(tenderee.GetByText("评标方法已保存。")).ToBeVisibleAsync(); // the tenderee keeps the editor until the evaluation opens
        await _app.ShotAsync(tenderee, "tenderee-evaluation-method");
        Assert.Equal(EvaluationMethodKind.ComprehensiveScoring, (await UntilAsync(() => Service<EvaluationService>().PlanAsync(project.Id), p => p is not null))!.Method.Kind);

        // --- ... and requests the committee in its task, which now shows the method: four building experts and one
        // cost expert, drawn at once; the task completes with the committee.
        await OpenTaskAsync(tenderee, project, "requestCommittee", claim: false);
        await Expect(tenderee.Locator("[data-testid=draw-method-kind]")).ToContainTextAsync("综合评估法");
        await Expect(tenderee.Locator("[data-testid=draw-submit]")).ToBeEnabledAsync();
        await _app.ShotAsync(tenderee, "tenderee-draw-request-with-method");
        await tenderee.Locator("[data-testid=draw-submit]").ClickAsync();
        await tenderee.WaitForURLAsync(url => url.EndsWith("/inbox", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        var committee = await UntilAsync(() => Service<CommitteeService>().FindByProjectAsync(project.Id), c => c is not null);
        var drawn = committee!.Invitations.Where(i => i.State == InvitationState.Invited).Select(i => i.UserName).Distinct().ToList();
        Assert.Equal(5, drawn.Count);
        await UntilAsync(() => TasksAsync(project, "requestCommittee"), t => t.Count == 0);

        // --- Each drawn expert, in a browser of its own, confirms its invitation; the last one completes the committee.
        var experts = new Dictionary<string, IPage>();
        foreach (var user in drawn)
        {
            var page = experts[user] = await _app.SignInAsync(user);
            await page.GotoAsync("/experts/invitations");
            await page.WaitForCircuitAsync();
            var invitation = page.Locator("[data-testid=invitation]").Filter(new() { HasText = project.Code });
            await _app.ShotAsync(page, $"{user}-invitation");
            await invitation.Locator("[data-testid=invitation-confirm]").ClickAsync();
            await Expect(invitation.Locator("[data-testid=invitation-confirm]")).ToHaveCountAsync(0);
        }

        // --- The committee is complete ahead of the requested start: the evaluation waits for it, and the expert's
        // invitation and the tenderee's evaluation page say when it starts.
        await UntilAsync(() => Service<CommitteeService>().FindByProjectAsync(project.Id), c => c!.State == CommitteeState.Confirmed);
        var lastExpert = experts[drawn[^1]];
        await lastExpert.ReloadAsync();
        await lastExpert.WaitForCircuitAsync();
        await Expect(lastExpert.Locator("[data-testid=invitation]").Filter(new() { HasText = project.Code }).Locator("[data-testid=evaluation-start-scheduled]"))
            .ToContainTextAsync("评标将于");
        await tenderee.GotoAsync($"/evaluations/{project.Id}");
        await tenderee.WaitForCircuitAsync();
        await Expect(tenderee.Locator("[data-testid=evaluation-start-scheduled]")).ToContainTextAsync(ExpertsWeb.Format(committee.EvaluationStartsAt));
        await _app.ShotAsync(tenderee, "tenderee-evaluation-starts-at");
        Assert.Empty(await TasksAsync(project, "evaluation"));

        // --- The demo walk does not wait for the day: staff fire the start timer from the instance viewer (演示：立即到期).
        await staff.GotoAsync($"/instances/{project.ProcessInstanceId}");
        await staff.WaitForCircuitAsync();
        await staff.GetByRole(AriaRole.Tab, new() { Name = "定时器", Exact = true }).ClickAsync();
        var startTimer = staff.Locator("[data-testid=viewer-timers] tr[data-element-id=evaluationStarts]");
        await Expect(startTimer).ToContainTextAsync("评标开始时间到");
        await _app.ShotAsync(staff, "staff-evaluation-start-timer");
        await startTimer.Locator("[data-testid=timer-fast-forward]").ClickAsync();
        await staff.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "确定", Exact = true }).ClickAsync();

        var tasks = await UntilAsync(() => TasksAsync(project, "evaluation"), t => t.Count == 5);
        Assert.Equal(drawn.Order(StringComparer.Ordinal), tasks.Select(t => t.Assignee!).Order(StringComparer.Ordinal));

        // --- Five experts evaluate side by side, each from its inbox: both decrypted bids pass the qualification review
        // and are scored on both criteria (the price score is the formula's); each submits its sheet and completes.
        var scores = new[] { ("35", "18"), ("31", "16") };
        foreach (var task in tasks)
        {
            var page = experts[task.Assignee!];
            await page.GotoAsync("/inbox");
            await page.WaitForCircuitAsync();
            await page.Locator($"a[href='/inbox/tasks/{task.Id}']").First.ClickAsync();
            await page.WaitForURLAsync($"**/inbox/tasks/{task.Id}");
            await page.WaitForCircuitAsync();
            await Expect(page.Locator("[data-testid=price-row]")).ToHaveCountAsync(2);
            var reviews = page.Locator("[data-testid=review]");
            await Expect(reviews).ToHaveCountAsync(2);
            // Both opened bidders paid before the deadline: the record says so and each bid may pass.
            await Expect(page.Locator("[data-testid=bid-deposit]").Filter(new() { HasText = "已缴纳" })).ToHaveCountAsync(2);
            await Expect(page.Locator("[data-testid=deposit-unpaid-reason]")).ToHaveCountAsync(0);
            if (task == tasks[0])
            {
                await _app.ShotAsync(page, $"{task.Assignee}-workbench");
                // The same workbench in English names the bid letter in English (its stored name, 投标函.json, stays).
                await page.GotoAsync($"/culture/set?culture=en&redirectUri=/inbox/tasks/{task.Id}");
                await page.WaitForCircuitAsync();
                await Expect(page.Locator("[data-testid=bid-item]").Filter(new() { HasText = "Bid letter" })).ToHaveCountAsync(2);
                await Expect(page.Locator("[data-testid=evaluation-sheet-editor]")).Not.ToContainTextAsync("投标函");
                await _app.ShotAsync(page, $"{task.Assignee}-workbench-en");
                await page.GotoAsync($"/culture/set?culture=zh-CN&redirectUri=/inbox/tasks/{task.Id}");
                await page.WaitForCircuitAsync();
                await Expect(reviews).ToHaveCountAsync(2);
            }

            for (var i = 0; i < 2; i++)
            {
                var review = reviews.Nth(i);
                await review.Locator("[data-testid=verdict-pass]").ClickAsync();
                await ScoreAsync(review, "c1", scores[i].Item1);
                await ScoreAsync(review, "c2", scores[i].Item2);
            }

            await page.Locator("[data-testid=workbench-submit]").ClickAsync();
            await Expect(page.Locator("[data-testid=workbench-complete]")).ToBeVisibleAsync();
            await _app.ShotAsync(page, $"{task.Assignee}-workbench-submitted");
            await page.Locator("[data-testid=workbench-complete]").ClickAsync();
            await UntilAsync(() => TasksAsync(project, "evaluation"), t => t.All(o => o.Id != task.Id));
        }

        // --- The chair writes the report; every member signs it.
        var report = Assert.Single(await UntilAsync(() => TasksAsync(project, "writeReport"), t => t.Count == 1));
        var chair = experts[report.Assignee!];
        await chair.GotoAsync($"/inbox/tasks/{report.Id}");
        await chair.WaitForCircuitAsync();
        await Field(chair, "report-summary").FillAsync("两家投标均通过资格评审，按综合评估法得分排序推荐中标候选人。");
        await chair.Locator("[data-testid=report-write]").ClickAsync();
        await Expect(Field(chair, "report-summary")).ToBeDisabledAsync(); // written: the summary is kept, read-only
        await _app.ShotAsync(chair, $"{report.Assignee}-chair-report");
        await chair.Locator("[data-testid=report-complete]").ClickAsync();
        await UntilAsync(() => TasksAsync(project, "writeReport"), t => t.Count == 0);
        foreach (var task in await UntilAsync(() => TasksAsync(project, "confirmReport"), t => t.Count == 5))
        {
            var page = experts[task.Assignee!];
            await page.GotoAsync($"/inbox/tasks/{task.Id}");
            await page.WaitForCircuitAsync();
            await page.Locator("[data-testid=answer-agree]").ClickAsync();
            await page.Locator("[data-testid=report-confirm]").ClickAsync();
            await Expect(page.Locator("[data-testid=report-answered]")).ToBeVisibleAsync();
            await _app.ShotAsync(page, $"{task.Assignee}-report-signed");
            await page.Locator("[data-testid=report-complete]").ClickAsync();
            await UntilAsync(() => TasksAsync(project, "confirmReport"), t => t.All(o => o.Id != task.Id));
        }

        // --- The candidates are published on the portal; a bidder objects during the publicity and the award waits for
        // the tenderee's answer.
        var award = (await UntilAsync(() => Service<AwardService>().GetAsync(project.Id), a => a is not null, seconds: 30))!;
        var objector = bidders["bidder3"];
        await objector.GotoAsync($"/engineering/tenders/{project.Id}/award");
        await objector.WaitForCircuitAsync();
        await Field(objector, "objection-text").FillAsync("第一中标候选人的项目经理在其他在建项目任职，请核查。");
        await objector.Locator("[data-testid=objection-raise]").ClickAsync();
        await _app.ShotAsync(objector, "bidder3-objection-raised");
        await UntilAsync(() => TasksAsync(project, "aw_answerObjections"), t => t.Count == 1);
        await OpenTaskAsync(tenderee, project, "aw_answerObjections", claim: true);
        await Field(tenderee, "objection-answer").FillAsync("经核查，该项目经理已于开标前办理变更，异议不成立。");
        await tenderee.Locator("[data-testid=objection-send]").ClickAsync();
        await Expect(tenderee.Locator("[data-testid=objection-answered]")).ToHaveCountAsync(1);
        await _app.ShotAsync(tenderee, "tenderee-objection-answered");
        await tenderee.Locator("[data-testid=award-task-continue]").ClickAsync();
        await UntilAsync(() => TasksAsync(project, "aw_answerObjections"), t => t.Count == 0);
        await objector.ReloadAsync();
        await objector.WaitForCircuitAsync();
        await Expect(objector.Locator("[data-testid=objection-answered]")).ToHaveCountAsync(1);

        // --- The publicity's end (timer): the tenderee awards rank 1 (state-funded, 条例 55); notices go out at one moment.
        await _app.MoveClockAsync(award.Award.PublicityEndsAt.AddMinutes(1));
        await UntilAsync(() => TasksAsync(project, "aw_awardDecision"), t => t.Count == 1);
        await OpenTaskAsync(tenderee, project, "aw_awardDecision", claim: true);
        await tenderee.Locator("[data-testid=decision-candidate]").First.ClickAsync();
        await tenderee.Locator("[data-testid=decision-award]").ClickAsync();
        await Expect(tenderee.Locator("[data-testid=decision-done]")).ToBeVisibleAsync();
        await _app.ShotAsync(tenderee, "tenderee-award-decided");
        await tenderee.Locator("[data-testid=award-task-continue]").ClickAsync();

        // Each opened bidder sees its own notice, a real PDF.
        foreach (var user in new[] { "bidder", "bidder3" })
        {
            var page = bidders[user];
            await page.GotoAsync($"/engineering/tenders/{project.Id}/award");
            await page.WaitForCircuitAsync();
            var pdf = page.Locator("a[data-testid=award-notice-pdf]");
            await Expect(pdf).ToHaveCountAsync(1);
            var notice = await page.APIRequest.GetAsync((await pdf.GetAttributeAsync("href"))!);
            Assert.Equal(200, notice.Status);
            Assert.StartsWith("%PDF-", Encoding.ASCII.GetString((await notice.BodyAsync())[..5]), StringComparison.Ordinal);
            await _app.ShotAsync(page, $"{user}-award-notice");
        }

        // --- The signed contract (bond 5%) and the written report to the supervising department.
        await UntilAsync(() => TasksAsync(project, "aw_uploadContracts"), t => t.Count == 1);
        await OpenTaskAsync(tenderee, project, "aw_uploadContracts", claim: true);
        var contractBlock = tenderee.Locator("[data-testid=contract-section]").First;
        await contractBlock.Locator("[data-testid=upload-input]").SetInputFilesAsync(Pdf(files, "施工合同（已签署，演示数据）.pdf", "SIGNED-CONTRACT"));
        await Expect(contractBlock.Locator("[data-testid=upload-done]")).ToBeVisibleAsync();
        await Field(tenderee, "contract-bond").FillAsync("400000");
        await tenderee.Locator("[data-testid=contract-upload]").ClickAsync();
        await Expect(tenderee.Locator("[data-testid=contract-uploaded]")).ToHaveCountAsync(1);
        await _app.ShotAsync(tenderee, "tenderee-contract-uploaded");
        await tenderee.Locator("[data-testid=award-task-continue]").ClickAsync();
        await UntilAsync(() => TasksAsync(project, "aw_winnerReport"), t => t.Count == 1);
        await OpenTaskAsync(tenderee, project, "aw_winnerReport", claim: true);
        await tenderee.Locator("[data-testid=winner-report] [data-testid=upload-input]").SetInputFilesAsync(Pdf(files, "招标投标情况书面报告（演示数据）.pdf", "WINNER-REPORT"));
        await Expect(tenderee.Locator("[data-testid=winner-report] [data-testid=upload-done]")).ToBeVisibleAsync();
        await tenderee.Locator("[data-testid=report-submit]").ClickAsync();
        await Expect(tenderee.Locator("[data-testid=report-submitted]")).ToBeVisibleAsync();
        await _app.ShotAsync(tenderee, "tenderee-winner-report");
        await tenderee.Locator("[data-testid=award-task-continue]").ClickAsync();

        // --- After the contract the procedure schedules the refunds and archives the project; the refund timer pays each
        // deposit with interest through the bank, and each bidder sees its refund with the interest on /deposits.
        var instance = await UntilAsync(() => engine.GetInstanceAsync(project.ProcessInstanceId!.Value).AsTask(), i => i!.State == InstanceState.Completed, seconds: 30);
        Assert.Equal(InstanceState.Completed, instance!.State);
        // The refund timer sends each instruction to the bank (the file adapter: accepted); the bank then reports each
        // paid through its signed callback, sent here from the demo bank page as a demo user would.
        var sent = await UntilAsync(() => RefundsAsync(lot1), r => r.Count == 2 && r.All(i => i.State != InstructionState.Decided), seconds: 60);
        Assert.Equal(2, sent.Count);
        await staff.GotoAsync("/demo/bank");
        await staff.WaitForCircuitAsync();
        var pay = staff.Locator("[data-testid=mock-instructions] [data-testid=mock-pay]");
        await Expect(staff.Locator("[data-testid=mock-instructions]")).ToBeVisibleAsync();
        for (var left = await pay.CountAsync(); left > 0; left--)
        {
            await pay.First.ClickAsync();
            await Expect(pay).ToHaveCountAsync(left - 1);
        }

        await Expect(staff.Locator("[data-testid=mock-result]")).ToContainTextAsync("200");

        var refunds = await UntilAsync(() => RefundsAsync(lot1), r => r.All(i => i.State == InstructionState.Paid));
        Assert.Equal(2, refunds.Count);
        Assert.All(refunds, r => Assert.True(r.State == InstructionState.Paid && r.Interest > 0m, $"{r.State}, interest {r.Interest}"));
        foreach (var user in new[] { "bidder", "bidder3" })
        {
            var page = bidders[user];
            await page.GotoAsync("/deposits");
            await page.WaitForCircuitAsync();
            var interest = page.Locator("[data-testid=refunds] [data-testid=refund-interest]");
            await Expect(interest).Not.ToHaveCountAsync(0);
            Assert.Contains(await interest.AllTextContentsAsync(), t => refunds.Any(r => t.Contains(r.Interest.ToString("N2", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
            await _app.ShotAsync(page, $"{user}-deposits-refunded");
        }

        // --- Staff find the archive on /archive and download it; the manifest's SM3 is the one the page shows and every
        // file's SM3, computed here independently, matches the manifest.
        await staff.GotoAsync("/archive");
        await staff.WaitForCircuitAsync();
        var archived = staff.Locator("[data-testid=archives] tbody tr").Filter(new() { HasText = project.Code });
        await Expect(archived).ToHaveCountAsync(1);
        var shownSm3 = (await archived.Locator("[data-testid=archive-manifest-sm3]").TextContentAsync())!.Trim();
        await archived.Locator("[data-testid=archive-verify]").ClickAsync();
        await Expect(archived.Locator("[data-testid=archive-verify-result]")).ToBeVisibleAsync();
        await _app.ShotAsync(staff, "staff-archive-verified");
        var href = (await archived.Locator("[data-testid=archive-download]").GetAttributeAsync("href"))!;
        var response = await staff.APIRequest.GetAsync(href);
        Assert.Equal(200, response.Status);
        var bytes = await response.BodyAsync();
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var manifestBytes = Read(zip.GetEntry(ArchiveManifest.ManifestPath)!);
        Assert.Equal(shownSm3, Sm3(manifestBytes));
        Assert.Equal(shownSm3, Encoding.ASCII.GetString(Read(zip.GetEntry(ArchiveManifest.ManifestHashPath)!)).Trim());
        using var manifest = JsonDocument.Parse(manifestBytes);
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.True(listed.Count >= 5, $"{listed.Count} files in the archive");
        foreach (var file in listed)
        {
            var path = file.GetProperty("path").GetString()!;
            Assert.Equal(file.GetProperty("sm3").GetString(), Sm3(Read(zip.GetEntry(path) ?? throw new InvalidOperationException($"{path} is listed but missing"))));
        }

        Assert.Contains(listed, f => f.GetProperty("path").GetString()!.Contains("施工合同", StringComparison.Ordinal));
        if (EngineeringTenderApp.ShotsFolder is not null)
        {
            // The walk's other roles, for the screenshots only: a supervisor (the draw record unsealed, the award's
            // supervision) and the public (the portal's award page); none of them acts.
            var supervisor = await _app.SignInAsync("supervisor");
            foreach (var (path, name) in new[] { ($"/experts/committees/{project.Id}", "supervisor-draw-record"), ("/supervision/engineering-award", "supervisor-award"), ("/archive", "supervisor-archive") })
            {
                await supervisor.GotoAsync(path);
                await supervisor.WaitForCircuitAsync();
                await _app.ShotAsync(supervisor, name);
            }

            var anonymous = await _app.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _app.BaseUrl, ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
            await anonymous.GotoAsync($"/portal/engineering/{project.Id}/award");
            await anonymous.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await _app.ShotAsync(anonymous, "public-portal-award");
            await staff.GotoAsync("/deposits/late");
            await staff.WaitForCircuitAsync();
            await _app.ShotAsync(staff, "staff-late-refunds");
        }

        foreach (var page in experts.Values)
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task ScoreAsync(ILocator review, string criterion, string points)
    {
        var input = review.Locator($"input[data-testid=score-{criterion}], [data-testid=score-{criterion}] input").First;
        await input.FillAsync(points);
        await input.BlurAsync();
    }

    /// <summary>Opens the project's open task of <paramref name="elementId"/> from the inbox link, claiming it when offered to a role.</summary>
    private async Task OpenTaskAsync(IPage page, Project project, string elementId, bool claim)
    {
        var task = Assert.Single(await UntilAsync(() => TasksAsync(project, elementId), t => t.Count == 1));
        await page.GotoAsync($"/inbox/tasks/{task.Id}");
        await page.WaitForCircuitAsync();
        if (claim && task.Assignee is null)
        {
            await page.Locator("[data-testid=task-claim]").ClickAsync();
            await UntilAsync(() => TasksAsync(project, elementId), t => t.Count == 1 && t[0].Assignee is not null);
        }
    }

    private async Task<List<UserTaskInfo>> TasksAsync(Project project, string elementId) =>
        [.. (await Service<IWorkflowEngine>().GetTasksAsync(new TaskQuery { InstanceId = project.ProcessInstanceId })).Where(t => t.ElementId == elementId)];

    private async Task<List<BankInstruction>> RefundsAsync(Guid sectionId)
    {
        await using var db = Service<ITradingDatabase>().Create();
        return await db.Set<BankInstruction>().AsNoTracking().Where(i => i.Kind == InstructionKind.Refund && i.SectionId == sectionId).ToListAsync();
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>SM3 by BouncyCastle, independent of the platform's own implementation.</summary>
    private static string Sm3(byte[] data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data, 0, data.Length);
        var hash = new byte[digest.GetDigestSize()];
        digest.DoFinal(hash, 0);
        return Convert.ToHexStringLower(hash);
    }
}
