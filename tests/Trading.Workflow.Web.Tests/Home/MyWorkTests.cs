using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Components.Pages.Home;
using HomePage = Trading.Workflow.Web.Components.Pages.Home.Index;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Inbox;

namespace Trading.Workflow.Web.Tests.Home;

/// <summary>
/// The home page of a signed-in user: what waits for them (their tasks and the overdue ones, their roles' unclaimed
/// tasks, their unread notifications) counted from the real inbox queries and notifications on a real SQLite file, and
/// the page their role works from; the greeting (and the app bar) by the display name, else the user name; an anonymous
/// visitor sees the platform's introduction instead.
/// </summary>
public sealed class MyWorkTests : PlatformComponentTest, IAsyncLifetime
{
    private InboxDatabase _db = default!;

    public async Task InitializeAsync()
    {
        _db = await InboxDatabase.CreateAsync();
        await using (var connection = (SqliteConnection)await _db.Database.OpenConnectionAsync())
        {
            await new SchemaMigrator(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance)
                .UpgradeAsync(connection, new TradingSchemaModule("notifications", "Trading.Workflow.Domain.Notifications.Schema").ScriptsFor(DatabaseProvider.Sqlite));
        }

        Services.AddSingleton(_db.Queries);
        Services.AddSingleton(new NotificationCenter(new TradingDatabase(_db.Database), new NotificationEvents(), _db.Clock));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _db.DisposeAsync();
    }

    private async Task NotifyAsync(string user, bool read = false)
    {
        await using var db = new TradingDatabase(_db.Database).Create();
        var notification = Notification.Create(user, $"test:{Guid.NewGuid()}", "test", "zh", new RenderedNotification("标题", "正文"), "/inbox", null, InboxDatabase.Now);
        if (read)
        {
            notification.MarkRead(InboxDatabase.Now);
        }

        db.Add(notification);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task ASignedInUser_SeesTheirOwnCounts_WithTheOverdueOnesLinked_AndTheirRolesPage_InZhAndEn()
    {
        await _db.AddOpenTaskAsync("P-1", assignee: "staff", due: InboxDatabase.Now.AddHours(-2));
        await _db.AddOpenTaskAsync("P-2", assignee: "staff", due: InboxDatabase.Now.AddDays(3));
        await _db.AddOpenTaskAsync("P-3", assignee: "staff");
        await _db.AddOpenTaskAsync("G-1", role: "Staff");
        await _db.AddOpenTaskAsync("G-2", role: "Staff");
        // Someone else's work is not counted: another user's task and notification, another role's unclaimed task.
        await _db.AddOpenTaskAsync("X-1", assignee: "other", due: InboxDatabase.Now.AddHours(-2));
        await _db.AddOpenTaskAsync("X-2", role: "Supervisor");
        await NotifyAsync("staff");
        await NotifyAsync("staff", read: true);
        await NotifyAsync("other");

        var work = Render<MyWork>(p => p.Add(x => x.User, Principal("staff", "Staff")));
        work.WaitForAssertion(() => Assert.Equal("3", work.Find("[data-testid=my-work-tasks-count]").TextContent.Trim()));
        Assert.Equal("我的工作", work.Find("#my-work-heading").TextContent.Trim());
        Assert.Equal("其中 1 项已逾期", work.Find("[data-testid=my-work-overdue]").TextContent.Trim());
        Assert.Equal("/inbox?due=overdue", work.Find("[data-testid=my-work-overdue]").GetAttribute("href"));
        Assert.Equal("2", work.Find("[data-testid=my-work-group-count]").TextContent.Trim());
        Assert.Equal("/inbox?tab=group", work.Find("[data-testid=my-work-group-count]").GetAttribute("href"));
        Assert.Equal("1", work.Find("[data-testid=my-work-unread-count]").TextContent.Trim());
        Assert.Equal("/projects", work.Find("[data-testid=my-work-workspace] a").GetAttribute("href"));

        Culture("en");
        var english = Render<MyWork>(p => p.Add(x => x.User, Principal("staff", "Staff")));
        english.WaitForAssertion(() => Assert.Equal("1 overdue", english.Find("[data-testid=my-work-overdue]").TextContent.Trim()));
        Assert.Equal("My work", english.Find("#my-work-heading").TextContent.Trim());
        Assert.Contains("Projects", english.Find("[data-testid=my-work-workspace]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingOverdue_ShowsNoOverdueLink_AndABidderIsSentToTheWorkspace()
    {
        await _db.AddOpenTaskAsync("P-1", assignee: "bidder", due: InboxDatabase.Now.AddDays(3));

        var work = Render<MyWork>(p => p.Add(x => x.User, Principal("bidder", "Bidder")));
        work.WaitForAssertion(() => Assert.Equal("1", work.Find("[data-testid=my-work-tasks-count]").TextContent.Trim()));
        Assert.Empty(work.FindAll("[data-testid=my-work-overdue]"));
        Assert.Equal("0", work.Find("[data-testid=my-work-group-count]").TextContent.Trim());
        Assert.Equal("/workspace", work.Find("[data-testid=my-work-workspace] a").GetAttribute("href"));
    }

    [Fact]
    public void TheHomePage_ShowsMyWorkToASignedInUser_AndTheIntroductionToAnAnonymousVisitor()
    {
        var authorization = AddAuthorization();
        var anonymous = Render<HomePage>();
        Assert.Empty(anonymous.FindAll("[data-testid=my-work]"));
        Assert.NotEmpty(anonymous.FindAll(".tw-features"));
        Assert.NotEmpty(anonymous.FindAll("[data-testid=home-sign-in]"));

        authorization.SetAuthorized("staff");
        authorization.SetRoles("Staff");
        var signedIn = Render<HomePage>();
        signedIn.WaitForAssertion(() => Assert.NotEmpty(signedIn.FindAll("[data-testid=my-work-tasks-count]")));
        Assert.Empty(signedIn.FindAll(".tw-features"));
        Assert.Equal("欢迎，staff。", signedIn.Find("[data-testid=home-welcome]").TextContent.Trim());
    }

    [Theory]
    [InlineData("zh-CN", "欢迎，演示交易中心工作人员。")]
    [InlineData("en", "Welcome, 演示交易中心工作人员.")]
    public void TheHomePageAndTheAppBar_GreetByTheDisplayName_TheUserNameOnHover(string culture, string welcome)
    {
        Culture(culture);
        var authorization = AddAuthorization();
        authorization.SetAuthorized("staff");
        authorization.SetRoles("Staff");
        authorization.SetClaims(new System.Security.Claims.Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.DisplayNameClaimType, "演示交易中心工作人员"));

        var home = Render<HomePage>();
        var bar = Render<Trading.Workflow.Web.Components.Layout.UserBox>();

        Assert.Equal(welcome, home.Find("[data-testid=home-welcome]").TextContent.Trim());
        Assert.Equal("演示交易中心工作人员", bar.Find("[data-testid=current-user-name]").TextContent.Trim());
        Assert.Equal("staff", bar.Find("[data-testid=current-user-name]").GetAttribute("title"));
    }

    [Fact]
    public void TheAppBar_WithoutADisplayName_ShowsTheUserName()
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized("staff");
        authorization.SetRoles("Staff");

        var bar = Render<Trading.Workflow.Web.Components.Layout.UserBox>();

        Assert.Equal("staff", bar.Find("[data-testid=current-user-name]").TextContent.Trim());
    }

    private static System.Security.Claims.ClaimsPrincipal Principal(string name, params string[] roles) =>
        new(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, name), .. roles.Select(r => new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, r))],
            "test"));
}
