using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Notices.Search;
using Trading.Workflow.Domain.Tests.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Notices;

/// <summary>
/// The portal search's filters, date ranges, capped count and order on real databases: on SQLite all of them run inside
/// the FTS5 query (facet tokens, integer keys in publication order), on PostgreSQL on the joined notice row.
/// </summary>
public sealed class NoticeSearchPersistenceTests
{
    private static readonly Guid Centre = Guid.NewGuid();
    private static readonly Guid OtherCentre = Guid.NewGuid();

    // 2026-11-01 10:00 in China, one notice a day; notice i: kind Result when i % 4 == 0, other centre when i % 5 == 0,
    // region 440103 when i % 3 == 0, land rights when i % 7 == 0; every one says 道路.
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Search_filters_by_kind_centre_region_trade_type_and_date_inside_the_query(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var portal = host.Services.GetRequiredService<NoticePortal>();

        async Task<int> Count(NoticeFilter filter) => (await portal.SearchAsync(new PortalQuery("道路", filter, PageSize: 100))).Total;

        Assert.Equal(40, await Count(new NoticeFilter()));
        Assert.Equal(10, await Count(new NoticeFilter(Kind: NoticeKind.Result)));
        Assert.Equal(8, await Count(new NoticeFilter(CentreId: OtherCentre)));
        Assert.Equal(14, await Count(new NoticeFilter(RegionCode: "440103")));
        Assert.Equal(6, await Count(new NoticeFilter(TradeType: TradeTypes.LandRights)));
        Assert.Equal(2, await Count(new NoticeFilter(Kind: NoticeKind.Result, CentreId: OtherCentre))); // notices 0 and 20
        Assert.Equal(0, await Count(new NoticeFilter(Kind: NoticeKind.Contract)));

        // Days in China: 2026-11-03 to 2026-11-05 are notices 2, 3 and 4; November is notices 0-29; from December 1st on, 30-39.
        Assert.Equal(3, await Count(NoticePortal.Dates(new NoticeFilter(), new DateOnly(2026, 11, 3), new DateOnly(2026, 11, 5))));
        Assert.Equal(30, await Count(NoticePortal.Dates(new NoticeFilter(), new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30))));
        Assert.Equal(10, await Count(NoticePortal.Dates(new NoticeFilter(), new DateOnly(2026, 12, 1), null)));
        Assert.Equal(5, await Count(NoticePortal.Dates(new NoticeFilter(), null, new DateOnly(2026, 11, 5))));
        Assert.Equal(0, await Count(NoticePortal.Dates(new NoticeFilter(), new DateOnly(2026, 11, 5), new DateOnly(2026, 11, 3))));
        Assert.Equal(0, await Count(NoticePortal.Dates(new NoticeFilter(), new DateOnly(2027, 3, 1), null)));

        // A bound that is not a midnight in China is exact to the tick: notice 3 was published at 2026-11-04 10:00 China.
        var exact = new NoticeFilter(From: Start.AddDays(3), Before: Start.AddDays(4).AddTicks(1));
        Assert.Equal(2, await Count(exact));
        Assert.Equal(1, await Count(exact with { Before = Start.AddDays(4) }));

        var page = await portal.SearchAsync(new PortalQuery("道路", new NoticeFilter(RegionCode: "440103"), Page: 2, PageSize: 5));
        Assert.Equal(5, page.Items.Count);
        Assert.All(page.Items, n => Assert.Equal("440103", n.RegionCode));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task A_count_past_the_cap_says_so_and_lists_the_newest_first(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        await using var db = host.Database.Create();

        var capped = await NoticeSearchIndex.SearchAsync(db, "道路", new NoticeFilter(), 0, 5, countCap: 12);
        Assert.Equal((12, true, false), (capped.Total, capped.TotalCapped, capped.ByRelevance));
        var titles = await Titles(db, capped);
        Assert.Equal(["道路公告39", "道路公告38", "道路公告37", "道路公告36", "道路公告35"], titles);

        var next = await NoticeSearchIndex.SearchAsync(db, "道路", new NoticeFilter(), 5, 5, countCap: 12);
        Assert.Equal(["道路公告34", "道路公告33", "道路公告32", "道路公告31", "道路公告30"], await Titles(db, next));

        var exact = await NoticeSearchIndex.SearchAsync(db, "道路", new NoticeFilter(), 0, 5, countCap: 40);
        Assert.Equal((40, false), (exact.Total, exact.TotalCapped));

        // Few enough to rank: the notices with 照明 in their title come before those that only say it in the body.
        var ranked = await NoticeSearchIndex.SearchAsync(db, "照明", new NoticeFilter(), 0, 10);
        Assert.True(ranked.ByRelevance);
        Assert.Equal(["照明道路公告", "道路公告20"], await Titles(db, ranked));
    }

    private static async Task<List<string>> Titles(DbContext db, SearchResult result)
    {
        var ids = result.Hits.Select(h => h.Id).ToList();
        var titles = await db.Set<Notice>().AsNoTracking().Where(n => ids.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Title);
        return [.. ids.Select(id => titles[id])];
    }

    private static async Task<TradingDatabaseHost> StartAsync(DatabaseProvider provider)
    {
        var files = Path.Combine(Path.GetTempPath(), "tw-notice-files-" + Guid.NewGuid().ToString("N"));
        var host = await TradingDatabaseHost.StartAsync(provider, services => services.AddSingleton<IFileStore>(new DataFolderFileStore(files)));
        await using var db = host.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < 40; i++)
        {
            var project = NoticeProject.Create(Guid.NewGuid(), $"GC-2026-{i:0000}", i % 5 == 0 ? OtherCentre : Centre,
                i % 7 == 0 ? TradeTypes.LandRights : TradeTypes.EngineeringConstruction, i % 3 == 0 ? "440103" : "440100", $"项目{i}");
            var title = i == 12 ? "照明道路公告" : $"道路公告{i}";
            var body = i == 12 ? "<p>路灯。</p>" : i == 20 ? "<p>含道路照明。</p>" : "<p>正文。</p>";
            var at = Start.AddDays(i);
            var notice = Notice.Draft(project, i % 4 == 0 ? NoticeKind.Result : NoticeKind.Tender, title, body, [], "tenderee", at);
            notice.SubmitForReview("tenderee", at);
            notice.Publish("staff", at);
            db.Add(notice);
            await db.SaveChangesAsync();
            await NoticeSearchIndex.AddAsync(db, notice);
        }

        await tx.CommitAsync();
        return host;
    }
}
