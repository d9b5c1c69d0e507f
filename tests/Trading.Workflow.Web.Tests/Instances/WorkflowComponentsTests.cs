using Bunit;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Web.Components.Workflow;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>
/// The diagram and the history as the task page and the instance viewer show them: names from the instance's variables,
/// never <c>${...}</c>; the history read as when (Beijing time) · who · what · details, with the engine's data changes
/// folded away where the page asks it.
/// </summary>
public sealed class WorkflowComponentsTests : PlatformComponentTest
{
    private const string Code = "DEMO-CITY-TD-2026-00001";

    private static readonly Guid Instance = Guid.NewGuid();

    private static readonly Dictionary<string, object?> Variables = new(StringComparer.Ordinal) { ["projectCode"] = Code };

    private static readonly DateTimeOffset At = new(2026, 12, 3, 17, 59, 0, TimeSpan.Zero); // 2026-12-04 01:59 in Beijing

    private const string Xml = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
          <bpmn:process id="land-rights.land-grant" isExecutable="true">
            <bpmn:startEvent id="start" name="出让人提交出让申请" />
            <bpmn:userTask id="reviewOffering" name="审核出让公告：${projectCode}" />
            <bpmn:userTask id="publishResultTask" name="发布出让结果公示（${projectCode}）" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public void Diagram_LabelsReadFromTheInstancesVariables_NeverTheRawExpression()
    {
        var viewer = JSInterop.SetupModule("./dist/viewer.js");
        viewer.SetupVoid("render", _ => true);

        Render<BpmnDiagram>(p => p.Add(d => d.Xml, Xml).Add(d => d.Variables, Variables).Add(d => d.Active, ["reviewOffering"]));

        var xml = (string)viewer.VerifyInvoke("render").Arguments[1]!;
        Assert.Contains($"name=\"审核出让公告：{Code}\"", xml, StringComparison.Ordinal);
        Assert.Contains($"name=\"发布出让结果公示（{Code}）\"", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("${", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagram_WithoutTheVariable_ShowsTheNameWithoutThePlaceholder()
    {
        var viewer = JSInterop.SetupModule("./dist/viewer.js");
        viewer.SetupVoid("render", _ => true);

        Render<BpmnDiagram>(p => p.Add(d => d.Xml, Xml));

        var xml = (string)viewer.VerifyInvoke("render").Arguments[1]!;
        Assert.Contains("name=\"审核出让公告\"", xml, StringComparison.Ordinal);
        Assert.Contains("name=\"发布出让结果公示\"", xml, StringComparison.Ordinal);
    }

    private static HistoryEvent[] LandHistory() =>
    [
        new(Instance, HistoryEventType.InstanceStarted, At) { UserId = "grantor" },
        new(Instance, HistoryEventType.VariableCreated, At) { UserId = "grantor", VariableName = "projectCode", NewValue = Code },
        new(Instance, HistoryEventType.ActivityStarted, At) { ElementId = "reviewOffering", ElementName = "审核出让公告：${projectCode}", UserId = "grantor" },
        new(Instance, HistoryEventType.TimerFired, At.AddMinutes(5)) { ElementId = "checkTimer" },
    ];

    [Fact]
    public void History_ReadsWhenWhoWhat_InBeijingTime_WithEvaluatedNamesAndTheSystemNamed()
    {
        var cut = Render<HistoryTimeline>(p => p.Add(h => h.Events, LandHistory()).Add(h => h.Variables, Variables)
            .Add(h => h.ElementNames, new Dictionary<string, string> { ["checkTimer"] = "到期复查" }));

        var headers = cut.FindAll("[data-testid=history-timeline] th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Equal(["时间（北京时间）", "办理人", "事项", "说明"], headers);
        var rows = cut.FindAll("[data-testid=history-timeline] tbody tr");
        Assert.Equal("TimerFired", rows[0].GetAttribute("data-type")); // newest first
        Assert.Equal("系统", rows[0].QuerySelector("[data-testid=history-user]")!.TextContent.Trim());
        Assert.Equal("2026-12-04 02:04", rows[0].QuerySelector("[data-testid=history-time]")!.TextContent.Trim());
        Assert.Contains("到期复查", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal($"审核出让公告：{Code}", cut.Find("[data-type=ActivityStarted] [data-testid=history-element]").TextContent.Trim());
        Assert.Contains("环节开始", cut.Find("[data-type=ActivityStarted]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("${", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void History_WithoutTheVariable_ShowsTheStepWithoutThePlaceholder()
    {
        var cut = Render<HistoryTimeline>(p => p.Add(h => h.Events, LandHistory()));

        Assert.Equal("审核出让公告", cut.Find("[data-type=ActivityStarted] [data-testid=history-element]").TextContent.Trim());
    }

    [Fact]
    public void History_DataChangesFolded_ListsThemOnlyWhenSwitchedOn()
    {
        var cut = Render<HistoryTimeline>(p => p.Add(h => h.Events, LandHistory()).Add(h => h.Variables, Variables).Add(h => h.VariablesShown, false));

        Assert.Empty(cut.FindAll("[data-type=VariableCreated]"));
        Assert.Equal(3, cut.FindAll("[data-testid=history-timeline] tbody tr").Count);
        Assert.Contains("显示流程数据变更（1 条）", cut.Find("[data-testid=history-show-variables]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=history-show-variables] input").Change(true);

        var variable = cut.WaitForElement("[data-type=VariableCreated] [data-testid=history-details]");
        Assert.Equal($"projectCode: ∅ → {Code}", variable.TextContent.Trim());
    }

    [Fact]
    public void History_ALongValue_IsCutWithTheWholeValueInItsTooltip()
    {
        var text = new string('长', 120);
        HistoryEvent[] events = [new(Instance, HistoryEventType.VariableUpdated, At) { VariableName = "reviewComment", OldValue = "同意", NewValue = text }];

        var details = Render<HistoryTimeline>(p => p.Add(h => h.Events, events)).Find("[data-testid=history-details]");

        Assert.Contains("…", details.TextContent, StringComparison.Ordinal);
        Assert.Equal($"同意 → {text}", details.GetAttribute("title"));
    }

    [Theory]
    [InlineData("zh-CN", "从版本 1 迁移到版本 2：迁移到新版本", "标记故障已处理：已人工处理", "重试（剩余重试 3 次），修改流程数据：amount：补正")]
    [InlineData("en", "Moved from version 1 to version 2: 迁移到新版本", "Incident marked resolved: 已人工处理", "Retried (3 retries left), data changed: amount: 补正")]
    public void History_AdministrativeActions_ReadInTheReadersLanguage_WithTheReasonAsWritten(string culture, string migrated, string resolved, string retried)
    {
        Culture(culture);
        HistoryEvent[] events =
        [
            new(Instance, HistoryEventType.AdminAction, At) { UserId = "admin", Details = "migrate from version 1 to 2: 迁移到新版本" },
            new(Instance, HistoryEventType.AdminAction, At.AddMinutes(1)) { UserId = "admin", Details = "resolve incident: 已人工处理" },
            new(Instance, HistoryEventType.AdminAction, At.AddMinutes(2)) { UserId = "admin", Details = "retry job (3), variables: amount: 补正" },
        ];

        // The engine's English notes showed as they were recorded ("migrate from version 1 to 2: ...") in Chinese too.
        var details = Render<HistoryTimeline>(p => p.Add(h => h.Events, events)).FindAll("[data-testid=history-details]")
            .Select(d => d.TextContent.Trim()).ToList();

        Assert.Equal([retried, resolved, migrated], details);
    }

    [Fact]
    public void History_InEnglish_NamesTheColumnsAndTheTimeZone()
    {
        Culture("en");

        var headers = Render<HistoryTimeline>(p => p.Add(h => h.Events, LandHistory())).FindAll("[data-testid=history-timeline] th").Select(th => th.TextContent.Trim());

        Assert.Equal(["Time (UTC+8)", "Who", "What", "Details"], headers);
    }

    [Fact]
    public void History_ThePlatformsActorsAndUnnamedSteps_ReadAsWords_WithTheIdsAsTooltips()
    {
        HistoryEvent[] events =
        [
            new(Instance, HistoryEventType.ActivityStarted, At) { ElementId = "fork", ElementType = "parallelGateway", UserId = "system:procedure" },
            new(Instance, HistoryEventType.ActivityStarted, At) { ElementId = "t9", ElementType = "serviceTask", UserId = "staff" },
        ];

        var rows = Render<HistoryTimeline>(p => p.Add(h => h.Events, events)).FindAll("[data-testid=history-timeline] tbody tr");

        var gateway = rows[1]; // newest first
        Assert.Equal("系统", gateway.QuerySelector("[data-testid=history-user]")!.TextContent.Trim());
        Assert.Equal("system:procedure", gateway.QuerySelector("[data-testid=history-user]")!.GetAttribute("title"));
        Assert.Equal("并行网关", gateway.QuerySelector("[data-testid=history-element]")!.TextContent.Trim());
        Assert.Equal("fork", gateway.QuerySelector("[data-testid=history-element]")!.GetAttribute("title"));
        Assert.Equal("staff", rows[0].QuerySelector("[data-testid=history-user]")!.TextContent.Trim());
        Assert.Null(rows[0].QuerySelector("[data-testid=history-user]")!.GetAttribute("title"));
        Assert.Equal("未命名环节", rows[0].QuerySelector("[data-testid=history-element]")!.TextContent.Trim());
        Assert.DoesNotContain(">fork<", rows[1].InnerHtml, StringComparison.Ordinal);
    }
}
