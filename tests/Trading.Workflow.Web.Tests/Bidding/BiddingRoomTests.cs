using System.Globalization;
using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Bidding;
using Trading.Workflow.Web.Centres;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Bidding;

/// <summary>
/// The bidding room's bid controls on a real engine (SQLite): a typed multiple that is not a whole number of 1 or more
/// is refused on the page, before anything reaches the engine; a bid button bids the price it showed, also when the
/// price moved before the click (then refused as below the next valid price, never sent higher); the shared bid path
/// of the API and the hub refuses such amounts too.
/// </summary>
public sealed class BiddingRoomTests : PlatformComponentTest
{
    private const decimal Start = 1_000_000m;
    private const decimal Increment = 10_000m;
    private static readonly Guid Entity = Guid.NewGuid();
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-bidding-room-").FullName;
    private readonly ServiceProvider _database;
    private readonly BiddingEngine _engine;
    private readonly Guid _lot;
    private readonly int _mine;
    private readonly int _other;

    public BiddingRoomTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(TimeProvider.System);
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.Sqlite;
            o.ConnectionString = $"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False";
        });
        services.AddTradingKernel();
        services.AddSingleton<IBiddingEligibility>(new AdmitAll());
        _database = services.BuildServiceProvider();
        _database.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync().GetAwaiter().GetResult();
        _database.GetRequiredService<TradingSchema>().UpgradeAsync().GetAwaiter().GetResult();

        _engine = _database.GetRequiredService<BiddingEngine>();
        var now = DateTimeOffset.UtcNow;
        _lot = _engine.CreateLotAsync(new LotDefinition(null, null, "演示国有资产 拍卖（测试）",
            new LotSettings(BiddingMode.Ascending, Start, Increment, [], now.AddMinutes(-1), now.AddHours(1), TimeSpan.Zero, TimeSpan.FromMinutes(5)), null), "staff")
            .GetAwaiter().GetResult();
        _mine = _engine.AdmitAsync(_lot, Entity, "甲公司", "staff").GetAwaiter().GetResult().Number;
        _other = _engine.AdmitAsync(_lot, Guid.NewGuid(), "乙公司", "staff").GetAwaiter().GetResult().Number;
        _database.GetRequiredService<BiddingTimer>().RunDueAsync().GetAwaiter().GetResult();

        Services.AddSingleton(_engine);
        Services.AddSingleton(new BiddingAccess(_database.GetRequiredService<BidLogStore>(), new OneEntityMembership(Entity, "甲公司"), new NoProjects()));
        Services.AddSingleton(new RoomCircuit(TimeProvider.System));
        Services.AddSingleton<IProjectAuthorization>(new NoProjects());
        Services.AddSingleton<ICentreDirectory>(new OneCentre());
        Services.AddScoped<LotHeadings>();
        Services.AddScoped<LotResults>();
        var user = SignIn("bidder", PlatformRoles.Bidder);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
    }

    private IRenderedComponent<BiddingRoom> Room(Guid? lot = null)
    {
        var page = Render<BiddingRoom>(p => p.Add(x => x.LotId, lot ?? _lot));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=bid-next]")));
        return page;
    }

    private static readonly TimeSpan Live = TimeSpan.FromSeconds(5);

    private async Task<IReadOnlyList<BidLogEntry>> BidsAsync() =>
        [.. (await _engine.Store.ReadLogAsync(_lot, 0)).Where(e => e.Kind == BidLogKind.Bid)];

    private static string Shown(IRenderedComponent<BiddingRoom> page, string attribute) =>
        page.Find("[data-testid=bid-next]").GetAttribute(attribute)!;

    [Theory]
    [InlineData("0", "zh-CN", "加价倍数须为不小于 1 的整数")]
    [InlineData("-2", "zh-CN", "加价倍数须为不小于 1 的整数")]
    [InlineData("1.5", "en", "The multiple must be a whole number of 1 or more")]
    [InlineData("abc", "en", "The multiple must be a whole number of 1 or more")]
    public async Task TypedMultiple_NotAWholeNumberOfOneOrMore_IsRefusedOnThePage_AndNothingIsSent(string typed, string culture, string message)
    {
        Culture(culture);
        var page = Room();

        page.Find("[data-testid=multiple] input, input[data-testid=multiple]").Input(typed);

        // Said as it is typed, and the button no longer offers an amount.
        page.WaitForAssertion(() => Assert.Contains(message, page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(Start.ToString("N2", CultureInfo.CurrentCulture), page.Find("[data-testid=bid-multiple]").TextContent, StringComparison.Ordinal);

        // The click (as the page's script sends it) is refused before anything reaches the engine.
        await page.InvokeAsync(() => page.Instance.BidAsShown("multiple", Shown(page, "data-next"), Shown(page, "data-increment"), typed));

        page.WaitForAssertion(() => Assert.Contains(message, page.Find("[data-testid=answer]").TextContent, StringComparison.Ordinal));
        Assert.Empty(await BidsAsync());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("2147483648")]
    public void ParseMultiple_TakesWholeNumbersOfOneOrMoreOnly(string typed) => Assert.Null(BiddingRoom.ParseMultiple(typed));

    [Fact]
    public void ParseMultiple_AWholeNumber_IsTaken() => Assert.Equal(12, BiddingRoom.ParseMultiple(" 12 "));

    [Fact]
    public async Task BidNext_PriceMovedBeforeTheClick_BidsThePriceShown_AndIsRefusedBelowTheNextValidPrice()
    {
        var page = Room();
        var shown = Shown(page, "data-next");
        Assert.Equal(Start, decimal.Parse(shown, CultureInfo.InvariantCulture));
        Assert.Contains(Start.ToString("N2", CultureInfo.CurrentCulture), page.Find("[data-testid=bid-next]").TextContent, StringComparison.Ordinal);
        // The page's script answers the click with the button's own data (a server-side handler would bid the newest render's price).
        Assert.Equal("next", page.Find("[data-testid=bid-next]").GetAttribute("data-bid"));

        // Someone else bids the shown price first; the page's render moves on, the user's click still carries it.
        Assert.True((await _engine.SubmitAsync(_lot, _other, Start, "other-1")).Accepted);
        await page.InvokeAsync(() => page.Instance.BidAsShown("next", shown, Shown(page, "data-increment"), "1"));

        page.WaitForAssertion(() => Assert.Contains("报价低于下一有效报价", page.Find("[data-testid=answer]").TextContent, StringComparison.Ordinal));
        var mine = Assert.Single(await BidsAsync(), b => b.BidderNumber == _mine);
        Assert.Equal(Start, mine.Amount);
        Assert.False(mine.Accepted);
        Assert.Equal(BiddingRules.BelowNextValid, mine.Reason);
    }

    [Fact]
    public async Task BidMultiple_AWholeNumber_BidsTheShownNextPriceAndItsSteps()
    {
        Assert.True((await _engine.SubmitAsync(_lot, _other, Start, "other-1")).Accepted);
        var page = Room();
        page.WaitForAssertion(() => Assert.Equal(BidLogEntry.FormatAmount(Start + Increment), Shown(page, "data-next")));
        page.Find("[data-testid=multiple] input, input[data-testid=multiple]").Input("3");
        page.WaitForAssertion(() => Assert.Contains((Start + 3 * Increment).ToString("N2", CultureInfo.CurrentCulture), page.Find("[data-testid=bid-multiple]").TextContent, StringComparison.Ordinal));

        await page.InvokeAsync(() => page.Instance.BidAsShown("multiple", Shown(page, "data-next"), Shown(page, "data-increment"), "3"));

        page.WaitForAssertion(() => Assert.Equal("leading", page.Find("[data-testid=my-status]").GetAttribute("data-state")));
        var mine = Assert.Single(await BidsAsync(), b => b.BidderNumber == _mine);
        Assert.Equal(Start + 3 * Increment, mine.Amount);
        Assert.True(mine.Accepted);
    }

    [Fact]
    public async Task MyStatus_FollowsTheLiveState_LeadingThenOutbidThenLost_AndNoAcceptedAnswerStays()
    {
        var now = DateTimeOffset.UtcNow;
        var lot = await _engine.CreateLotAsync(new LotDefinition(null, null, "演示地块 拍卖（测试）",
            new LotSettings(BiddingMode.Ascending, Start, Increment, [], now.AddMinutes(-1), now.AddSeconds(8), TimeSpan.Zero, TimeSpan.Zero), null), "staff");
        var mine = (await _engine.AdmitAsync(lot, Entity, "甲公司", "staff")).Number;
        var other = (await _engine.AdmitAsync(lot, Guid.NewGuid(), "乙公司", "staff")).Number;
        await _database.GetRequiredService<BiddingTimer>().RunDueAsync();
        var page = Room(lot);
        Assert.Equal("no-bids", page.Find("[data-testid=my-status]").GetAttribute("data-state"));

        await page.InvokeAsync(() => page.Instance.BidAsShown("next", Shown(page, "data-next"), Shown(page, "data-increment"), "1"));
        page.WaitForAssertion(() => Assert.Equal("leading", page.Find("[data-testid=my-status]").GetAttribute("data-state")), Live);
        Assert.Contains("您目前领先", page.Find("[data-testid=my-status]").TextContent, StringComparison.Ordinal);

        // Another bidder outbids: the page says so, with the number and the price, and nothing says the bid succeeded.
        Assert.True((await _engine.SubmitAsync(lot, other, Start + Increment, "other-1")).Accepted);
        page.WaitForAssertion(() => Assert.Equal("outbid", page.Find("[data-testid=my-status]").GetAttribute("data-state")), Live);
        var outbid = page.Find("[data-testid=my-status]").TextContent;
        Assert.Contains(other.ToString(CultureInfo.InvariantCulture), outbid, StringComparison.Ordinal);
        Assert.Contains((Start + Increment).ToString("N2", CultureInfo.CurrentCulture), outbid, StringComparison.Ordinal);
        Assert.DoesNotContain("出价成功", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=answer]"));

        // The close: lost to the other number.
        await Task.Delay(now.AddSeconds(8.3) - DateTimeOffset.UtcNow);
        await _database.GetRequiredService<BiddingTimer>().RunDueAsync();
        page.WaitForAssertion(() => Assert.Equal("lost", page.Find("[data-testid=my-status]").GetAttribute("data-state")), Live);
        Assert.Contains(other.ToString(CultureInfo.InvariantCulture), page.Find("[data-testid=my-status]").TextContent, StringComparison.Ordinal);
        _ = mine;
    }

    [Fact]
    public void Layout_OnAPhone_FiguresTwoARow_HistoryScrollsInItsOwnBox_HashBreaks()
    {
        var page = Room();

        var figures = page.Find("[data-testid=figures]");
        Assert.Contains("mud-grid", figures.ClassName, StringComparison.Ordinal);
        Assert.All(figures.Children, item => Assert.Contains("mud-grid-item-xs-6", item.ClassName, StringComparison.Ordinal));
        Assert.Contains("tw-table-scroll", page.Find("[data-testid=history-scroll]").ClassName, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=history-scroll] [data-testid=history]"));
        Assert.Contains("tw-hash", page.Find("[data-testid=last-hash]").ClassName, StringComparison.Ordinal);
        // Its four columns fit a phone (the 2026-12-08 walk: the amount was scrolled out of sight; see the browser test).
        Assert.Contains("tw-bid-history", page.Find("[data-testid=history-scroll]").ClassName, StringComparison.Ordinal);
        // One caption in Chinese punctuation, not "（SM3） (日志第 n 条):".
        Assert.StartsWith("日志链末哈希（SM3，日志第 ", page.Find("[data-testid=last-hash-line]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain(" (", page.Find("[data-testid=last-hash-line]").TextContent, StringComparison.Ordinal);
        // The rows of controls wrap rather than push the page sideways.
        Assert.All(page.FindAll("[data-testid=controls] .mud-stack-row"), row => Assert.Contains("flex-wrap", row.ClassName, StringComparison.Ordinal));
    }

    [Fact]
    public void Heading_NamesWhatIsSold_TheCentre_AndLinksBackToTheOffering()
    {
        Services.AddSingleton<ILotDescriber>(new Describer(_lot));
        var page = Room();

        Assert.Equal("A-01 地块国有建设用地使用权", page.Find("[data-testid=lot-title]").TextContent.Trim());
        Assert.Contains("位置：某市某区某路以东", page.Find("[data-testid=lot-fact]").TextContent, StringComparison.Ordinal);
        Assert.Contains("演示交易中心", page.Find("[data-testid=lot-centre]").TextContent, StringComparison.Ordinal);
        Assert.Equal("/grants/offering-1", page.Find("[data-testid=offering-link]").GetAttribute("href"));
    }

    [Fact]
    public void Heading_WithoutADescriber_ShowsTheTitleTheLotWasRegisteredWith()
    {
        var page = Room();

        Assert.Equal("演示国有资产 拍卖（测试）", page.Find("[data-testid=lot-title]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=offering-link]"));
    }

    [Fact]
    public async Task BeforeTheOpening_CountsDownToIt_ThenSwitchesLiveToTheSale()
    {
        var now = DateTimeOffset.UtcNow;
        var lot = await _engine.CreateLotAsync(new LotDefinition(null, null, "演示地块 挂牌（测试）",
            new LotSettings(BiddingMode.Ascending, Start, Increment, [], now.AddSeconds(3), now.AddHours(1), TimeSpan.Zero, TimeSpan.Zero), null), "staff");
        await _engine.AdmitAsync(lot, Entity, "甲公司", "staff");
        var page = Render<BiddingRoom>(p => p.Add(x => x.LotId, lot));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=opens-in]")));

        Assert.Matches(@"距开始 00:0[0-3]", page.Find("[data-testid=opens-in]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=bid-next]"));
        Assert.Equal("scheduled", page.Find("[data-testid=my-status]").GetAttribute("data-state"));

        await Task.Delay(TimeSpan.FromSeconds(3.2));
        await _database.GetRequiredService<BiddingTimer>().RunDueAsync();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=bid-next]")), Live);
        Assert.Empty(page.FindAll("[data-testid=opens-in]"));
        Assert.NotNull(page.Find("[data-testid=remaining]"));
    }

    [Theory]
    [InlineData("zh-CN", "已撤下")]
    [InlineData("en", "Shelved")]
    public async Task ShelvedLot_SaysSo_WithoutCountdownOrBidControls(string culture, string phase)
    {
        Culture(culture);
        var now = DateTimeOffset.UtcNow;
        var lot = await _engine.CreateLotAsync(new LotDefinition(null, null, "演示地块 退回（测试）",
            new LotSettings(BiddingMode.Ascending, Start, Increment, [], now.AddMinutes(10), now.AddHours(1), TimeSpan.Zero, TimeSpan.Zero), null), "staff");
        await _engine.AdmitAsync(lot, Entity, "甲公司", "staff");
        Assert.True(await _engine.ShelveAsync(lot, "grants.offering.returned", "staff"));

        var page = Render<BiddingRoom>(p => p.Add(x => x.LotId, lot));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=shelved]")), Live);

        Assert.Equal(phase, page.Find("[data-testid=phase]").TextContent.Trim());
        // No slice here words the reason: the room names the Shelved entry's code.
        Assert.Contains("grants.offering.returned", page.Find("[data-testid=shelved-reason]").TextContent, StringComparison.Ordinal);
        Assert.Equal("shelved", page.Find("[data-testid=my-status]").GetAttribute("data-state"));
        Assert.Empty(page.FindAll("[data-testid=opens-in]"));
        Assert.Empty(page.FindAll("[data-testid=remaining]"));
        Assert.Empty(page.FindAll("[data-testid=bid-next]"));
    }

    [Theory]
    [InlineData("zh-CN", "自由竞价", "延时竞价")]
    [InlineData("en", "Open bidding", "Extended bidding")]
    public async Task Phase_ALateBidMovesTheEndPastTheSchedule_TheRoomSaysExtendedBidding(string culture, string open, string extended)
    {
        Culture(culture);
        var now = DateTimeOffset.UtcNow;
        var lot = await _engine.CreateLotAsync(new LotDefinition(null, null, "演示矿业权 拍卖（测试）",
            new LotSettings(BiddingMode.Ascending, Start, Increment, [], now.AddMinutes(-1), now.AddMinutes(3), TimeSpan.Zero, TimeSpan.FromMinutes(5)), null), "staff");
        await _engine.AdmitAsync(lot, Entity, "甲公司", "staff");
        var other = (await _engine.AdmitAsync(lot, Guid.NewGuid(), "乙公司", "staff")).Number;
        await _database.GetRequiredService<BiddingTimer>().RunDueAsync();
        var page = Room(lot);
        Assert.Equal(open, page.Find("[data-testid=phase]").TextContent.Trim());

        // Inside the last five minutes: the end moves to the bid plus five minutes, past the scheduled end.
        Assert.True((await _engine.SubmitAsync(lot, other, Start, "other-1")).Accepted);

        page.WaitForAssertion(() => Assert.Equal(extended, page.Find("[data-testid=phase]").TextContent.Trim()), Live);
    }

    [Fact]
    public async Task History_NumbersTheAcceptedBidsWithoutGaps_WhileRefusalsKeepTheirLogEntries()
    {
        var page = Room();
        Assert.NotNull(page.Find("[data-testid=no-bids]"));
        Assert.True((await _engine.SubmitAsync(_lot, _other, Start, "o1")).Accepted);
        Assert.False((await _engine.SubmitAsync(_lot, _mine, Start, "m-refused")).Accepted);
        Assert.False((await _engine.SubmitAsync(_lot, _mine, Start + Increment / 2, "m-refused-2")).Accepted);
        Assert.True((await _engine.SubmitAsync(_lot, _mine, Start + Increment, "m1")).Accepted);
        Assert.True((await _engine.SubmitAsync(_lot, _other, Start + 2 * Increment, "o2")).Accepted);

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=history] tbody tr").Count), Live);
        var rows = page.FindAll("[data-testid=history] tbody tr");
        Assert.Equal(["第 3 次出价", "第 2 次出价", "第 1 次出价"], rows.Select(r => r.Children[0].TextContent.Trim()));
        var sequences = rows.Select(r => long.Parse(r.GetAttribute("data-seq")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sequences[1] + 1, sequences[0]);
        Assert.Equal(sequences[2] + 3, sequences[1]); // the two refusals between them are in the log

        // A page opened now (the view's history) numbers them the same.
        var fresh = Room();
        Assert.Equal(["第 3 次出价", "第 2 次出价", "第 1 次出价"], fresh.FindAll("[data-testid=history] tbody tr").Select(r => r.Children[0].TextContent.Trim()));
    }

    [Fact]
    public async Task LiveBids_ArrivingWhileThePageRenders_NeverBreakTheRender()
    {
        // The feed calls the page from its own thread, typically just as the page renders the answer to its own bid;
        // the history must not change under the render's enumeration (CI once showed a bidder the error panel there).
        const int Rounds = 60;
        var page = Room();
        using var stop = new CancellationTokenSource();
        var others = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var view = await _engine.Feed.ViewAsync(_lot);
                await _engine.SubmitAsync(_lot, _other, view.NextValidPrice!.Value, $"other-{i++}");
            }
        });
        for (var i = 0; i < Rounds; i++)
        {
            await page.InvokeAsync(() => page.Instance.BidAsShown("next", Shown(page, "data-next"), Shown(page, "data-increment"), "1"));
            page.Render();
        }

        await stop.CancelAsync();
        await others;
        var last = (await _engine.Store.ReadLogAsync(_lot, 0)).Count(e => e.Kind == BidLogKind.Bid && e.Accepted);
        page.WaitForAssertion(() => Assert.Equal($"第 {last} 次出价", page.Find("[data-testid=history] tbody tr").Children[0].TextContent.Trim()), Live);
    }

    [Theory]
    [InlineData("zh-CN", "出价 1,030,000.00 元（加价 3 个加价幅度）")]
    [InlineData("en", "Bid 1,030,000.00 (+3 increments)")]
    public async Task BidMultipleButton_SaysTheTotalPrice_ThenTheIncrements(string culture, string label)
    {
        Culture(culture);
        Assert.True((await _engine.SubmitAsync(_lot, _other, Start, "other-1")).Accepted);
        var page = Room();
        page.WaitForAssertion(() => Assert.Equal(BidLogEntry.FormatAmount(Start + Increment), Shown(page, "data-next")));

        page.Find("[data-testid=multiple] input, input[data-testid=multiple]").Input("3");

        page.WaitForAssertion(() => Assert.Equal(label, page.Find("[data-testid=bid-multiple]").TextContent.Trim()));
        page.Find("[data-testid=multiple] input, input[data-testid=multiple]").Input("1");
        page.WaitForAssertion(() => Assert.EndsWith(culture == "en" ? "(+1 increment)" : "（加价 1 个加价幅度）", page.Find("[data-testid=bid-multiple]").TextContent.Trim(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0", BiddingRules.InvalidAmount)]
    [InlineData("-20000", BiddingRules.InvalidAmount)]
    [InlineData("1015000", BiddingRules.NotMultiple)]
    [InlineData("1000000.001", BiddingRules.InvalidAmount)]
    public async Task SharedBidPath_OfTheApiAndTheHub_RefusesAmountsNoMultipleLeadsTo(string amount, string rule)
    {
        Assert.True((await _engine.SubmitAsync(_lot, _other, Start, "other-1")).Accepted);
        var text = Services.GetRequiredService<IStringLocalizer<BiddingResource>>();

        var answer = await BiddingEndpoints.BidAsync(_engine, text, _lot, _mine, decimal.Parse(amount, CultureInfo.InvariantCulture), "k1");

        Assert.False(answer.Accepted);
        Assert.Equal(rule, answer.Reason);
        Assert.False(string.IsNullOrWhiteSpace(answer.Message));
        Assert.DoesNotContain("Rule.", answer.Message, StringComparison.Ordinal);
        Assert.Equal(Start, (await _engine.Feed.ViewAsync(_lot)).CurrentPrice);
    }

    [Fact]
    public async Task ResultPage_SoldLot_ShowsTheSale_AndAfterTheLogWasEdited_TheRecordedSaleWithTheFailedReplay()
    {
        var now = DateTimeOffset.UtcNow;
        var lot = await _engine.CreateLotAsync(new LotDefinition(null, null, "演示地块 挂牌（测试）",
            new LotSettings(BiddingMode.Listing, 50_000_000.00m, 500_000.00m, [], now.AddMinutes(-1), now.AddSeconds(2), TimeSpan.FromMinutes(4), TimeSpan.Zero), 50_000_000.00m), "staff");
        var winner = (await _engine.AdmitAsync(lot, Entity, "甲公司", "staff")).Number;
        Assert.True((await _engine.SubmitAsync(lot, winner, 50_500_000.00m, "w1")).Accepted);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await _database.GetRequiredService<BiddingTimer>().RunDueAsync();

        var result = await Services.GetRequiredService<LotResults>().OfAsync(new ClaimsPrincipal(new ClaimsIdentity()), lot);
        Assert.NotNull(result);
        Assert.True(result.LogVerified);
        Assert.True(result.Sold);
        Assert.Equal(winner, result.WinnerNumber);
        Assert.Equal("甲公司", result.WinnerName);
        Assert.Equal(50_500_000m, result.Price);
        var page = Render<BiddingResult>(p => p.Add(x => x.LotId, lot));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=sold]")));
        Assert.Equal("true", page.Find("[data-testid=verified]").GetAttribute("data-verified"));
        // The chain's hash (64 hex digits) breaks rather than push the page sideways on a phone.
        Assert.Contains("overflow-wrap: anywhere", page.Find("[data-testid=verified]").GetAttribute("style"), StringComparison.Ordinal);

        // The accepted bid edited in the table: the replay fails, the page shows the recorded sale and where it failed.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """DROP TRIGGER "tr_bidding_log_no_update"; UPDATE "tr_bidding_log" SET "amount" = '50000000' WHERE "idem_key" = 'w1';""";
            await command.ExecuteNonQueryAsync();
        }

        var failed = await Services.GetRequiredService<LotResults>().OfAsync(new ClaimsPrincipal(new ClaimsIdentity()), lot);
        Assert.False(failed!.LogVerified);
        Assert.True(failed.Sold);
        Assert.Equal(50_500_000m, failed.Price);
        var bad = (await _engine.Store.ReadLogAsync(lot, 0)).Single(e => e.IdempotencyKey == "w1").Sequence;
        Assert.Equal(bad, failed.FirstBadSequence);
        var again = Render<BiddingResult>(p => p.Add(x => x.LotId, lot));
        again.WaitForAssertion(() => Assert.NotNull(again.Find("[data-testid=sold]")));
        Assert.Equal("false", again.Find("[data-testid=verified]").GetAttribute("data-verified"));
        Assert.Contains($"第 {bad} 条记录", again.Find("[data-testid=verified]").TextContent, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database.DisposeAsync().AsTask().GetAwaiter().GetResult(); // the engine (IAsyncDisposable only) with it
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal sealed class AdmitAll : IBiddingEligibility
    {
        public Task<IReadOnlyList<string>> ProblemsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }

    private sealed class Describer(Guid lot) : ILotDescriber
    {
        public Task<LotDescription?> DescribeAsync(LotRecord record, bool english, CancellationToken cancellationToken = default) =>
            Task.FromResult(record.Id == lot
                ? new LotDescription("A-01 地块国有建设用地使用权", [new LotFact("位置", "某市某区某路以东")], "/grants/offering-1", OneCentre.Id)
                : null);
    }

    private sealed class OneCentre : ICentreDirectory
    {
        public static readonly Guid Id = Guid.NewGuid();

        public Task<IReadOnlyList<CentreRow>> ListAsync(bool english, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<CentreRow>>([new CentreRow(Id, "DEMO", english ? "Demo trading centre" : "演示交易中心", Domain.Centres.CentreLevel.Prefecture, null, true)]);

        public Task<Trading.Workflow.Web.Accounts.AccountResult> CreateAsync(NewCentreInput input, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    /// <summary>The lot has no project: the room asks the project rules nothing for an admitted bidder.</summary>
    private sealed class NoProjects : IProjectAuthorization
    {
        public Task<ProjectPrincipal?> PrincipalAsync(string userId, IReadOnlyCollection<string>? roles = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<ProjectPrincipal?>(null);

        public Task<ProjectScope?> ScopeAsync(string? projectCode, CancellationToken cancellationToken = default) => Task.FromResult<ProjectScope?>(null);

        public Task<ProjectScope?> ScopeAsync(Guid projectId, CancellationToken cancellationToken = default) => Task.FromResult<ProjectScope?>(null);

        public ProjectStanding StandingOf(ProjectPrincipal user, ProjectScope project) => throw new NotSupportedException("No project in these tests.");

        public string ProjectCodeSql(DatabaseProvider provider, string keyExpression) => "NULL";

        public string? ProjectKeysSql(DatabaseProvider provider, Func<string, string> codeCondition) => null;

        public Task<bool> CanAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(false);

        public Task RequireAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default) =>
            throw new ProjectAccessDeniedException(projectId.ToString(), action);

        public Task<ProjectSelection?> ReadableAsync(ProjectPrincipal user, CancellationToken cancellationToken = default) => Task.FromResult<ProjectSelection?>(null);

        public Task<ProjectCodes> CodesAsync(ProjectPrincipal user, CancellationToken cancellationToken = default) => throw new NotSupportedException("No project in these tests.");
    }
}
