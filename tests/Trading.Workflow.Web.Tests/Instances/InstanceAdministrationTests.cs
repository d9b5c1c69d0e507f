using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Tests.Inbox;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>Administrators change instances with a reason that goes into history; supervisors see everything and change nothing.</summary>
public sealed class InstanceAdministrationTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private static string NewCode() => "ADM-" + Guid.NewGuid().ToString("N")[..10];

    private IWorkflowEngine Engine => factory.App.Services.GetRequiredService<IWorkflowEngine>();

    [Fact]
    public async Task Supervisor_CancellingAnInstance_IsForbiddenAndTheInstanceStaysActive()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var supervisor = await WorkflowApiClient.SignInAsync(factory.App, "supervisor");
        var instanceId = await tenderee.StartOpenTenderAsync(NewCode());

        var response = await supervisor.PostAsync($"/api/workflow/instances/{instanceId}/cancel", new ReasonRequest("监管要求"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(InstanceState.Active, (await Engine.GetInstanceAsync(instanceId))!.State);
    }

    [Theory]
    [InlineData("suspend")]
    [InlineData("resume")]
    [InlineData("migrate")]
    public async Task Supervisor_AnyInstanceCommand_IsForbidden(string command)
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var supervisor = await WorkflowApiClient.SignInAsync(factory.App, "supervisor");
        var instanceId = await tenderee.StartOpenTenderAsync(NewCode());

        var response = await supervisor.PostAsync($"/api/workflow/instances/{instanceId}/{command}", new { reason = "监管要求", targetVersion = 1 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Supervisor_ClaimingATask_IsForbidden()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var supervisor = await WorkflowApiClient.SignInAsync(factory.App, "supervisor");
        var code = NewCode();
        await tenderee.StartOpenTenderAsync(code);
        var taskId = await tenderee.OpenTaskIdAsync(code, "submitAnnouncement");

        var response = await supervisor.PostAsync($"/api/workflow/tasks/{taskId}/claim");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null((await Engine.GetTaskAsync(taskId))!.Assignee);
    }

    [Fact]
    public async Task Supervisor_ReadingAnInstance_Succeeds()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var supervisor = await WorkflowApiClient.SignInAsync(factory.App, "supervisor");
        var instanceId = await tenderee.StartOpenTenderAsync(NewCode());

        var response = await supervisor.Http.GetAsync($"/api/workflow/instances/{instanceId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Supervisor_InstanceViewerPage_OffersNoAdministrativeAction()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var supervisor = await WorkflowApiClient.SignInAsync(factory.App, "supervisor");
        var instanceId = await tenderee.StartOpenTenderAsync(NewCode());

        var html = await supervisor.Http.GetStringAsync($"/instances/{instanceId}");

        var document = new HtmlParser().ParseDocument(html);
        Assert.NotNull(document.QuerySelector("[data-testid=viewer-read-only]"));
        Assert.Null(document.QuerySelector("[data-testid=admin-actions]"));
    }

    [Fact]
    public async Task Administrator_Suspend_RecordsWhoAndWhyInHistory()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var admin = await WorkflowApiClient.SignInAsync(factory.App, "admin");
        var instanceId = await tenderee.StartOpenTenderAsync(NewCode());

        var response = await admin.PostAsync($"/api/workflow/instances/{instanceId}/suspend", new ReasonRequest("收到投诉，暂停招标"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var history = await Engine.GetHistoryAsync(instanceId);
        var suspended = Assert.Single(history, h => h.Type == HistoryEventType.InstanceSuspended);
        Assert.Equal("admin", suspended.UserId);
        Assert.Equal("收到投诉，暂停招标", suspended.Details);
    }

    [Fact]
    public async Task Administrator_CommandWithoutReason_IsRefused()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var admin = await WorkflowApiClient.SignInAsync(factory.App, "admin");
        var instanceId = await tenderee.StartOpenTenderAsync(NewCode());

        var response = await admin.PostAsync($"/api/workflow/instances/{instanceId}/cancel", new ReasonRequest("  "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InstanceState.Active, (await Engine.GetInstanceAsync(instanceId))!.State);
    }

    [Fact]
    public async Task ApiChange_WithoutTheApiHeader_IsRefused()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var admin = await WorkflowApiClient.SignInAsync(factory.App, "admin");
        var instanceId = await tenderee.StartOpenTenderAsync(NewCode());
        admin.Http.DefaultRequestHeaders.Remove(WorkflowEndpoints.ApiHeader);

        var response = await admin.PostAsync($"/api/workflow/instances/{instanceId}/cancel", new ReasonRequest("跨站请求"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(InstanceState.Active, (await Engine.GetInstanceAsync(instanceId))!.State);
    }
}

/// <summary>Running instances keep their version when a new one is published.</summary>
public sealed class InstanceVersionTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    [Fact]
    public async Task InstanceStartedOnVersion1_StillShowsVersion1_AfterVersion2IsPublished()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var versions = factory.App.Services.GetRequiredService<ProcessVersionService>();
        var first = await tenderee.StartOpenTenderAsync("VER-1");
        var xml = (await versions.GetXmlAsync("engineering-construction.open-tender", 1))!;
        await versions.SaveDraftAsync(xml.Replace("提交招标公告：", "提交招标公告（第二版）：", StringComparison.Ordinal), "admin");
        await versions.PublishAsync("engineering-construction.open-tender", "admin", "第二版");

        var second = await tenderee.StartOpenTenderAsync("VER-2");

        var html = await staff.Http.GetStringAsync($"/instances/{first}");
        var version = new HtmlParser().ParseDocument(html).QuerySelector("[data-testid=viewer-version]")?.TextContent;
        Assert.Contains("1", version);
        var engine = factory.App.Services.GetRequiredService<IWorkflowEngine>();
        Assert.Equal(1, (await engine.GetInstanceAsync(first))!.ProcessVersion);
        Assert.Equal(2, (await engine.GetInstanceAsync(second))!.ProcessVersion);
    }
}
