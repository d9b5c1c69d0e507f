using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Components.Pages.Inbox;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>The inbox page over the real inbox queries and a real SQLite file: first load, filters, paging, due flags.</summary>
public sealed class InboxPageTests : PlatformComponentTest, IAsyncLifetime
{
    private InboxDatabase _db = default!;

    public async Task InitializeAsync()
    {
        _db = await InboxDatabase.CreateAsync();
        Services.AddSingleton(_db.Queries);
        Services.AddSingleton(_db.Projects);
        Services.AddSingleton(new TaskNotifier(NullLogger<TaskNotifier>.Instance));
        Services.AddSingleton(Options.Create(new PlatformWorkflowOptions { InboxPageSize = 5 }));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // MudBlazor's popover service only disposes asynchronously: dispose the context here, before xunit's Dispose.
        await DisposeAsync();
        await _db.DisposeAsync();
    }

    private IRenderedComponent<MudPopoverProvider> _popovers = default!;

    private IRenderedComponent<Trading.Workflow.Web.Components.Pages.Inbox.Inbox> RenderInbox(string user, params string[] roles)
    {
        SignIn(user, roles);
        _popovers = Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        Render<MudDialogProvider>();
        return Render<Trading.Workflow.Web.Components.Pages.Inbox.Inbox>();
    }

    private static IElement Row(IRenderedComponent<Trading.Workflow.Web.Components.Pages.Inbox.Inbox> page, string project) =>
        page.FindAll("[data-testid=inbox-grid] tbody tr").Single(r => r.QuerySelector("[data-testid=task-project]")?.TextContent.Trim() == project);

    private static IReadOnlyList<string> Projects(IRenderedComponent<Trading.Workflow.Web.Components.Pages.Inbox.Inbox> page) =>
        page.FindAll("[data-testid=task-project]").Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public async Task FirstLoad_ShowsTheUsersTasksWithoutRefreshOrFilterChange()
    {
        await _db.AddOpenTaskAsync("P-001", assignee: "staff");
        await _db.AddOpenTaskAsync("P-002", assignee: "staff");
        await _db.AddOpenTaskAsync("P-003", assignee: "someone-else");

        var page = RenderInbox("staff", "Staff");

        page.WaitForAssertion(() => Assert.Equal(["P-001", "P-002"], Projects(page).Order()));
    }

    [Fact]
    public async Task ProjectCodeFilter_IsPassedToTheQuery_AndShowsOnlyMatchingTasks()
    {
        await _db.AddOpenTaskAsync("ALPHA-1", assignee: "staff");
        await _db.AddOpenTaskAsync("BETA-1", assignee: "staff");
        var page = RenderInbox("staff", "Staff");
        page.WaitForAssertion(() => Assert.Equal(2, Projects(page).Count));

        page.Find("[data-testid=filter-project-code] input, input[data-testid=filter-project-code]").Change("BETA");

        page.WaitForAssertion(() => Assert.Equal(["BETA-1"], Projects(page)));
    }

    [Fact]
    public async Task AFilterSetWhileTheFirstPageStillLoads_IsWhatShows_WhenTheFirstLoadEndsLast()
    {
        await _db.AddOpenTaskAsync("ALPHA-2", assignee: "staff");
        await _db.AddOpenTaskAsync("BETA-2", assignee: "staff");
        var firstLookup = new HeldQuery("tr_projects");
        Services.AddSingleton(new Trading.Workflow.Domain.Projects.ProjectLookup(new HeldTradingDatabase(_db.Database, firstLookup)));
        var page = RenderInbox("staff", "Staff");

        // The first load has its page of both tasks and waits for their projects; the filter's load overtakes it.
        page.Find("[data-testid=filter-project-code] input, input[data-testid=filter-project-code]").Change("BETA");
        page.WaitForAssertion(() => Assert.Equal(["BETA-2"], Projects(page)));
        Assert.Equal("第 1 页，共 1 页（1 条）", page.Find("[data-testid=inbox-paging]").TextContent.Trim());
        var renders = page.RenderCount;
        firstLookup.Release();

        // The first load ends last and shows nothing of its own: not its count, not its rows.
        page.WaitForState(() => page.RenderCount > renders);
        Assert.Equal(["BETA-2"], Projects(page));
        Assert.Equal("第 1 页，共 1 页（1 条）", page.Find("[data-testid=inbox-paging]").TextContent.Trim());
    }

    [Fact]
    public async Task TradeTypeFilter_IsPassedToTheQuery_AndShowsOnlyThatTradeType()
    {
        await _db.AddOpenTaskAsync("ENG-1", assignee: "staff", processId: "engineering-construction.open-tender");
        await _db.AddOpenTaskAsync("GOV-1", assignee: "staff", processId: "government-procurement.open-tender");
        var page = RenderInbox("staff", "Staff");
        page.WaitForAssertion(() => Assert.Equal(2, Projects(page).Count));

        var select = page.FindComponents<MudSelect<string>>().Single();
        await select.InvokeAsync(() => select.Instance.OpenMenu());
        _popovers.WaitForAssertion(() => Assert.NotEmpty(_popovers.FindAll(".mud-list-item")));
        _popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("政府采购", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Equal(["GOV-1"], Projects(page)));
    }

    [Fact]
    public async Task GroupTab_ShowsTheRolesUnclaimedTasksWithAClaimAction()
    {
        await _db.AddOpenTaskAsync("MINE-1", assignee: "staff");
        await _db.AddOpenTaskAsync("GROUP-1", role: "Staff");
        var page = RenderInbox("staff", "Staff");
        page.WaitForAssertion(() => Assert.Equal(["MINE-1"], Projects(page)));

        page.FindAll(".mud-tab")[1].Click();

        page.WaitForAssertion(() => Assert.Equal(["GROUP-1"], Projects(page)));
        Assert.NotNull(Row(page, "GROUP-1").QuerySelector("[data-testid=claim]"));
    }

    [Fact]
    public async Task NothingAssigned_OpensOnTheTasksWaitingToBeClaimed_UnlessTheAddressNamesTheTab()
    {
        await _db.AddOpenTaskAsync("GROUP-1", role: "Staff");

        var page = RenderInbox("staff", "Staff");

        page.WaitForAssertion(() => Assert.Equal(["GROUP-1"], Projects(page)));
        Assert.Contains("mud-tab-active", page.FindAll(".mud-tab")[1].ClassList);
        Assert.NotNull(Row(page, "GROUP-1").QuerySelector("[data-testid=claim]"));

        // A link to "my tasks" stays there, empty.
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("/inbox?tab=mine");
        var mine = Render<Trading.Workflow.Web.Components.Pages.Inbox.Inbox>();
        mine.WaitForAssertion(() => Assert.Contains("mud-tab-active", mine.FindAll(".mud-tab")[0].ClassList));
        Assert.Empty(Projects(mine));
    }

    [Fact]
    public async Task Paging_ShowsOnePageFromTheDatabase_TheSummary_AndTheNextPageOnRequest()
    {
        for (var i = 1; i <= 7; i++)
        {
            await _db.AddOpenTaskAsync($"P-{i:D2}", assignee: "staff", due: InboxDatabase.Now.AddDays(10 + i));
        }

        var page = RenderInbox("staff", "Staff");
        page.WaitForAssertion(() => Assert.Equal(["P-01", "P-02", "P-03", "P-04", "P-05"], Projects(page)));
        Assert.Equal("第 1 页，共 2 页（7 条）", page.Find("[data-testid=inbox-paging]").TextContent.Trim());

        page.FindAll("[data-testid=inbox-pager] button").Single(b => b.TextContent.Trim() == "2").Click();

        page.WaitForAssertion(() => Assert.Equal(["P-06", "P-07"], Projects(page)));
        Assert.Equal("第 2 页，共 2 页（7 条）", page.Find("[data-testid=inbox-paging]").TextContent.Trim());
    }

    [Fact]
    public async Task DueHighlighting_MarksOverdueAndNearDueRowsWithClassAndBadge_AndLeavesLaterTasksPlain()
    {
        await _db.AddOpenTaskAsync("OVER", assignee: "staff", due: InboxDatabase.Now.AddHours(-1));
        await _db.AddOpenTaskAsync("NEAR", assignee: "staff", due: InboxDatabase.Now.AddHours(3));
        await _db.AddOpenTaskAsync("LATER", assignee: "staff", due: InboxDatabase.Now.AddDays(10));
        var page = RenderInbox("staff", "Staff");
        page.WaitForAssertion(() => Assert.Equal(3, Projects(page).Count));

        var over = Row(page, "OVER");
        var near = Row(page, "NEAR");
        var later = Row(page, "LATER");
        Assert.Contains("tw-row-overdue", over.ClassList);
        Assert.Equal("已逾期", over.QuerySelector("[data-testid=badge-overdue]")!.TextContent.Trim());
        Assert.Contains("tw-row-near-due", near.ClassList);
        Assert.Equal("即将到期", near.QuerySelector("[data-testid=badge-near-due]")!.TextContent.Trim());
        Assert.DoesNotContain("tw-row-overdue", later.ClassList);
        Assert.DoesNotContain("tw-row-near-due", later.ClassList);
        Assert.Null(later.QuerySelector("[data-testid=badge-overdue], [data-testid=badge-near-due]"));
    }

    [Theory]
    [InlineData("/inbox?due=overdue", new[] { "OVER" })]
    [InlineData("/inbox?due=OVERDUE&tab=mine", new[] { "OVER" })]
    [InlineData("/inbox?due=nearDue", new[] { "NEAR" })]
    [InlineData("/inbox?due=7", new[] { "LATER", "NEAR", "OVER" })]
    [InlineData("/inbox?due=soon&tab=9", new[] { "LATER", "NEAR", "OVER" })]
    public async Task TheDueFilterInTheAddress_IsWhatTheInboxOpensWith_AndAnUnknownOneIsIgnored(string address, string[] expected)
    {
        // The home page links its overdue count to /inbox?due=overdue.
        await _db.AddOpenTaskAsync("OVER", assignee: "staff", due: InboxDatabase.Now.AddHours(-1));
        await _db.AddOpenTaskAsync("NEAR", assignee: "staff", due: InboxDatabase.Now.AddHours(3));
        await _db.AddOpenTaskAsync("LATER", assignee: "staff", due: InboxDatabase.Now.AddDays(10));
        SignIn("staff", "Staff");
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo(address);
        RenderProviders();

        var page = Render<Trading.Workflow.Web.Components.Pages.Inbox.Inbox>();

        page.WaitForAssertion(() => Assert.Equal(expected, Projects(page).Order()));
    }

    [Fact]
    public async Task UnnamedTask_ShowsItsElementsNameFromTheDeployedDefinition_ElseItsId()
    {
        await _db.AddDefinitionAsync("engineering-construction.open-tender", 1, """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
              <bpmn:process id="engineering-construction.open-tender" isExecutable="true">
                <bpmn:userTask id="submitAnnouncement" name="提交招标公告" />
                <bpmn:userTask id="unnamedStep" />
              </bpmn:process>
            </bpmn:definitions>
            """);
        await _db.AddOpenTaskAsync("N-1", name: null, assignee: "staff", elementId: "submitAnnouncement", due: InboxDatabase.Now.AddDays(5));
        await _db.AddOpenTaskAsync("N-2", name: null, assignee: "staff", elementId: "unnamedStep", due: InboxDatabase.Now.AddDays(6));

        var page = RenderInbox("staff", "Staff");

        page.WaitForAssertion(() => Assert.Equal(2, Projects(page).Count));
        Assert.Equal("提交招标公告", Row(page, "N-1").QuerySelector("[data-testid=task-link]")!.TextContent.Trim());
        Assert.Equal("unnamedStep", Row(page, "N-2").QuerySelector("[data-testid=task-link]")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("en", "Review the tender notice: N-1", "提交")]
    [InlineData("zh-CN", "审核招标公告：N-1", "提交")]
    public async Task TaskNames_ReadInTheUsersLanguage_AndAnElementWithoutAnEnglishNameByItsName(string culture, string reviewShown, string submitShown)
    {
        await _db.AddDefinitionAsync("engineering-construction.open-tender", 1, """
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="d">
              <bpmn:process id="engineering-construction.open-tender" isExecutable="true">
                <bpmn:userTask id="reviewAnnouncement" name="审核招标公告：${projectCode}" tw:nameEn="Review the tender notice: ${projectCode}" />
                <bpmn:userTask id="submitAnnouncement" name="提交" />
              </bpmn:process>
            </bpmn:definitions>
            """);
        await _db.AddOpenTaskAsync("N-1", name: "审核招标公告：N-1", assignee: "staff", elementId: "reviewAnnouncement", due: InboxDatabase.Now.AddDays(5));
        await _db.AddOpenTaskAsync("N-2", name: "提交", assignee: "staff", elementId: "submitAnnouncement", due: InboxDatabase.Now.AddDays(6));
        Culture(culture);

        var page = RenderInbox("staff", "Staff");

        page.WaitForAssertion(() => Assert.Equal(2, Projects(page).Count));
        Assert.Equal(reviewShown, Row(page, "N-1").QuerySelector("[data-testid=task-link]")!.TextContent.Trim());
        Assert.Equal(submitShown, Row(page, "N-2").QuerySelector("[data-testid=task-link]")!.TextContent.Trim());
    }

    [Fact]
    public void EmptyInbox_InEnglish_SaysSoWithItsPagingSummary()
    {
        Culture("en");

        var page = RenderInbox("staff", "Staff");

        page.WaitForAssertion(() => Assert.Contains("No tasks.", page.Find("[data-testid=inbox-grid]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Page 1 of 1 (0 tasks)", page.Find("[data-testid=inbox-paging]").TextContent.Trim());
        Assert.Equal("My inbox", page.Find("[data-testid=inbox-heading]").TextContent.Trim());
    }
}
