using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Components.Pages.Inbox;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>
/// The task page live before its load ends (bUnit over the real app's services): the form appears once, with the
/// values it starts from, never first empty and then refilled under what the user typed.
/// </summary>
public sealed class TaskPageLoadTests(WorkflowFactory factory) : PlatformComponentTest, IClassFixture<WorkflowFactory>
{
    [Fact]
    public async Task WhileTheLoadStillWaits_NoFormShows_ThenItShowsWithTheValuesTheProjectHolds()
    {
        var code = "LOAD-" + Guid.NewGuid().ToString("N")[..10];
        var engine = factory.App.Services.GetRequiredService<IWorkflowEngine>();
        var instance = await engine.StartAsync("engineering-construction.open-tender", code, new Dictionary<string, object?>
        {
            ["projectCode"] = code,
            ["projectName"] = "载入测试项目",
            ["initiator"] = "tenderee",
            ["announcementTitle"] = "退回后保留的公告标题",
        }, "tenderee");
        var task = Assert.Single(await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));
        await engine.ClaimTaskAsync(task.Id, "tenderee");

        // The project lookup is the page's last read: held, the task and its form are already known.
        var held = new HeldQuery("tr_projects");
        await using var scope = factory.App.Services.CreateAsyncScope();
        Services.AddSingleton(new ProjectLookup(new HeldTradingDatabase(factory.App.Services.GetRequiredService<WorkflowDatabase>(), held)));
        Services.AddFallbackServiceProvider(scope.ServiceProvider);
        SignIn("tenderee", "Tenderee");
        RenderProviders();

        var page = Render<TaskPage>(p => p.Add(x => x.TaskId, task.Id));

        // The first render's refresh has run: the page is live and still loading.
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".mud-progress-circular")));
        Assert.Empty(page.FindAll("input"));
        Assert.Empty(page.FindAll("[data-testid=task-title]"));

        held.Release();

        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=task-title]").GetAttribute("data-interactive")));
        Assert.Contains(page.FindAll("input"), input => input.GetAttribute("value") == "退回后保留的公告标题");
    }
}
