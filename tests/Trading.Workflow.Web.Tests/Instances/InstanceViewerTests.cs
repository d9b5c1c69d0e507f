using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Engine.Quartz.Demo;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Tests.Inbox;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>The open-tender project started by the demo tenderee and walked to its first statutory wait.</summary>
internal static class DemoProjects
{
    public const string OpenTender = "engineering-construction.open-tender";

    public static readonly WorkflowUser Staff = new("staff", [PlatformRoles.Staff]);

    public static async Task<Guid> StartAsync(PlatformFactory app, string code, string startedBy = "tenderee")
    {
        var engine = app.Services.GetRequiredService<IWorkflowEngine>();
        var instance = await engine.StartAsync(OpenTender, code, new Dictionary<string, object?>
        {
            ["projectCode"] = code,
            ["projectName"] = "演示学校教学楼新建工程",
            ["initiator"] = startedBy,
        }, startedBy);
        return instance.Id;
    }

    /// <summary>Announcement submitted and approved: the project waits for the document sale period to end.</summary>
    public static async Task<Guid> StartAtDocumentSaleAsync(PlatformFactory app, string code, string startedBy = "tenderee")
    {
        var engine = app.Services.GetRequiredService<IWorkflowEngine>();
        var id = await StartAsync(app, code, startedBy);
        var submit = Assert.Single(await engine.GetTasksAsync(new TaskQuery { InstanceId = id }));
        await engine.CompleteTaskAsync(submit.Id, new Dictionary<string, object?>
        {
            ["announcementTitle"] = "教学楼新建工程施工招标公告",
            ["announcementText"] = "本项目已批准建设，现公开招标，欢迎符合资格条件的投标人参加投标。",
            ["estimatedPrice"] = 8_600_000m,
            ["depositAmount"] = 100_000m,
        }, "tenderee");
        var review = Assert.Single(await engine.GetTasksAsync(new TaskQuery { InstanceId = id }));
        await engine.CompleteTaskAsync(review.Id, new Dictionary<string, object?> { ["reviewDecision"] = "approve", ["reviewComment"] = "同意" }, "staff");
        Assert.Contains("documentSaleEnds", (await engine.GetInstanceAsync(id))!.ActiveElementIds);
        return id;
    }
}

/// <summary>What the instance viewer shows: history by element names, the demo fast-forward for demo projects.</summary>
public sealed class InstanceViewerTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private static string NewCode() => "VIEW-" + Guid.NewGuid().ToString("N")[..10];

    private IWorkflowEngine Engine => factory.App.Services.GetRequiredService<IWorkflowEngine>();

    [Fact]
    public async Task History_ShowsTheElementsNameWhereTheEventCarriesOnlyItsId()
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var code = NewCode();
        var instanceId = await tenderee.StartOpenTenderAsync(code);
        await tenderee.PostAsync($"/api/workflow/tasks/{await tenderee.OpenTaskIdAsync(code, "submitAnnouncement")}/claim");

        var html = await staff.Http.GetStringAsync($"/instances/{instanceId}");

        var timeline = new HtmlParser().ParseDocument(html).QuerySelector("[data-testid=history-timeline]")!;
        var claimed = timeline.QuerySelector("[data-type=TaskClaimed] [data-testid=history-element]")!.TextContent.Trim();
        Assert.StartsWith("提交招标公告", claimed, StringComparison.Ordinal);
        Assert.DoesNotContain(timeline.QuerySelectorAll("[data-testid=history-element]"), cell => cell.TextContent.Trim() == "submitAnnouncement");
    }

    [Theory]
    [InlineData("en", "Submit the tender notice", "Engineering construction open tender (platform default procedure)")]
    [InlineData("zh-CN", "提交招标公告", "工程建设项目公开招标（平台默认流程）")]
    public async Task TheProcedureTasksAndHistory_ReadInTheUsersLanguage(string culture, string taskName, string procedure)
    {
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        await staff.Http.GetAsync($"/culture/set?culture={culture}&redirectUri=/");
        var code = NewCode();
        var instanceId = await tenderee.StartOpenTenderAsync(code);
        await tenderee.PostAsync($"/api/workflow/tasks/{await tenderee.OpenTaskIdAsync(code, "submitAnnouncement")}/claim");

        var page = new HtmlParser().ParseDocument(await staff.Http.GetStringAsync($"/instances/{instanceId}"));

        Assert.Contains(procedure, page.Body!.TextContent, StringComparison.Ordinal);
        var timeline = page.QuerySelector("[data-testid=history-timeline]")!;
        Assert.StartsWith(taskName, timeline.QuerySelector("[data-type=TaskClaimed] [data-testid=history-element]")!.TextContent.Trim(), StringComparison.Ordinal);
        // The process started: an event that carries only the start event's id reads its name in the language too.
        Assert.Contains(timeline.QuerySelectorAll("[data-testid=history-element]"), cell => cell.TextContent.Trim() == (culture == "en" ? "Project registered" : "项目登记"));
    }

    [Fact]
    public async Task DemoFastForward_StaffOnADemoProject_FiresTheStatutoryWaitAndTheProjectMovesOn()
    {
        var instanceId = await DemoProjects.StartAtDocumentSaleAsync(factory.App, NewCode());
        var timer = Assert.Single(await Engine.GetTimersAsync(instanceId));
        using var scope = factory.App.Services.CreateScope();
        var instances = scope.ServiceProvider.GetRequiredService<InstanceService>();
        Assert.True((await instances.GetAsync(DemoProjects.Staff, instanceId))!.DemoFastForward);

        await instances.FastForwardTimerAsync(DemoProjects.Staff, instanceId, timer.Id);

        var active = (await Engine.GetInstanceAsync(instanceId))!.ActiveElementIds;
        Assert.DoesNotContain("documentSaleEnds", active);
        Assert.Contains("bidDeadline", active);
    }

    [Fact]
    public async Task DemoFastForward_ProjectNotStartedByADemoCentreAccount_IsRefusedAndNotOffered()
    {
        var instanceId = await DemoProjects.StartAtDocumentSaleAsync(factory.App, NewCode(), startedBy: "registry-import");
        var timer = Assert.Single(await Engine.GetTimersAsync(instanceId));
        using var scope = factory.App.Services.CreateScope();
        var instances = scope.ServiceProvider.GetRequiredService<InstanceService>();

        Assert.False((await instances.GetAsync(DemoProjects.Staff, instanceId))!.DemoFastForward);
        await Assert.ThrowsAsync<WorkflowStateException>(() => instances.FastForwardTimerAsync(DemoProjects.Staff, instanceId, timer.Id));
        Assert.Single(await Engine.GetTimersAsync(instanceId));
    }

    [Theory]
    [InlineData(PlatformRoles.Supervisor)]
    [InlineData(PlatformRoles.Tenderee)]
    public async Task DemoFastForward_NeitherStaffNorAdministrator_IsRefused(string role)
    {
        var instanceId = await DemoProjects.StartAtDocumentSaleAsync(factory.App, NewCode());
        var timer = Assert.Single(await Engine.GetTimersAsync(instanceId));
        using var scope = factory.App.Services.CreateScope();
        var instances = scope.ServiceProvider.GetRequiredService<InstanceService>();

        await Assert.ThrowsAsync<WorkflowAccessDeniedException>(() => instances.FastForwardTimerAsync(new WorkflowUser("someone", [role]), instanceId, timer.Id));
        Assert.Single(await Engine.GetTimersAsync(instanceId));
    }

    [Fact]
    public async Task Viewer_DemoProject_IsLabelledDemoForStaff()
    {
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var instanceId = await DemoProjects.StartAsync(factory.App, NewCode());

        var html = await staff.Http.GetStringAsync($"/instances/{instanceId}");

        var label = new HtmlParser().ParseDocument(html).QuerySelector("[data-testid=viewer-demo]");
        Assert.NotNull(label);
        Assert.Contains("演示", label.TextContent, StringComparison.Ordinal);
    }
}

/// <summary>In Production the server refuses the demo fast-forward, whoever asks and whatever the project.</summary>
public sealed class DemoFastForwardProductionTests : IAsyncLifetime
{
    private readonly DemoDateRecorder _dates = new();
    private PlatformFactory _app = default!;

    public Task InitializeAsync()
    {
        _app = new PlatformFactory(environment: "Production", configureServices: services => services.AddSingleton<Trading.Workflow.Domain.Trades.IDemoTimerDate>(_dates));
        _ = _app.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task DemoFastForward_InProduction_IsRefusedAndNotOffered()
    {
        var instanceId = await DemoProjects.StartAtDocumentSaleAsync(_app, "PROD-" + Guid.NewGuid().ToString("N")[..8]);
        var engine = _app.Services.GetRequiredService<IWorkflowEngine>();
        var timer = Assert.Single(await engine.GetTimersAsync(instanceId));
        using var scope = _app.Services.CreateScope();
        var instances = scope.ServiceProvider.GetRequiredService<InstanceService>();
        var admin = new WorkflowUser("admin", [PlatformRoles.Administrator]);

        Assert.False((await instances.GetAsync(admin, instanceId))!.DemoFastForward);
        await Assert.ThrowsAsync<DemoModeRequiredException>(() => instances.FastForwardTimerAsync(admin, instanceId, timer.Id));
        Assert.Single(await engine.GetTimersAsync(instanceId));
        Assert.Empty(_dates.Calls); // no date of the model moves either
    }
}
