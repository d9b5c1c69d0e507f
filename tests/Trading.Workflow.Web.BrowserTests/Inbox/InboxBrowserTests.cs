using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.Inbox;

/// <summary>The inbox, the task form and the instance viewer in real Chromium against the real app and database.</summary>
public sealed class InboxBrowserTests : IClassFixture<BrowserApp>
{
    private readonly BrowserApp _app;

    public InboxBrowserTests(BrowserApp app)
    {
        _app = app;

        // Blazor Server pages render, connect and re-render: allow for a loaded CI machine.
        SetDefaultExpectTimeout(15_000);
    }

    private const string OpenTender = "engineering-construction.open-tender";

    private IWorkflowEngine Engine => _app.Services.GetRequiredService<IWorkflowEngine>();

    private static string NewCode() => "BT-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private async Task<Guid> StartAsync(string code)
    {
        var instance = await Engine.StartAsync(OpenTender, code, new Dictionary<string, object?>
        {
            ["projectCode"] = code,
            ["projectName"] = "演示学校教学楼新建工程",
            ["initiator"] = "tenderee",
        }, "tenderee");
        return instance.Id;
    }

    private async Task<UserTaskInfo> OpenTaskAsync(Guid instanceId) =>
        Assert.Single(await Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId }));

    /// <summary>The tenderee's announcement, submitted through the engine, so the review task waits for staff.</summary>
    private async Task<Guid> StartAtReviewAsync(string code)
    {
        var instanceId = await StartAsync(code);
        var task = await OpenTaskAsync(instanceId);
        await Engine.ClaimTaskAsync(task.Id, "tenderee");
        await Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?>
        {
            ["announcementTitle"] = "教学楼新建工程施工招标公告",
            ["announcementText"] = "本项目已批准建设，现公开招标，欢迎符合资格条件的投标人参加投标。",
            ["estimatedPrice"] = 8_600_000m,
            ["depositAmount"] = 100_000m,
        }, "tenderee");
        return instanceId;
    }

    private static async Task FilterByProjectAsync(IPage page, string code)
    {
        await Expect(page.Locator("[data-testid=inbox-heading][data-interactive=true]")).ToHaveCountAsync(1);
        var projectCode = page.Locator("[data-testid=filter-project-code] input, input[data-testid=filter-project-code]");
        await projectCode.FillAsync(code);
        await projectCode.PressAsync("Tab");
    }

    [Fact]
    public async Task NewInstance_ReachesTheRolesInboxWithoutAReload()
    {
        var code = NewCode();
        var page = await _app.SignInAsync("tenderee");
        await page.GotoAsync("/inbox?tab=Group");
        await FilterByProjectAsync(page, code);
        await Expect(page.Locator("[data-testid=inbox-grid]")).ToContainTextAsync("没有任务");

        await StartAsync(code);

        await Expect(page.Locator("[data-testid=task-project]", new() { HasTextString = code })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=task-link]", new() { HasTextString = "提交招标公告" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Inbox_OpensWithTheUsersTasks_WithoutRefreshFilterOrTabSwitch()
    {
        var code = NewCode();
        var instanceId = await StartAtReviewAsync(code);
        await Engine.ClaimTaskAsync((await OpenTaskAsync(instanceId)).Id, "staff");
        var page = await _app.SignInAsync("staff");

        await page.GotoAsync("/inbox");

        await Expect(page.Locator("[data-testid=task-project]", new() { HasTextString = code })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=inbox-heading][data-interactive=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=task-project]", new() { HasTextString = code })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Staff_ClaimsAndCompletesTheReviewThroughItsForm_AfterAValidationError()
    {
        var code = NewCode();
        var instanceId = await StartAtReviewAsync(code);
        var page = await _app.SignInAsync("staff");
        await page.GotoAsync("/inbox?tab=Group");
        await FilterByProjectAsync(page, code);
        await page.Locator("[data-testid=claim]").ClickAsync();
        await page.WaitForURLAsync("**/inbox/tasks/**");
        await Expect(page.Locator("[data-testid=task-title][data-interactive=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=task-complete]")).ToBeVisibleAsync();

        await page.ClickAsync("[data-testid=task-complete]");
        await Expect(page.Locator("[data-testid=field-error-reviewDecision]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "通过，发布公告" }).ClickAsync();
        await page.FillAsync("[data-testid=form-field-reviewComment] textarea", "公告内容符合要求，同意发布。");
        await page.PressAsync("[data-testid=form-field-reviewComment] textarea", "Tab");
        await page.ClickAsync("[data-testid=task-complete]");

        await page.WaitForURLAsync(url => url.EndsWith("/inbox", StringComparison.Ordinal));
        var variables = await Engine.GetVariablesAsync(instanceId);
        Assert.Equal("approve", variables["reviewDecision"]);
        Assert.Equal("公告内容符合要求，同意发布。", variables["reviewComment"]);
        Assert.Contains("documentSaleEnds", (await Engine.GetInstanceAsync(instanceId))!.ActiveElementIds);
    }

    [Fact]
    public async Task InstanceViewer_HighlightsTheCurrentElement()
    {
        var instanceId = await StartAsync(NewCode());
        var page = await _app.SignInAsync("staff");

        await page.GotoAsync($"/instances/{instanceId}");

        await Expect(page.Locator("[data-testid=process-diagram][data-rendered=true]")).ToBeVisibleAsync();
        await Expect(page.Locator(".tw-active[data-element-id=submitAnnouncement]")).ToHaveCountAsync(1);
        await Expect(page.Locator(".tw-active")).ToHaveCountAsync(1);
        await Expect(page.Locator(".tw-taken[data-element-id=start]")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Supervisor_SeesTheInstanceAndTaskButIsOfferedNoChange()
    {
        var instanceId = await StartAsync(NewCode());
        var task = await OpenTaskAsync(instanceId);
        var page = await _app.SignInAsync("supervisor");

        await page.GotoAsync($"/instances/{instanceId}");
        await Expect(page.Locator("[data-testid=viewer-read-only]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=admin-actions]")).ToHaveCountAsync(0);
        await page.GotoAsync($"/inbox/tasks/{task.Id}");
        await Expect(page.Locator("[data-testid=task-title]")).ToBeVisibleAsync();

        await Expect(page.Locator("[data-testid=task-claim]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=task-complete]")).ToHaveCountAsync(0);
        Assert.Null((await Engine.GetTaskAsync(task.Id))!.Assignee);
    }

    [Fact]
    public async Task InstanceStartedOnVersion1_StillShowsVersion1_AfterVersion2IsPublished()
    {
        var versions = _app.Services.GetRequiredService<ProcessVersionService>();
        var first = await StartAsync(NewCode());
        var xml = (await versions.GetXmlAsync(OpenTender, 1))!;
        await versions.SaveDraftAsync(xml.Replace("提交招标公告：", "提交招标公告（第二版）：", StringComparison.Ordinal), "admin");
        var published = await versions.PublishAsync(OpenTender, "admin", "第二版：任务名称");
        var secondCode = NewCode();
        await StartAsync(secondCode);
        var page = await _app.SignInAsync("tenderee");

        await page.GotoAsync("/inbox?tab=Group");
        await FilterByProjectAsync(page, secondCode);
        await Expect(page.Locator("[data-testid=task-link]", new() { HasTextString = "（第二版）" })).ToBeVisibleAsync();
        var staff = await _app.SignInAsync("staff");
        await staff.GotoAsync($"/instances/{first}");

        await Expect(staff.Locator("[data-testid=viewer-version]")).ToContainTextAsync("1");
        await Expect(staff.Locator("[data-testid=viewer-version]")).Not.ToContainTextAsync(published.Version!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
