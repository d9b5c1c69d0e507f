using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Centres;
using Trading.Workflow.Web.Components.Pages.Notices;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Notices;

/// <summary>The public portal's list and search, rendered with bUnit over published notices in a real SQLite file.</summary>
public sealed class PortalPageTests : PlatformComponentTest
{
    private static readonly Guid Centre = Guid.NewGuid();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tw-portal-bunit-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider? _database;

    [Fact]
    public async Task The_list_shows_the_newest_page_of_published_notices_and_how_many_there_are()
    {
        await SeedAsync(25);

        var page = Render<PortalIndex>();

        page.WaitForAssertion(() => Assert.Equal(20, page.FindAll("[data-testid=portal-notice-link]").Count));
        Assert.Equal("办公设备采购公告24", page.FindAll("[data-testid=portal-notice-link]")[0].TextContent);
        Assert.Contains("共 25 条", page.Find("[data-testid=portal-paging]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=portal-pagination]"));
    }

    [Fact]
    public async Task The_list_headers_break_only_between_words_and_a_notice_kind_stays_on_one_line()
    {
        await SeedAsync(1);

        var page = Render<PortalIndex>();

        // tw-grid keeps a header whole (公告类型, not 公告类/型); the kind cell never wraps (招标公告, not 招标公/告).
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=portal-notice-link]")));
        Assert.Contains("tw-grid", page.Find("[data-testid=portal-grid]").ClassList);
        var kindCell = page.Find("[data-testid=portal-notice-link]").Closest("tr")!.QuerySelectorAll("td")[1];
        Assert.Contains("tw-nowrap", kindCell.ClassList);
    }

    [Fact]
    public async Task A_search_for_a_two_character_word_lists_the_notice_whose_title_holds_it()
    {
        await SeedAsync(25);
        var page = Render<PortalIndex>();
        page.WaitForAssertion(() => Assert.Equal(20, page.FindAll("[data-testid=portal-notice-link]").Count));

        page.Find("#portal-q").Input("道路");
        page.Find("[data-testid=portal-form]").Submit();

        page.WaitForAssertion(() => Assert.EndsWith("/portal?q=%E9%81%93%E8%B7%AF", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal("城市道路改造工程施工招标公告", Assert.Single(page.FindAll("[data-testid=portal-notice-link]")).TextContent));
        Assert.Contains("共 1 条", page.Find("[data-testid=portal-paging]").TextContent, StringComparison.Ordinal);
        Assert.Contains("道路", page.Find("[data-testid=portal-results-for]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_typed_while_the_centres_still_load_is_not_wiped_when_they_arrive()
    {
        await SeedAsync(3);
        var centresLoaded = new TaskCompletionSource();
        Services.AddSingleton<ICentreDirectory>(new Directory_([new CentreRow(Centre, "440100", "演示市公共资源交易中心", CentreLevel.Prefecture, null, true)], centresLoaded.Task));
        var page = Render<PortalIndex>();

        page.Find("#portal-q").Input("道路");
        centresLoaded.SetResult();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=portal-notice-link]").Count));
        page.Find("[data-testid=portal-form]").Submit();

        page.WaitForAssertion(() => Assert.EndsWith("/portal?q=%E9%81%93%E8%B7%AF", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal("城市道路改造工程施工招标公告", Assert.Single(page.FindAll("[data-testid=portal-notice-link]")).TextContent));
    }

    [Fact]
    public async Task A_search_that_matches_nothing_says_so_in_English_too()
    {
        await SeedAsync(3);
        Culture("en");
        Services.GetRequiredService<NavigationManager>().NavigateTo("/portal?q=%E9%81%93%E6%A1%A5");

        var page = Render<PortalIndex>();

        page.WaitForAssertion(() => Assert.Equal("No notice matches.", page.Find("[data-testid=portal-empty]").TextContent));
        Assert.Equal("Public trading information", page.Find("h1").TextContent);
    }

    private async Task SeedAsync(int count)
    {
        Directory.CreateDirectory(_folder);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.Sqlite;
            o.ConnectionString = $"Data Source={Path.Combine(_folder, "portal.db")};Pooling=False";
        });
        services.AddTradingKernel();
        services.AddSingleton<IFileStore>(new DataFolderFileStore(Path.Combine(_folder, "files")));
        _database = services.BuildServiceProvider();
        await _database.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
        await _database.GetRequiredService<TradingSchema>().UpgradeAsync();

        var start = new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);
        await using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < count; i++)
            {
                var road = i == 2;
                var project = NoticeProject.Create(Guid.NewGuid(), $"GC-2026-{i:0000}", Centre,
                    road ? TradeTypes.EngineeringConstruction : TradeTypes.GovernmentProcurement, "440100", road ? "城市道路改造工程" : $"办公设备采购{i}");
                var notice = Notice.Draft(project, NoticeKind.Tender, road ? "城市道路改造工程施工招标公告" : $"办公设备采购公告{i}", "<p>现公开招标。</p>", [], "tenderee", start);
                notice.SubmitForReview("tenderee", start);
                notice.Publish("staff", start.AddHours(i));
                db.Add(notice);
                await db.SaveChangesAsync();
                await NoticeSearchIndex.AddAsync(db, notice);
            }

            await tx.CommitAsync();
        }

        Services.AddSingleton(_database.GetRequiredService<NoticePortal>());
        Services.AddSingleton<ICentreDirectory>(new Directory_([new CentreRow(Centre, "440100", "演示市公共资源交易中心", CentreLevel.Prefecture, null, true)]));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // the temporary folder is cleaned by the OS
        }
    }

    private sealed class Directory_(IReadOnlyList<CentreRow> rows, Task? loaded = null) : ICentreDirectory
    {
        public async Task<IReadOnlyList<CentreRow>> ListAsync(bool english, CancellationToken cancellationToken = default)
        {
            await (loaded ?? Task.CompletedTask);
            return rows;
        }

        public Task<AccountResult> CreateAsync(NewCentreInput input, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The portal never creates centres.");
    }
}
