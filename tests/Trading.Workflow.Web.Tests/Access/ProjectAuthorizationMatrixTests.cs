using System.Net;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Projects;
using Trading.Workflow.Web.Tests.Inbox;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Access;

/// <summary>
/// Who may see and act (issue 11, point 9): two projects in two centres under one province, each running the open
/// tender with its first task (submit the announcement, offered to the role Tenderee) and a file uploaded by the
/// owner's user. Every party of the test walks every endpoint and page of both projects; the answers are compared
/// with the table below.
/// </summary>
public sealed class ProjectAuthorizationMatrixTests : IAsyncLifetime
{
    private const string Password = "Demo@2026";
    private PlatformFactory _app = default!;
    private readonly Dictionary<string, ProjectUnderTest> _projects = new(StringComparer.Ordinal);
    private NoticeProject _noticeProjectA = default!;

    private sealed record ProjectUnderTest(Guid ProjectId, string Code, Guid InstanceId, Guid TaskId, Guid DocumentId);

    // What each party may do with each project. Columns: the task in the group inbox (Y/N), GET the task, POST claim,
    // GET the instance, GET the file, the task page, the instance viewer page and the engineering tender page (ok / denied).
    //   A: project of centre A (the demo city), owner entity OA through agency GA; bidder1's entity takes part;
    //      expert-drawn was drawn for it. B: project of centre B (another city under the same province), owner OB.
    //   staff-county: staff of the demo county, a centre below A, who reads neither.
    //   Both tenders are still being prepared, so no bidder sees them yet.
    private static readonly string[] Expected =
    [
        // party          project inbox task claim instance file taskPage instancePage tenderPage
        "staff-a          A  N 200 403 200 200 ok     ok     ok",
        "staff-b          A  N 403 403 403 403 denied denied denied",
        "staff-province   A  N 200 403 200 200 ok     ok     ok",
        "staff-county     A  N 403 403 403 403 denied denied denied",
        "owner-a          A  Y 200 204 200 200 ok     ok     ok", // the owner's and agency's users read their project's instance
        "agency-a         A  Y 200 204 200 200 ok     ok     ok",
        "bidder-1         A  N 403 403 403 403 denied denied denied",
        "bidder-2         A  N 403 403 403 403 denied denied denied",
        "expert-drawn     A  N 403 403 403 200 denied denied denied",
        "expert-other     A  N 403 403 403 403 denied denied denied",
        "supervisor-a     A  N 200 403 200 200 ok     ok     ok",
        "admin            A  N 200 403 200 200 ok     ok     ok",
        "staff-a          B  N 403 403 403 403 denied denied denied",
        "staff-b          B  N 200 403 200 200 ok     ok     ok",
        "staff-province   B  N 200 403 200 200 ok     ok     ok",
        "staff-county     B  N 403 403 403 403 denied denied denied",
        "owner-a          B  N 403 403 403 403 denied denied denied",
        "agency-a         B  N 403 403 403 403 denied denied denied",
        "bidder-1         B  N 403 403 403 403 denied denied denied",
        "bidder-2         B  N 403 403 403 403 denied denied denied",
        "expert-drawn     B  N 403 403 403 403 denied denied denied",
        "expert-other     B  N 403 403 403 403 denied denied denied",
        "supervisor-a     B  N 403 403 403 403 denied denied denied",
        "admin            B  N 200 403 200 200 ok     ok     ok",
    ];

    public async Task InitializeAsync()
    {
        _app = new PlatformFactory();
        _ = _app.Server;
        using var scope = _app.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var trading = scope.ServiceProvider.GetRequiredService<ITradingDatabase>();
        var parties = scope.ServiceProvider.GetRequiredService<IProjectParticipants>();

        var province = await accounts.TradingCentres.SingleAsync(c => c.Code == DemoDataSeeder.DemoProvinceCode);
        var cityA = await accounts.TradingCentres.SingleAsync(c => c.Code == DemoDataSeeder.DemoCityCode);
        var countyBelowA = await accounts.TradingCentres.SingleAsync(c => c.Code == ProjectsDemoData.DemoCountyCode);
        var cityB = TradingCentre.Create("TEST-B", "乙市公共资源交易中心", "City B Public Resource Trading Centre", CentreLevel.Prefecture, province);
        accounts.TradingCentres.Add(cityB);
        await accounts.SaveChangesAsync();

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        async Task UserAsync(string name, string role, Guid? centre)
        {
            var user = new AppUser { UserName = name, Email = $"{name}@test.invalid", EmailConfirmed = true, CentreId = centre };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded, name);
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded, name);
            ids[name] = user.Id;
        }

        await UserAsync("staff-a", PlatformRoles.Staff, cityA.Id);
        await UserAsync("staff-b", PlatformRoles.Staff, cityB.Id);
        await UserAsync("staff-province", PlatformRoles.Staff, province.Id);
        await UserAsync("staff-county", PlatformRoles.Staff, countyBelowA.Id);
        await UserAsync("owner-a", PlatformRoles.Tenderee, cityA.Id);
        await UserAsync("owner-b", PlatformRoles.Tenderee, cityB.Id);
        await UserAsync("agency-a", PlatformRoles.Tenderee, cityA.Id);
        await UserAsync("bidder-1", PlatformRoles.Bidder, null);
        await UserAsync("bidder-2", PlatformRoles.Bidder, null);
        await UserAsync("expert-drawn", PlatformRoles.Expert, null);
        await UserAsync("expert-other", PlatformRoles.Expert, null);
        await UserAsync("supervisor-a", PlatformRoles.Supervisor, cityA.Id);

        Guid ownerA = Guid.NewGuid(), agencyA = Guid.NewGuid(), ownerB = Guid.NewGuid(), bidder1 = Guid.NewGuid(), bidder2 = Guid.NewGuid();
        await using (var db = trading.Create())
        {
            // Market entities and who acts for them, as the market module stores them.
            var n = 0;
            foreach (var (entity, member) in new[] { (ownerA, "owner-a"), (agencyA, "agency-a"), (ownerB, "owner-b"), (bidder1, "bidder-1"), (bidder2, "bidder-2") })
            {
                n++;
                var id = entity.ToString().ToUpperInvariant();
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"tr_market_entities\" (\"id\",\"kind\",\"identifier\",\"name\",\"registered_at\",\"version\") VALUES ({0},0,{1},{2},'2026-12-01 00:00:00+00:00',1)",
                    id, $"91530100MA0000000{n}", $"测试主体{n}");
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO \"tr_market_members\" (\"entity_id\",\"user_id\",\"is_administrator\",\"joined_at\",\"invited_by\") VALUES ({0},{1},1,'2026-12-01 00:00:00+00:00','test')",
                    id, ids[member]);
            }

            var now = DateTimeOffset.UtcNow;
            // Sequence 901: the demo data already holds the demo city's first engineering project of the year.
            var projectA = Project.Register(
                ProjectCode.Format(cityA.Code, TradeTypes.EngineeringConstruction, 2026, 901), cityA.Id, TradeTypes.EngineeringConstruction,
                new ProjectDetails("open-tender", "甲市道路改造工程", new PartyRef(ownerA, "测试主体1"), new PartyRef(agencyA, "测试主体2"), new string('a', 64), false, "530100", "市政"),
                [new SectionDraft("一标段", 1_000_000m)], "owner-a", now);
            var projectB = Project.Register(
                ProjectCode.Format(cityB.Code, TradeTypes.EngineeringConstruction, 2026, 901), cityB.Id, TradeTypes.EngineeringConstruction,
                new ProjectDetails("open-tender", "乙市道路改造工程", new PartyRef(ownerB, "测试主体3"), null, null, false, "530200", "市政"),
                [new SectionDraft("一标段", 1_000_000m)], "owner-b", now);
            db.AddRange(projectA, projectB);
            await TenderService.EnsureAsync(db, projectA, now, CancellationToken.None);
            await TenderService.EnsureAsync(db, projectB, now, CancellationToken.None);
            await db.SaveChangesAsync();
            _noticeProjectA = NoticeProject.Create(projectA.Id, projectA.Code, cityA.Id, TradeTypes.EngineeringConstruction, "530100", "甲市道路改造工程");
            await parties.AddParticipantAsync(projectA.Id, bidder1, projectA.Sections[0].Id, "bidder-1");
            await parties.AddExpertAsync(projectA.Id, "expert-drawn", null, "staff-a");
            _projects["A"] = await StartAsync(projectA.Id, projectA.Code, "owner-a");
            _projects["B"] = await StartAsync(projectB.Id, projectB.Code, "owner-b");
        }
    }

    // Starts the project's procedure as its owner's user and leaves a file of the owner on its first task.
    private async Task<ProjectUnderTest> StartAsync(Guid projectId, string code, string owner)
    {
        var client = await WorkflowApiClient.SignInAsync(_app, owner);
        var instanceId = await client.StartOpenTenderAsync(code);
        var taskId = await client.OpenTaskIdAsync(code, "submitAnnouncement");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/workflow/tasks/{taskId}/claim")).StatusCode);
        var documentId = Guid.Parse(await client.UploadAsync(taskId, "tenderDocuments"));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/workflow/tasks/{taskId}/unclaim")).StatusCode);
        return new ProjectUnderTest(projectId, code, instanceId, taskId, documentId);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EveryParty_OfBothProjects_MayDoExactlyWhatTheTableSays()
    {
        var actual = new List<string>();
        foreach (var line in Expected)
        {
            var party = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            var key = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            var project = _projects[key];
            var client = await WorkflowApiClient.SignInAsync(_app, party);
            var inbox = await client.InboxAsync($"tab=Group&projectCode={Uri.EscapeDataString(project.Code)}");
            var task = await client.Http.GetAsync($"/api/workflow/tasks/{project.TaskId}");
            var claim = await client.PostAsync($"/api/workflow/tasks/{project.TaskId}/claim");
            if (claim.StatusCode == HttpStatusCode.NoContent)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/workflow/tasks/{project.TaskId}/unclaim")).StatusCode);
            }

            var instance = await client.Http.GetAsync($"/api/workflow/instances/{project.InstanceId}");
            var file = await client.Http.GetAsync($"/workflow/documents/{project.DocumentId}");
            var taskPage = await PageAsync(client, $"/inbox/tasks/{project.TaskId}");
            var instancePage = await PageAsync(client, $"/instances/{project.InstanceId}");
            var tenderPage = await TenderPageAsync(client, project.ProjectId);
            actual.Add(Row(
                party, key, inbox.Rows.Any(r => r.TaskId == project.TaskId) ? "Y" : "N",
                (int)task.StatusCode, (int)claim.StatusCode, (int)instance.StatusCode, (int)file.StatusCode, taskPage, instancePage, tenderPage));
        }

        Assert.Equal(Expected.Select(Normalize), actual);
    }

    [Fact]
    public async Task Delegation_GoesOnlyToUsersWhoCouldReceiveTheTask()
    {
        var project = _projects["A"];
        var owner = await WorkflowApiClient.SignInAsync(_app, "owner-a");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.PostAsync($"/api/workflow/tasks/{project.TaskId}/claim")).StatusCode);

        var toBidder = await owner.PostAsync($"/api/workflow/tasks/{project.TaskId}/delegate", new DelegateRequest("bidder-1", null));
        var toTendereeOfAnotherCentre = await owner.PostAsync($"/api/workflow/tasks/{project.TaskId}/delegate", new DelegateRequest("owner-b", null));
        var toAgency = await owner.PostAsync($"/api/workflow/tasks/{project.TaskId}/delegate", new DelegateRequest("agency-a", "请代为提交"));

        Assert.Equal(HttpStatusCode.BadRequest, toBidder.StatusCode);
        Assert.Contains("不是此任务的候选人", await toBidder.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, toTendereeOfAnotherCentre.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, toAgency.StatusCode);
        var agency = await WorkflowApiClient.SignInAsync(_app, "agency-a");
        Assert.Equal(HttpStatusCode.NoContent, (await agency.PostAsync($"/api/workflow/tasks/{project.TaskId}/unclaim")).StatusCode);
    }

    [Fact]
    public async Task InstanceList_ShowsStaffOnlyTheProjectsTheyMayRead()
    {
        using var scope = _app.Services.CreateScope();
        var instances = scope.ServiceProvider.GetRequiredService<InstanceService>();

        async Task<IReadOnlyList<string?>> ListedAsync(string user, string role) =>
            [.. (await instances.ListAsync(new WorkflowUser(user, [role]), new InstanceListFilter { Take = 100 })).Rows.Select(r => r.BusinessKey)];

        var staffA = await ListedAsync("staff-a", PlatformRoles.Staff);
        var staffProvince = await ListedAsync("staff-province", PlatformRoles.Staff);
        Assert.Contains(_projects["A"].Code, staffA);
        Assert.DoesNotContain(_projects["B"].Code, staffA);
        Assert.Contains(_projects["A"].Code, staffProvince);
        Assert.Contains(_projects["B"].Code, staffProvince);
    }

    [Fact]
    public async Task NoticeReview_KeyedByNoticeId_IsOfferedOnlyWithinTheNoticesProject()
    {
        // The review procedure's business key is the notice id, not a project code: the scope maps it to the project.
        Guid instanceId;
        using (var scope = _app.Services.CreateScope())
        {
            var notices = scope.ServiceProvider.GetRequiredService<NoticeService>();
            var notice = await notices.DraftAsync(
                "owner-a", _noticeProjectA, new NoticeDraft(NoticeKind.Tender, "甲市道路改造工程招标公告", "<p>招标公告正文</p>", []));
            instanceId = await notices.SubmitAsync("owner-a", notice.Id);
        }

        var engine = _app.Services.GetRequiredService<IWorkflowEngine>();
        var review = (await engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId, ElementId = "reviewNotice" })).Single();

        async Task<(bool Listed, HttpStatusCode Get, HttpStatusCode Claim, string Page)> TryAsync(string party)
        {
            var client = await WorkflowApiClient.SignInAsync(_app, party);
            var listed = (await client.InboxAsync("tab=Group&take=100")).Rows.Any(r => r.TaskId == review.Id);
            var get = (await client.Http.GetAsync($"/api/workflow/tasks/{review.Id}")).StatusCode;
            var page = await PageAsync(client, $"/inbox/tasks/{review.Id}");
            var claim = (await client.PostAsync($"/api/workflow/tasks/{review.Id}/claim")).StatusCode;
            if (claim == HttpStatusCode.NoContent)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/workflow/tasks/{review.Id}/unclaim")).StatusCode);
            }

            return (listed, get, claim, page);
        }

        Assert.Equal((true, HttpStatusCode.OK, HttpStatusCode.NoContent, "ok"), await TryAsync("staff-a"));
        Assert.Equal((false, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, "denied"), await TryAsync("staff-b"));
        Assert.Equal((false, HttpStatusCode.OK, HttpStatusCode.Forbidden, "ok"), await TryAsync("staff-province"));
        Assert.Equal((false, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, "denied"), await TryAsync("bidder-1"));

        // The instance list of staff of another centre leaves it out; the notice's centre lists it.
        using var listScope = _app.Services.CreateScope();
        var instances = listScope.ServiceProvider.GetRequiredService<InstanceService>();
        async Task<bool> ListedAsync(string user) =>
            (await instances.ListAsync(new WorkflowUser(user, [PlatformRoles.Staff]), new InstanceListFilter { Take = 100 })).Rows.Any(r => r.Id == instanceId);
        Assert.True(await ListedAsync("staff-a"));
        Assert.False(await ListedAsync("staff-b"));
    }

    [Fact]
    public async Task NoticeReview_IsListedAndNamedAsItsProject_NotAsTheNoticeId()
    {
        Guid instanceId;
        Guid noticeId;
        using (var scope = _app.Services.CreateScope())
        {
            var notices = scope.ServiceProvider.GetRequiredService<NoticeService>();
            var notice = await notices.DraftAsync(
                "owner-a", _noticeProjectA, new NoticeDraft(NoticeKind.Tender, "甲市道路改造工程变更公告", "<p>变更公告正文</p>", []));
            (noticeId, instanceId) = (notice.Id, await notices.SubmitAsync("owner-a", notice.Id));
        }

        // The lookup behind the inbox, instance list, incidents, task page and viewer: the notice id names its project.
        var lookup = _app.Services.GetRequiredService<Trading.Workflow.Domain.Projects.ProjectLookup>();
        var found = await lookup.FindByCodesAsync([noticeId.ToString(), _projects["A"].Code, "NO-SUCH-KEY"]);
        Assert.Equal(_projects["A"].Code, found[noticeId.ToString()].Code);
        Assert.Equal(_projects["A"].Code, found[_projects["A"].Code].Code);
        Assert.False(found.ContainsKey("NO-SUCH-KEY"));

        // Filtering the instance list by the project's code finds the review too, for staff and for an administrator
        // (no project scope); another project's code does not.
        using var listScope = _app.Services.CreateScope();
        var instances = listScope.ServiceProvider.GetRequiredService<InstanceService>();
        async Task<IReadOnlyList<Guid>> ListedAsync(WorkflowUser user, string code) =>
            [.. (await instances.ListAsync(user, new InstanceListFilter { ProjectCode = code, Take = 100 })).Rows.Select(r => r.Id)];
        Assert.Contains(instanceId, await ListedAsync(new WorkflowUser("staff-a", [PlatformRoles.Staff]), _projects["A"].Code));
        Assert.Contains(instanceId, await ListedAsync(new WorkflowUser("admin-test", [PlatformRoles.Administrator]), _projects["A"].Code));
        Assert.DoesNotContain(instanceId, await ListedAsync(new WorkflowUser("admin-test", [PlatformRoles.Administrator]), _projects["B"].Code));

        // The review, a procedure of no trade, is of its project's trade: that trade's filter lists it, another's does not.
        async Task<IReadOnlyList<Guid>> OfTradeAsync(string tradeType) =>
            [.. (await instances.ListAsync(new WorkflowUser("staff-a", [PlatformRoles.Staff]), new InstanceListFilter { TradeType = tradeType, Take = 100 })).Rows.Select(r => r.Id)];
        Assert.Contains(instanceId, await OfTradeAsync(TradeTypes.EngineeringConstruction));
        Assert.DoesNotContain(instanceId, await OfTradeAsync(TradeTypes.GovernmentProcurement));
        Assert.Contains(_projects["A"].InstanceId, await OfTradeAsync(TradeTypes.EngineeringConstruction));

        // The inbox (its first page is rendered on the server) names the review's project, not the notice id.
        var client = await WorkflowApiClient.SignInAsync(_app, "staff-a");
        var html = await client.Http.GetStringAsync("/inbox?tab=Group");
        Assert.Contains(_projects["A"].Code, html, StringComparison.Ordinal);
        Assert.DoesNotContain(noticeId.ToString(), html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(">其他<", html, StringComparison.Ordinal);

        // Filtering the inbox by the project's code (or a prefix of it) finds the review's task, offered and then done;
        // another project's code does not.
        var review = (await _app.Services.GetRequiredService<IWorkflowEngine>().GetTasksAsync(new TaskQuery { InstanceId = instanceId, ElementId = "reviewNotice" })).Single();
        async Task<bool> InInboxAsync(string tab, string code) =>
            (await client.InboxAsync($"tab={tab}&projectCode={Uri.EscapeDataString(code)}&take=100")).Rows.Any(r => r.TaskId == review.Id);
        Assert.True(await InInboxAsync("Group", _projects["A"].Code));
        Assert.True(await InInboxAsync("Group", _projects["A"].Code[..^1]));
        Assert.False(await InInboxAsync("Group", _projects["B"].Code));
        async Task<bool> InTradeAsync(string tab, string tradeType) =>
            (await client.InboxAsync($"tab={tab}&tradeType={tradeType}&take=100")).Rows.Any(r => r.TaskId == review.Id);
        Assert.True(await InTradeAsync("Group", TradeTypes.EngineeringConstruction));
        Assert.False(await InTradeAsync("Group", TradeTypes.GovernmentProcurement));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/workflow/tasks/{review.Id}/claim")).StatusCode);
        Assert.True(await InInboxAsync("Mine", _projects["A"].Code));
        Assert.True(await InTradeAsync("Mine", TradeTypes.EngineeringConstruction));
        Assert.False(await InTradeAsync("Mine", TradeTypes.LandRights));
        // The review screen's own path (the generic completion refuses this task), as staff-a.
        await _app.Services.GetRequiredService<IWorkflowEngine>().CompleteTaskAsync(
            review.Id, new Dictionary<string, object?> { ["noticeApproved"] = false, ["noticeReturnReason"] = "附件不全，请补充后重新提交。", ["noticeReviewer"] = "staff-a" }, "staff-a");
        Assert.True(await InInboxAsync("Completed", _projects["A"].Code));
        Assert.False(await InInboxAsync("Completed", _projects["B"].Code));
        Assert.True(await InTradeAsync("Completed", TradeTypes.EngineeringConstruction));
        Assert.False(await InTradeAsync("Completed", TradeTypes.GovernmentProcurement));
    }

    [Fact]
    public async Task UserTaskWithoutReceivers_OfAnImportedModel_GoesToThe_ProjectCentresStaffOnly()
    {
        // A Camunda model may leave a user task without assignee or candidates (issue 15): on the platform it goes to
        // the staff of the centre that owns the project, as unassigned tasks they claim, and to no one else.
        const string bpmn = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="http://camunda.org/examples">
              <bpmn:process id="camunda-import.matrix-unassigned" isExecutable="true">
                <bpmn:startEvent id="start" />
                <bpmn:userTask id="check" name="核对材料" />
                <bpmn:endEvent id="end" />
                <bpmn:sequenceFlow sourceRef="start" targetRef="check" />
                <bpmn:sequenceFlow sourceRef="check" targetRef="end" />
              </bpmn:process>
            </bpmn:definitions>
            """;
        var engine = _app.Services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(Trading.Workflow.Engine.Parsing.BpmnParser.Parse(bpmn), "admin");
        var instance = await engine.StartAsync("camunda-import.matrix-unassigned", _projects["A"].Code, new Dictionary<string, object?>(), "admin");
        var task = (await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id, ElementId = "check" })).Single();

        async Task<(bool Listed, HttpStatusCode Claim)> TryAsync(string party)
        {
            var client = await WorkflowApiClient.SignInAsync(_app, party);
            var listed = (await client.InboxAsync("tab=Group&take=100")).Rows.Any(r => r.TaskId == task.Id);
            var claim = (await client.PostAsync($"/api/workflow/tasks/{task.Id}/claim")).StatusCode;
            if (claim == HttpStatusCode.NoContent)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/workflow/tasks/{task.Id}/unclaim")).StatusCode);
            }

            return (listed, claim);
        }

        Assert.Null(task.Assignee);
        Assert.Equal((true, HttpStatusCode.NoContent), await TryAsync("staff-a"));
        Assert.Equal((false, HttpStatusCode.Forbidden), await TryAsync("staff-b"));
        Assert.Equal((false, HttpStatusCode.Forbidden), await TryAsync("owner-a"));
        Assert.Equal((false, HttpStatusCode.Forbidden), await TryAsync("bidder-1"));
    }

    private static async Task<string> PageAsync(WorkflowApiClient client, string path)
    {
        // Refused by the page's role check (the access-denied page) or by the scope check (the refusal on the page).
        var response = await client.Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var landed = response.RequestMessage?.RequestUri?.AbsolutePath ?? path;
        return landed.Contains("AccessDenied", StringComparison.OrdinalIgnoreCase) || response.StatusCode == HttpStatusCode.Forbidden
               || html.Contains(WorkflowAccessDeniedException.MessageZh, StringComparison.Ordinal)
            ? "denied"
            : "ok";
    }

    // The tender page shows its summary (stage, dates, countdown) or says there is no tender the user may see.
    private static async Task<string> TenderPageAsync(WorkflowApiClient client, Guid projectId)
    {
        var html = await client.Http.GetStringAsync($"/engineering/tenders/{projectId}");
        return html.Contains("data-testid=\"tender-summary\"", StringComparison.Ordinal) ? "ok"
            : html.Contains("data-testid=\"tender-missing\"", StringComparison.Ordinal) ? "denied"
            : "neither";
    }

    private static string Row(string party, string project, string inbox, int task, int claim, int instance, int file, string taskPage, string instancePage, string tenderPage) =>
        string.Join(' ', party, project, inbox, task, claim, instance, file, taskPage, instancePage, tenderPage);

    private static string Normalize(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
