using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Components.Layout;
using Trading.Workflow.Web.Notifications;
using Trading.Workflow.Web.Tests.Components;
using NotificationsPage = Trading.Workflow.Web.Components.Pages.Notifications.Notifications;

namespace Trading.Workflow.Web.Tests.Notifications;

/// <summary>
/// The bell in the app bar (the count, the live push, the poll) and the notifications page, on a real SQLite trading
/// database.
/// </summary>
public sealed class NotificationBellTests : PlatformComponentTest
{
    private static readonly NotificationTemplate Hello = new("test.hello", "你好 {n}", "正文", "Hello {n}", "Body");
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-bell-").FullName;
    private ServiceProvider _trading = default!;
    private int _sequence;

    /// <summary>The pages' services; <paramref name="held"/> on the contexts the notification center creates.</summary>
    private async Task StartAsync(TimeSpan? poll = null, HeldQuery? held = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.Sqlite;
            o.ConnectionString = $"Data Source={Path.Combine(_folder, "bell.db")};Pooling=False";
        });
        services.AddTradingKernel();
        services.AddNotificationTemplate(Hello);
        _trading = services.BuildServiceProvider();
        await _trading.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
        await _trading.GetRequiredService<TradingSchema>().UpgradeAsync();

        Services.AddSingleton(held is null
            ? _trading.GetRequiredService<NotificationCenter>()
            : new NotificationCenter(new HeldTradingDatabase(_trading.GetRequiredService<WorkflowDatabase>(), held),
                _trading.GetRequiredService<NotificationEvents>(), TimeProvider.System));
        Services.AddSingleton(_trading.GetRequiredService<NotificationEvents>());
        Services.AddSingleton(Options.Create(new NotificationBellOptions { PollInterval = poll ?? TimeSpan.FromMinutes(10) }));
    }

    /// <summary>Records a notification for each user as the dispatcher would, without telling this node's pages.</summary>
    private async Task RecordAsync(params string[] users)
    {
        await using var db = _trading.GetRequiredService<ITradingDatabase>().Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        await _trading.GetRequiredService<NotificationRecorder>().RecordAsync(
            db, $"test:{++_sequence}", null, users.Select(u => new NotificationRequest(u, Hello.Key, new Dictionary<string, string> { ["n"] = "1" })), default);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    private IRenderedComponent<NotificationBell> RenderBell(bool interactive = true)
    {
        SetRendererInfo(new RendererInfo("Server", interactive));
        return Render<NotificationBell>();
    }

    [Fact]
    public async Task Bell_ShowsTheSignedInUsersUnreadCountOnly()
    {
        await StartAsync();
        await RecordAsync("alice", "bob");
        await RecordAsync("alice");
        SignIn("alice");

        var bell = RenderBell(interactive: false);

        var button = bell.Find("[data-testid=notification-bell]");
        Assert.Equal("2", button.GetAttribute("data-unread"));
        Assert.Equal("/notifications", button.GetAttribute("href"));
        Assert.Equal("通知（2 条未读）", button.GetAttribute("aria-label"));
        Assert.Contains(">2<", bell.Find(".mud-badge").OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bell_UpdatesAtOnceWhenANotificationForTheUserIsRecordedOnThisNode()
    {
        await StartAsync();
        SignIn("alice");
        var bell = RenderBell();
        Assert.Equal("0", bell.Find("[data-testid=notification-bell]").GetAttribute("data-unread"));
        Assert.Equal("没有未读通知", bell.Find("[data-testid=notification-bell]").GetAttribute("aria-label"));

        await RecordAsync("alice");
        _trading.GetRequiredService<NotificationEvents>().Publish(["alice"]);

        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("[data-testid=notification-bell]").GetAttribute("data-unread")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Bell_PicksUpANotificationRecordedOnAnotherNodeAtItsPoll()
    {
        await StartAsync(poll: TimeSpan.FromMilliseconds(200));
        SignIn("alice");
        var bell = RenderBell();

        await RecordAsync("alice"); // no event on this node: another node recorded it

        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("[data-testid=notification-bell]").GetAttribute("data-unread")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Bell_ForAnAnonymousVisitor_RendersNothing()
    {
        await StartAsync();
        AddAuthorization();

        var bell = RenderBell();

        Assert.Empty(bell.FindAll("[data-testid=notification-bell]"));
    }

    [Fact]
    public async Task Bell_Disposed_StopsListening()
    {
        await StartAsync();
        SignIn("alice");
        var bell = RenderBell();
        var events = _trading.GetRequiredService<NotificationEvents>();
        Assert.Equal(1, events.SubscriberCount("alice"));

        await bell.Instance.DisposeAsync();

        Assert.Equal(0, events.SubscriberCount("alice"));
    }

    [Fact]
    public async Task Page_LanguagePickedWhileTheSavedOneStillLoads_IsNotReplacedWhenItArrives()
    {
        var preferences = new HeldQuery("tr_notification_preferences", afterItRan: true);
        await StartAsync(held: preferences);
        SignIn("alice");
        SetRendererInfo(new RendererInfo("Server", true));
        var page = Render<NotificationsPage>();
        var language = page.FindComponent<MudSelect<string>>();

        await language.InvokeAsync(() => language.Instance.ValueChanged.InvokeAsync(NotificationLanguage.English));
        var renders = page.RenderCount;
        preferences.Release();

        page.WaitForState(() => page.RenderCount > renders);
        Assert.Equal("英文", language.Find("input").GetAttribute("value"));
        Assert.Equal(NotificationLanguage.English, await _trading.GetRequiredService<NotificationCenter>().GetLanguageAsync("alice"));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _trading?.Dispose();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
