using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>
/// The task page as served (prerendered): its title and history never show a name's raw <c>${...}</c>, and the history
/// takes the page's width with the engine's data changes folded away.
/// </summary>
public sealed class TaskPageTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private IWorkflowEngine Engine => factory.App.Services.GetRequiredService<IWorkflowEngine>();

    [Fact]
    public async Task ANameTheEngineCouldNotFill_ShowsWithoutThePlaceholder_InTheTitleAndTheHistory()
    {
        var code = "TASK-" + Guid.NewGuid().ToString("N")[..10];
        // No projectName: the engine keeps the task's name as written, "提交招标公告：${projectName}".
        var instance = await Engine.StartAsync("engineering-construction.open-tender", code,
            new Dictionary<string, object?> { ["projectCode"] = code, ["initiator"] = "tenderee" }, "tenderee");
        var task = Assert.Single(await Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));
        Assert.Contains("${projectName}", task.Name, StringComparison.Ordinal);
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");

        var page = new HtmlParser().ParseDocument(await tenderee.Http.GetStringAsync($"/inbox/tasks/{task.Id}"));

        Assert.Equal("提交招标公告", page.QuerySelector("[data-testid=task-title]")!.TextContent.Trim());
        var history = page.QuerySelector("[data-testid=task-history]")!;
        Assert.Contains(history.QuerySelectorAll("[data-testid=history-element]"), cell => cell.TextContent.Trim() == "提交招标公告");
        Assert.DoesNotContain("${", history.TextContent, StringComparison.Ordinal);
        // The variables the procedure started with are folded away behind the switch.
        Assert.Empty(history.QuerySelectorAll("[data-type=VariableCreated]"));
        Assert.NotNull(history.QuerySelector("[data-testid=history-show-variables]"));
        Assert.Equal("时间（北京时间）", history.QuerySelector("th")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("en", "Submit the tender notice: 演示道路改造工程", "Engineering construction open tender (platform default procedure)")]
    [InlineData("zh-CN", "提交招标公告：演示道路改造工程", "工程建设项目公开招标（平台默认流程）")]
    public async Task TheTitleTheProcedureAndTheHistory_ReadInTheUsersLanguage(string culture, string title, string procedure)
    {
        var code = "TASK-" + Guid.NewGuid().ToString("N")[..10];
        var instance = await Engine.StartAsync("engineering-construction.open-tender", code,
            new Dictionary<string, object?> { ["projectCode"] = code, ["projectName"] = "演示道路改造工程", ["initiator"] = "tenderee" }, "tenderee");
        var task = Assert.Single(await Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        await tenderee.Http.GetAsync($"/culture/set?culture={culture}&redirectUri=/");

        var page = new HtmlParser().ParseDocument(await tenderee.Http.GetStringAsync($"/inbox/tasks/{task.Id}"));

        Assert.Equal(title, page.QuerySelector("[data-testid=task-title]")!.TextContent.Trim());
        Assert.Contains(procedure, page.Body!.TextContent, StringComparison.Ordinal);
        var history = page.QuerySelector("[data-testid=task-history]")!;
        Assert.Contains(history.QuerySelectorAll("[data-testid=history-element]"), cell => cell.TextContent.Trim() == title);
    }

    [Fact]
    public async Task ABuiltInScreenNotYetClaimed_SaysToClaimIt_AndStopsSayingSoOnceClaimed()
    {
        // The demo engineering tender waits at the tenderee's schedule screen (component:tender-schedule).
        var task = Assert.Single(await Engine.GetTasksAsync(new TaskQuery { ElementId = "scheduleTender" }));
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var parser = new HtmlParser();

        var unclaimed = parser.ParseDocument(await tenderee.Http.GetStringAsync($"/inbox/tasks/{task.Id}"));
        (await tenderee.PostAsync($"/api/workflow/tasks/{task.Id}/claim")).EnsureSuccessStatusCode();
        var claimed = parser.ParseDocument(await tenderee.Http.GetStringAsync($"/inbox/tasks/{task.Id}"));

        Assert.Equal("认领后才能办理此任务。", unclaimed.QuerySelector("[data-testid=task-claim-first]")?.TextContent.Trim());
        Assert.Null(claimed.QuerySelector("[data-testid=task-claim-first]"));
    }
}
