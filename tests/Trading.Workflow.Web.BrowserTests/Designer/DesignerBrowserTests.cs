using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Forms;

namespace Trading.Workflow.Web.BrowserTests.Designer;

public sealed class DesignerBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly XNamespace Bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    private static readonly XNamespace Tw = "http://trading.workflow/schema/bpmn";

    [Fact]
    public async Task Administrator_AddsUserTaskForRoleInPanel_AndPublishesVersion2()
    {
        var processId = await PublishVersion1Async("review_publish");
        var page = await OpenDesignerAsync(processId);

        await page.ClickAsync(Shape("Review"));
        await page.ClickAsync(".djs-context-pad [data-action='append.append-task']");
        await page.Keyboard.TypeAsync("复核招标文件");
        await page.ClickAsync(Shape("End"));
        var newTaskId = await NewTaskIdAsync(page);
        await page.ClickAsync(Shape(newTaskId));
        await page.ClickAsync(".djs-context-pad [data-action='replace']");
        await page.ClickAsync(".djs-popup [data-id='replace-with-user-task']");
        await page.ClickAsync("[data-group-id='group-tw-roles'] .bio-properties-panel-group-header");
        await page.CheckAsync("#bio-properties-panel-tw-role-Supervisor");
        await page.ClickAsync("#tw-save");
        await Expect(page.Locator("#tw-message")).ToContainTextAsync("草稿已保存");
        await page.GetByRole(AriaRole.Tab, new() { Name = "版本", Exact = true }).ClickAsync();
        await page.FillAsync("#tw-change-note", "增加监管复核");
        await page.PressAsync("#tw-change-note", "Tab");
        await page.ClickAsync("#tw-publish");

        await Expect(page.Locator("#tw-versions .tw-version-row[data-version='2']")).ToBeVisibleAsync();
        var xml = await Catalog.GetXmlAsync(processId, 2);
        var task = XDocument.Parse(xml!).Descendants(Bpmn + "userTask").Single(t => (string?)t.Attribute("id") == newTaskId);
        Assert.Equal(("复核招标文件", "Supervisor"), ((string?)task.Attribute("name"), (string?)task.Attribute(Tw + "candidateRoles")));
    }

    [Fact]
    public async Task ImportingInvalidBpmn_ShowsValidatorProblemsOnElementsAndInList()
    {
        var processId = await PublishVersion1Async("browser_review");
        var page = await OpenDesignerAsync(processId);

        await page.SetInputFilesAsync("#tw-import", Path.Combine(AppContext.BaseDirectory, "Designer", "Files", "invalid-import.bpmn"));

        await Expect(page.Locator("#tw-problems .tw-problem-row[data-code='USER_TASK_NO_RECEIVER'][data-element-id='NobodyTask']")).ToBeVisibleAsync();
        await Expect(page.Locator("#tw-problems .tw-problem-row[data-code='SCRIPT_TASK_REFUSED'][data-element-id='RunScript']")).ToBeVisibleAsync();
        await Expect(page.Locator(".tw-problem-badge[data-element-id='NobodyTask']")).ToBeVisibleAsync();
        await Expect(page.Locator(".tw-problem-badge[data-element-id='RunScript']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task NavigatingAway_WithUnsavedChanges_AsksBeforeLeaving()
    {
        var processId = await PublishVersion1Async("review_unsaved");
        var page = await OpenDesignerAsync(processId);
        await page.ClickAsync(Shape("Review"));
        await page.ClickAsync(".djs-context-pad [data-action='delete']");
        await Expect(page.Locator("#tw-unsaved")).ToBeVisibleAsync();
        var asked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Dialog += async (_, dialog) =>
        {
            asked.TrySetResult(dialog.Message);
            await dialog.DismissAsync();
        };

        await page.ClickAsync("a.tw-brand");

        var message = await asked.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Expect(page.Locator("#tw-unsaved")).ToBeVisibleAsync();
        Assert.Equal(("有未保存的修改，确定要离开吗？修改将丢失。", true), (message, page.Url.Contains($"/designer/{processId}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DryRun_ColoursThePathTakenOnTheDiagram()
    {
        var processId = await PublishVersion1Async("review_dryrun");
        var page = await OpenDesignerAsync(processId);
        await page.GetByRole(AriaRole.Tab, new() { Name = "试运行", Exact = true }).ClickAsync();

        await page.ClickAsync("#tw-dryrun");

        await Expect(page.Locator("#tw-dryrun-result[data-ended='true']")).ToBeVisibleAsync();
        foreach (var id in new[] { "Start", "Review", "End" })
        {
            await Expect(page.Locator($".djs-element.tw-path-taken[data-element-id='{id}']")).ToHaveCountAsync(1);
        }
    }

    [Fact]
    public async Task FormEditor_SavedForm_IsStoredWithTheDraftAndOfferedInThePanel()
    {
        var processId = await PublishVersion1Async("review_forms");
        var page = await OpenDesignerAsync(processId);
        await page.GetByRole(AriaRole.Tab, new() { Name = "表单", Exact = true }).ClickAsync();
        await page.FillAsync("#tw-new-form-key", "reviewForm");
        await page.PressAsync("#tw-new-form-key", "Tab");
        await page.ClickAsync("#tw-new-form");
        await page.FillAsync("#tw-form-name", "审核意见");
        await page.PressAsync("#tw-form-name", "Tab");
        await page.ClickAsync("#tw-add-field");
        await Expect(page.Locator("#tw-form-preview input")).ToHaveCountAsync(1);
        await page.ClickAsync("#tw-save-form");
        await Expect(page.Locator("#tw-form-list")).ToContainTextAsync("审核意见");

        await page.ClickAsync(Shape("Review"));
        await page.ClickAsync("[data-group-id='group-tw-form'] .bio-properties-panel-group-header");
        await page.SelectOptionAsync("#bio-properties-panel-tw-formKey", "reviewForm");
        await page.ClickAsync("#tw-save");
        await Expect(page.Locator("#tw-message")).ToContainTextAsync("草稿已保存");

        var form = Assert.Single(await app.Services.GetRequiredService<FormStore>().ListAsync(processId, null));
        var xml = await Catalog.GetXmlAsync(processId, null);
        var review = XDocument.Parse(xml!).Descendants(Bpmn + "userTask").Single(t => (string?)t.Attribute("id") == "Review");
        Assert.Equal(("reviewForm", "审核意见", 1, "reviewForm"), (form.FormKey, form.Schema.Title, form.Schema.Components.Count, (string?)review.Attribute(Tw + "formKey")));
    }

    [Fact]
    public async Task EnglishUi_ShowsModelerAndPanelInEnglish()
    {
        var processId = await PublishVersion1Async("review_english");
        var page = await app.SignInAsync("admin");
        await page.GotoAsync($"/culture/set?culture=en&redirectUri=/designer/{processId}");
        await page.WaitForSelectorAsync(Shape("Review"));

        await page.ClickAsync(Shape("Review"));

        await Expect(page.Locator(".djs-palette [data-action='create.task']")).ToHaveAttributeAsync("aria-label", "Create task");
        await Expect(page.Locator("[data-group-id='group-tw-roles'] .bio-properties-panel-group-header")).ToContainTextAsync("Candidate roles");
    }

    [Fact]
    public async Task ChineseUi_ShowsModelerAndPanelInChinese()
    {
        var processId = await PublishVersion1Async("review_chinese");
        var page = await OpenDesignerAsync(processId);

        await page.ClickAsync(Shape("Review"));

        await Expect(page.Locator(".djs-palette [data-action='create.task']")).ToHaveAttributeAsync("aria-label", "创建任务");
        await Expect(page.Locator("[data-group-id='group-tw-roles'] .bio-properties-panel-group-header")).ToContainTextAsync("候选角色");
    }

    private IProcedureCatalog Catalog => app.Services.GetRequiredService<IProcedureCatalog>();

    private static string Shape(string elementId) => $".djs-element.djs-shape[data-element-id='{elementId}']";

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>Publishes the review procedure (start, review task for Staff, end) as version 1 under the given id.</summary>
    private async Task<string> PublishVersion1Async(string processId)
    {
        var xml = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Designer", "Files", "review-v1.bpmn")))
            .Replace("browser_review", processId, StringComparison.Ordinal);
        await Catalog.SaveDraftAsync(xml, "admin");
        await Catalog.PublishAsync(processId, "admin", "第一版");
        return processId;
    }

    private async Task<IPage> OpenDesignerAsync(string processId)
    {
        var page = await app.SignInAsync("admin");
        await page.GotoAsync($"/designer/{processId}");
        await page.WaitForSelectorAsync(Shape("Review"));
        return page;
    }

    private static async Task<string> NewTaskIdAsync(IPage page)
    {
        var ids = await page.EvalOnSelectorAllAsync<string[]>(
            ".djs-element.djs-shape[data-element-id^='Activity_']", "nodes => nodes.map(n => n.getAttribute('data-element-id'))");
        return Assert.Single(ids);
    }
}
