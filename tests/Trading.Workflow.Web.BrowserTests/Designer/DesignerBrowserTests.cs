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
        await page.ClickAsync("#tw-publish");
        await Expect(page.Locator("[data-testid='designer-confirm']")).ToContainTextAsync("发布为版本 2");
        await page.ClickAsync("#tw-confirm");

        await Expect(page.Locator("#tw-versions .tw-version-row[data-version='2']")).ToBeVisibleAsync();
        var xml = await Catalog.GetXmlAsync(processId, 2);
        var task = XDocument.Parse(xml!).Descendants(Bpmn + "userTask").Single(t => (string?)t.Attribute("id") == newTaskId);
        Assert.Equal(("复核招标文件", "Supervisor"), ((string?)task.Attribute("name"), (string?)task.Attribute(Tw + "candidateRoles")));
    }

    [Fact]
    public async Task Saving_ADraftAnotherAdministratorSavedMeanwhile_IsRefusedAndTheirDraftStays()
    {
        var processId = await PublishVersion1Async("review_conflict");
        var page = await OpenDesignerAsync(processId);
        var published = (await Catalog.GetXmlAsync(processId, 1))!;
        var theirs = published.Replace("name=\"审核招标文件\"", "name=\"另一管理员的审核\"", StringComparison.Ordinal);
        Assert.NotEqual(published, theirs);
        await Catalog.SaveDraftAsync(theirs, "另一管理员");

        await page.ClickAsync(Shape("Review"));
        await page.ClickAsync(".djs-context-pad [data-action='append.append-task']");
        await page.Keyboard.TypeAsync("我的修改");
        await page.ClickAsync(Shape("End"));
        await page.ClickAsync("#tw-save");

        await Expect(page.Locator("#tw-message")).ToContainTextAsync("另一管理员");
        Assert.Equal(theirs, await Catalog.GetXmlAsync(processId, null));
        Assert.Contains("我的修改", await page.Locator(".djs-container").InnerTextAsync(), StringComparison.Ordinal);
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

    /// <summary>
    /// Issue 16 §5 and §6 in the browser: a model without diagram layout imports with a generated one (the page stopped
    /// responding), a 50 MB file and bytes invalid in their encoding get the command line's answers, and the designer
    /// bundle runs under the platform's Content-Security-Policy without a single violation.
    /// </summary>
    [Fact]
    public async Task ImportingUnusualFiles_IsAnsweredClearly_UnderTheContentSecurityPolicy()
    {
        var processId = await PublishVersion1Async("unusual_imports");
        var page = await app.SignInAsync("admin");
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        var response = await page.GotoAsync($"/designer/{processId}");
        await page.WaitForSelectorAsync(Shape("Review"));
        Assert.Contains("script-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        var folder = Directory.CreateTempSubdirectory("tw-unusual-").FullName;
        try
        {
            var withLayout = XDocument.Parse((await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Designer", "Files", "review-v1.bpmn")))
                .Replace("browser_review", processId, StringComparison.Ordinal));
            withLayout.Root!.Elements().Where(e => e.Name.LocalName == "BPMNDiagram").Remove();
            var noLayout = Path.Combine(folder, "no-layout.bpmn");
            await File.WriteAllTextAsync(noLayout, withLayout.Declaration + withLayout.ToString());

            await page.SetInputFilesAsync("#tw-import", noLayout);

            await Expect(page.Locator("#tw-message")).ToContainTextAsync("已自动生成布局");
            await Expect(page.Locator(Shape("Review"))).ToBeVisibleAsync();
            await Expect(page.Locator(Shape("End"))).ToBeVisibleAsync();
            await Expect(page.Locator("#tw-unsaved")).ToBeVisibleAsync();

            var big = Path.Combine(folder, "big.bpmn");
            await using (var file = File.Create(big))
            {
                file.SetLength(50L * 1024 * 1024);
            }

            await page.SetInputFilesAsync("#tw-import", big);

            await Expect(page.Locator("#tw-problems .tw-problem-row[data-code='XML_TOO_LARGE']")).ToContainTextAsync("10,485,760");
            await Expect(page.Locator("#tw-message")).ToContainTextAsync("big.bpmn");

            var bytes = await File.ReadAllBytesAsync(noLayout);
            bytes[Array.FindIndex(bytes, b => b >= 0x80)] = 0xFF;
            var bad = Path.Combine(folder, "bad-bytes.bpmn");
            await File.WriteAllBytesAsync(bad, bytes);

            await page.SetInputFilesAsync("#tw-import", bad);

            await Expect(page.Locator("#tw-problems .tw-problem-row[data-code='XML_ENCODING_INVALID']")).ToContainTextAsync("UTF-8");
            await Expect(page.Locator(Shape("Review"))).ToBeVisibleAsync();
            Assert.Empty(violations);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
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
        await page.ClickAsync("#tw-new-form");
        await page.FillAsync("#tw-form-name", "审核意见");
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
    public async Task MessageEndEvent_OffersTheHandlerThatSendsTheMessage()
    {
        var processId = await PublishVersion1Async("review_message_end");
        var page = await OpenDesignerAsync(processId);
        await page.ClickAsync(Shape("End"));
        await Expect(page.Locator("[data-group-id='group-tw-handler']")).ToHaveCountAsync(0);

        await page.ClickAsync(".djs-context-pad [data-action='replace']");
        await page.ClickAsync(".djs-popup [data-id='replace-with-message-end']");

        await Expect(page.Locator("[data-group-id='group-tw-handler'] .bio-properties-panel-group-header")).ToContainTextAsync("服务处理程序");
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
    public async Task EnglishName_IsEditedUnderTheName_ForATaskAndTheProcess_AndSavedAsTwNameEn()
    {
        var processId = await PublishVersion1Async("review_name_en");
        var page = await OpenDesignerAsync(processId);

        await page.ClickAsync(Shape("Review"));
        // The General group opens collapsed (it stays open for the next selection).
        await page.ClickAsync("[data-group-id='group-general'] .bio-properties-panel-group-header");
        // Right under the name, labelled in the UI's language.
        var general = page.Locator("[data-group-id='group-general'] .bio-properties-panel-entry");
        await Expect(general.Nth(1)).ToHaveAttributeAsync("data-entry-id", "tw-nameEn");
        await Expect(general.Nth(0)).ToHaveAttributeAsync("data-entry-id", "name");
        await Expect(page.Locator("[data-entry-id='tw-nameEn'] label")).ToHaveTextAsync("英文名称");
        await page.FillAsync("#bio-properties-panel-tw-nameEn", "Review the tender documents");
        // The panel writes a text field after its input debounce (300 ms); selecting another element first would lose it.
        await page.WaitForTimeoutAsync(700);
        // An empty spot of the canvas selects the process.
        await page.ClickAsync(".djs-container svg", new() { Position = new Position { X = 450, Y = 450 } });
        await Expect(page.Locator(".bio-properties-panel-header-type")).ToHaveTextAsync("流程");
        await page.FillAsync("#bio-properties-panel-tw-nameEn", "Tender document review");
        await page.WaitForTimeoutAsync(700);
        await page.ClickAsync("#tw-save");
        await Expect(page.Locator("#tw-message")).ToContainTextAsync("草稿已保存");

        var draft = XDocument.Parse((await Catalog.GetXmlAsync(processId, null))!);
        var review = draft.Descendants(Bpmn + "userTask").Single(t => (string?)t.Attribute("id") == "Review");
        Assert.Equal(("审核招标文件", "Review the tender documents"), ((string?)review.Attribute("name"), (string?)review.Attribute(Tw + "nameEn")));
        Assert.Equal("Tender document review", (string?)draft.Descendants(Bpmn + "process").Single().Attribute(Tw + "nameEn"));
    }

    [Fact]
    public async Task EnglishDocumentation_IsEditedUnderTheDocumentation_AndSavedAsTwDocumentationEn()
    {
        var processId = await PublishVersion1Async("review_documentation_en");
        var page = await OpenDesignerAsync(processId);

        await page.ClickAsync(Shape("Review"));
        await page.ClickAsync("[data-group-id='group-documentation'] .bio-properties-panel-group-header");
        // Right under the documentation, labelled in the UI's language.
        var entries = page.Locator("[data-group-id='group-documentation'] .bio-properties-panel-entry");
        await Expect(entries.Nth(0)).ToHaveAttributeAsync("data-entry-id", "documentation");
        await Expect(entries.Nth(1)).ToHaveAttributeAsync("data-entry-id", "tw-documentationEn");
        await Expect(page.Locator("[data-entry-id='tw-documentationEn'] label")).ToHaveTextAsync("英文文档");
        await page.FillAsync("#bio-properties-panel-documentation", "核对 ${projectCode} 的招标文件。");
        await page.FillAsync("#bio-properties-panel-tw-documentationEn", "Check the tender documents of ${projectCode}.");
        // The panel writes after its input debounce (300 ms); saving first would lose it.
        await page.WaitForTimeoutAsync(700);
        await page.ClickAsync("#tw-save");
        await Expect(page.Locator("#tw-message")).ToContainTextAsync("草稿已保存");

        var draft = XDocument.Parse((await Catalog.GetXmlAsync(processId, null))!);
        var review = draft.Descendants(Bpmn + "userTask").Single(t => (string?)t.Attribute("id") == "Review");
        Assert.Equal(
            ("核对 ${projectCode} 的招标文件。", "Check the tender documents of ${projectCode}."),
            (review.Element(Bpmn + "documentation")?.Value, (string?)review.Attribute(Tw + "documentationEn")));
    }

    [Fact]
    public async Task ChineseUi_ShowsModelerAndPanelInChinese()
    {
        var processId = await PublishVersion1Async("review_chinese");
        var page = await OpenDesignerAsync(processId);

        await page.ClickAsync(Shape("Review"));

        await Expect(page.Locator(".djs-palette [data-action='create.task']")).ToHaveAttributeAsync("aria-label", "创建任务");
        await Expect(page.Locator("[data-group-id='group-tw-roles'] .bio-properties-panel-group-header")).ToContainTextAsync("候选角色");
        await Expect(page.Locator(".bio-properties-panel-header-type")).ToHaveTextAsync("用户任务");
    }

    [Fact]
    public async Task ShippedProcedure_RevisedAndPublished_EveryVersionKeepsItsForms()
    {
        var page = await OpenShippedAsync();
        await page.EvaluateAsync("""
            () => {
              const modeler = window.twDesigner._modeler;
              modeler.get('modeling').updateLabel(modeler.get('elementRegistry').get('award'), '确定中标人（修订）');
            }
            """);
        await page.ClickAsync("#tw-save");
        await Expect(page.Locator("#tw-message")).ToContainTextAsync("草稿已保存");
        await page.GetByRole(AriaRole.Tab, new() { Name = "版本", Exact = true }).ClickAsync();
        // Typing does not wait for the panel the tab click shows; keys sent to a hidden field are lost.
        var note = page.Locator("#tw-change-note");
        await Expect(note).ToBeVisibleAsync();
        await note.PressSequentiallyAsync("修订确定中标人");
        await Expect(note).ToHaveValueAsync("修订确定中标人");
        await Expect(page.Locator("#tw-publish")).ToBeEnabledAsync();
        await page.ClickAsync("#tw-publish");
        await page.ClickAsync("#tw-confirm");
        await Expect(page.Locator("#tw-versions .tw-version-row[data-version='2']")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "表单", Exact = true }).ClickAsync();
        await Expect(page.Locator("#tw-form-list [data-form-key]")).ToHaveCountAsync(9);
        var version2 = await Catalog.GetXmlAsync(OpenTender, 2);
        Assert.Equal(
            BpmnForms.Read((await Catalog.GetXmlAsync(OpenTender, 1))!, OpenTender).Keys.Order(),
            BpmnForms.Read(version2!, OpenTender).Keys.Order());
        Assert.NotNull(await app.Services.GetRequiredService<FormStore>().GetForVersionAsync(OpenTender, 2, "submit-announcement"));
    }

    [Fact]
    public async Task ShippedProcedure_OpensReadableBesideThePalette_WithoutKeyboardWarnings()
    {
        var console = new List<string>();
        var page = await app.SignInAsync("admin");
        page.Console += (_, message) => console.Add(message.Text);
        await page.SetViewportSizeAsync(1366, 768);
        await page.GotoAsync($"/designer/{OpenTender}");
        await page.WaitForSelectorAsync(Shape("submitAnnouncement"));

        var palette = await page.Locator(".djs-palette").BoundingBoxAsync();
        var start = await page.Locator(Shape("start")).BoundingBoxAsync();
        var task = await page.Locator(Shape("submitAnnouncement")).BoundingBoxAsync();
        Assert.True(start!.X > palette!.X + palette.Width, $"the start event at x={start.X} is under the palette ending at {palette.X + palette.Width}");
        Assert.True(task!.Width >= 65, $"the task is {task.Width}px wide: the diagram opened too small to read");
        Assert.DoesNotContain(console, m => m.Contains("unsupported configuration", StringComparison.Ordinal) || m.Contains("bindTo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DryRun_OfTheShippedProcedure_StaysInThePanel_AndAsksForTheVariablesItReads()
    {
        var page = await OpenShippedAsync();
        await page.EvaluateAsync("""
            () => {
              const modeler = window.twDesigner._modeler;
              modeler.get('modeling').updateLabel(modeler.get('elementRegistry').get('award'), '确定中标人（未保存）');
            }
            """);
        await Expect(page.Locator("#tw-unsaved")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "试运行", Exact = true }).ClickAsync();

        await page.ClickAsync("#tw-dryrun");

        await Expect(page.Locator("#tw-dryrun-result[data-missing='reviewDecision']")).ToBeVisibleAsync();
        await Expect(page.Locator("#tw-dryrun-error")).ToContainTextAsync("缺少变量 reviewDecision");
        await Expect(page.Locator(".tw-dryrun-variable[data-variable='bidderCount'][data-type='Number']")).ToBeVisibleAsync();
        await page.FillAsync("#tw-var-projectName", "试运行项目");
        await page.FillAsync("#tw-var-projectCode", "DRY-001");
        await page.FillAsync("#tw-var-bidderCount", "5");
        await ChooseAsync(page, "reviewDecision", "approve");
        await ChooseAsync(page, "objectionUpheld", "false");
        await page.ClickAsync("#tw-dryrun");

        // Past the variables the run goes as far as the calendar allows; whatever stops it is said in the panel.
        await Expect(page.Locator("#tw-dryrun-result:not([data-missing])")).ToBeVisibleAsync();
        await Expect(page.Locator(".djs-element.tw-path-taken[data-element-id='reviewAnnouncement']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#tw-unsaved")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='error-panel']")).ToHaveCountAsync(0);
    }

    private const string OpenTender = "engineering-construction.open-tender";

    private IProcedureCatalog Catalog => app.Services.GetRequiredService<IProcedureCatalog>();

    private async Task<IPage> OpenShippedAsync()
    {
        var page = await app.SignInAsync("admin");
        await page.GotoAsync($"/designer/{OpenTender}");
        await page.WaitForSelectorAsync(Shape("submitAnnouncement"));
        await Expect(page.Locator("#tw-opened")).ToContainTextAsync("版本");
        return page;
    }

    /// <summary>Picks a value in the dry run's select for the variable (a MudSelect: its items open in a popover).</summary>
    private static async Task ChooseAsync(IPage page, string variable, string value)
    {
        await page.ClickAsync($"#tw-var-{variable}");
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(value, new() { Exact = true }).ClickAsync();
    }

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
