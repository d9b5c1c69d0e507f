using Bunit;
using Trading.Workflow.Web.Components.Pages.Designer;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>The dry-run panel: a form of the variables the procedure reads, sent typed; failures shown in the panel.</summary>
public sealed class DesignerDryRunTests : PlatformComponentTest, IAsyncLifetime
{
    private static readonly DryRunVariable[] Variables =
    [
        new("bidderCount", DryRunVariableType.Number, [], "有效投标人数", "Valid bids", ["f_fewer"]),
        new("projectName", DryRunVariableType.Text, [], "项目名称", "Project name", ["submitAnnouncement"]),
        new("reviewDecision", DryRunVariableType.Text, ["approve", "reject"], null, null, ["f_approved"]),
        new("urgent", DryRunVariableType.Boolean, [], null, null, ["g"]),
    ];

    private DryRunInput? _sent;

    [Fact]
    public void Form_OffersEachVariableWithItsTypeAndLabel()
    {
        var panel = RenderPanel();

        Assert.Equal(
            ["bidderCount:Number", "projectName:Text", "reviewDecision:Text", "urgent:Boolean"],
            panel.FindAll(".tw-dryrun-variable").Select(v => $"{v.GetAttribute("data-variable")}:{v.GetAttribute("data-type")}"));
        Assert.Contains("项目名称 (projectName) · 文本", panel.Find(".tw-dryrun-variable[data-variable='projectName']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SendsTheFilledVariablesTyped_AndLeavesEmptyOnesOut()
    {
        var panel = RenderPanel();

        panel.Find("#tw-var-bidderCount").Input("5");
        panel.Find("#tw-var-projectName").Input("试运行项目");
        panel.Find("#tw-dryrun").Click();

        panel.WaitForAssertion(() => Assert.NotNull(_sent));
        Assert.Equal(
            [("bidderCount", (object?)5m), ("projectName", "试运行项目")],
            _sent!.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (v.Key, v.Value)));
    }

    [Fact]
    public void Result_StoppedByAMissingVariable_MarksItsFieldAndSaysWhyInThePanel()
    {
        var result = new DryRunResult([], [], [], false, "缺少变量 projectName：请填写", "The variable projectName is missing", "projectName");

        var panel = RenderPanel(result);

        Assert.Equal("projectName", panel.Find("#tw-dryrun-result").GetAttribute("data-missing"));
        Assert.Contains("缺少变量 projectName", panel.Find("#tw-dryrun-error").TextContent, StringComparison.Ordinal);
        Assert.Contains("试运行因缺少此变量而停止", panel.Find(".tw-dryrun-variable[data-variable='projectName']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("试运行因缺少此变量而停止", panel.Find(".tw-dryrun-variable[data-variable='bidderCount']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Result_InEnglish_ShowsTheEnglishErrorAndBeijingTimes()
    {
        Culture("en");
        var steps = new[] { new DryRunStep(DryRunService.ActionStarted, null, null, new DateTimeOffset(2026, 12, 31, 20, 0, 0, TimeSpan.Zero)) };
        var result = new DryRunResult(["start"], ["review"], steps, false, "工作日历缺少 2027 年的节假日数据", "The working-day calendar has no holiday data for 2027", null);

        var panel = RenderPanel(result);

        Assert.Contains("no holiday data for 2027", panel.Find("#tw-dryrun-error").TextContent, StringComparison.Ordinal);
        Assert.Equal("2027-01-01 04:00", panel.Find(".tw-step-at").TextContent.Trim());
        Assert.Contains("Beijing time (UTC+8)", panel.Find("#tw-dryrun-zone").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NoVariables_SaysSo()
    {
        var panel = Render<DesignerDryRun>(p => p.Add(d => d.Variables, []));

        Assert.Contains("流程不读取任何变量", panel.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<DesignerDryRun> RenderPanel(DryRunResult? result = null)
    {
        RenderProviders();
        return Render<DesignerDryRun>(p => p
            .Add(d => d.Variables, Variables)
            .Add(d => d.Result, result)
            .Add(d => d.OnRun, (DryRunInput input) => _sent = input));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudSelect's services dispose only asynchronously; xUnit's synchronous Dispose then finds them gone.</summary>
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
