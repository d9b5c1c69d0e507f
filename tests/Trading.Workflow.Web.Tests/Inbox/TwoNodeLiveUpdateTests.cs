using System.Collections.Concurrent;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>
/// Two app nodes on one PostgreSQL database (issue 15, point 4): a task created by a command on one node reaches the
/// inbox feed of the other (<see cref="TaskNotifier.TasksChanged"/>, which open inbox pages follow) through
/// LISTEN/NOTIFY, and only the committing node records it as its own (notifications are recorded once).
/// </summary>
public sealed class TwoNodeLiveUpdateTests : IAsyncLifetime
{
    private const string Bpmn = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="defs" targetNamespace="http://example.org">
          <bpmn:process id="nodes.check" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="check" tw:candidateRoles="Staff" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private readonly PostgreSqlInstallation _installation = new();
    private PlatformFactory _nodeA = default!;
    private PlatformFactory _nodeB = default!;

    public async Task InitializeAsync()
    {
        await _installation.InitializeAsync();
        _nodeA = _installation.Node();
        _ = _nodeA.Server; // the first node brings the schema; the second starts on it
        _nodeB = _installation.Node();
        _ = _nodeB.Server;
    }

    public async Task DisposeAsync()
    {
        await _nodeB.DisposeAsync();
        await _nodeA.DisposeAsync();
        await _installation.DisposeAsync();
    }

    [Fact]
    public async Task TaskCreatedOnNodeA_AppearsLiveOnNodeB_AndIsNodeAsOwnOnly()
    {
        await _nodeA.Services.GetRequiredService<PostgresTaskChangeFeed>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        await _nodeB.Services.GetRequiredService<PostgresTaskChangeFeed>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        var notifierB = _nodeB.Services.GetRequiredService<TaskNotifier>();
        var liveOnB = new ConcurrentQueue<TaskChange>();
        var committedOnB = new ConcurrentQueue<TaskChange>();
        notifierB.TasksChanged += changes => changes.ToList().ForEach(liveOnB.Enqueue);
        notifierB.CommittedHere += changes => changes.ToList().ForEach(committedOnB.Enqueue);

        var engineA = _nodeA.Services.GetRequiredService<IWorkflowEngine>();
        await engineA.DeployAsync(BpmnParser.Parse(Bpmn), "admin");
        var instance = await engineA.StartAsync("nodes.check", "NODE-1", new Dictionary<string, object?>(), "admin");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!liveOnB.Any(c => c.InstanceId == instance.Id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var change = Assert.Single(liveOnB, c => c.InstanceId == instance.Id);
        Assert.Equal((HistoryEventType.TaskCreated, "Staff"), (change.Kind, Assert.Single(change.CandidateRoles)));
        Assert.DoesNotContain(committedOnB, c => c.InstanceId == instance.Id);
    }

    [Fact]
    public async Task InboxPageOpenOnNodeB_ShowsATaskNodeACreates_WithoutAReload()
    {
        await _nodeA.Services.GetRequiredService<PostgresTaskChangeFeed>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        await _nodeB.Services.GetRequiredService<PostgresTaskChangeFeed>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        var engineA = _nodeA.Services.GetRequiredService<IWorkflowEngine>();
        await engineA.DeployAsync(BpmnParser.Parse(Bpmn), "admin");

        // A staff member's inbox, rendered once on node B over node B's own queries and notifier (its circuit).
        await using var circuit = new InboxCircuit(_nodeB.Services);
        var page = circuit.RenderInbox("staff-b", "Staff"); // on the tab of the role's unclaimed tasks
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=inbox-heading]").GetAttribute("data-interactive")));
        Assert.DoesNotContain("NODE-LIVE-1", Projects(page));
        var renders = page.RenderCount;

        await engineA.StartAsync("nodes.check", "NODE-LIVE-1", new Dictionary<string, object?>(), "admin");

        // No click, no navigation: the page on node B re-reads when node A's commit arrives by NOTIFY.
        page.WaitForAssertion(() =>
        {
            Assert.Contains("NODE-LIVE-1", Projects(page));
            Assert.NotNull(page.Find("[data-testid=inbox-new-tasks]"));
        }, TimeSpan.FromSeconds(30));
        Assert.True(page.RenderCount > renders);
    }

    private static IReadOnlyList<string> Projects(IRenderedComponent<Trading.Workflow.Web.Components.Pages.Inbox.Inbox> page) =>
        page.FindAll("[data-testid=task-project]").Select(e => e.TextContent.Trim()).ToList();

    /// <summary>A component context wired to one node's inbox services, as that node's Blazor circuit is.</summary>
    private sealed class InboxCircuit : PlatformComponentTest
    {
        public InboxCircuit(IServiceProvider node)
        {
            Services.AddSingleton(node.GetRequiredService<InboxQueries>());
            Services.AddSingleton(node.GetRequiredService<TaskNotifier>());
            Services.AddSingleton(node.GetRequiredService<Trading.Workflow.Domain.Projects.ProjectLookup>());
            Services.AddSingleton(node.GetRequiredService<IOptions<PlatformWorkflowOptions>>());
        }

        public IRenderedComponent<Trading.Workflow.Web.Components.Pages.Inbox.Inbox> RenderInbox(string user, params string[] roles)
        {
            SignIn(user, roles);
            Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/inbox?tab=group");
            Render<MudPopoverProvider>();
            Render<MudSnackbarProvider>();
            Render<MudDialogProvider>();
            return Render<Trading.Workflow.Web.Components.Pages.Inbox.Inbox>();
        }
    }

    [Fact]
    public void Payloads_ManyChanges_AreSplitUnderPostgreSqlsLimitAndKeepEveryChange()
    {
        var changes = Enumerable.Range(0, 200)
            .Select(i => new TaskChange(Guid.NewGuid(), Guid.NewGuid(), HistoryEventType.TaskCreated, null, [$"user{i}"], ["Staff", "Supervisor"]))
            .ToList();

        var payloads = PostgresTaskChangeFeed.Payloads("node", changes).ToList();

        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.True(System.Text.Encoding.UTF8.GetByteCount(p) < 8000));
        Assert.Equal(200, payloads.Sum(p => System.Text.Json.JsonDocument.Parse(p).RootElement.GetProperty("changes").GetArrayLength()));
    }
}
