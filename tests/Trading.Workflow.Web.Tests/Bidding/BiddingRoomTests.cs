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
        var user = SignIn("bidder", PlatformRoles.Bidder);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
    }

    private IRenderedComponent<BiddingRoom> Room()
    {
        var page = Render<BiddingRoom>(p => p.Add(x => x.LotId, _lot));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=bid-next]")));
        return page;
    }

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

        page.WaitForAssertion(() => Assert.Contains("出价成功", page.Find("[data-testid=answer]").TextContent, StringComparison.Ordinal));
        var mine = Assert.Single(await BidsAsync(), b => b.BidderNumber == _mine);
        Assert.Equal(Start + 3 * Increment, mine.Amount);
        Assert.True(mine.Accepted);
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

        var result = await BiddingEndpoints.ResultOfAsync(_engine, lot, CancellationToken.None);
        Assert.NotNull(result);
        Assert.True(result.LogVerified);
        Assert.True(result.Sold);
        Assert.Equal(winner, result.WinnerNumber);
        Assert.Equal("甲公司", result.WinnerName);
        Assert.Equal(50_500_000m, result.Price);
        var page = Render<BiddingResult>(p => p.Add(x => x.LotId, lot));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=sold]")));
        Assert.Equal("true", page.Find("[data-testid=verified]").GetAttribute("data-verified"));

        // The accepted bid edited in the table: the replay fails, the page shows the recorded sale and where it failed.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """DROP TRIGGER "tr_bidding_log_no_update"; UPDATE "tr_bidding_log" SET "amount" = '50000000' WHERE "idem_key" = 'w1';""";
            await command.ExecuteNonQueryAsync();
        }

        var failed = await BiddingEndpoints.ResultOfAsync(_engine, lot, CancellationToken.None);
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

    private sealed class AdmitAll : IBiddingEligibility
    {
        public Task<IReadOnlyList<string>> ProblemsAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);
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

        public Task<bool> CanAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(false);

        public Task RequireAsync(string userId, Guid projectId, ProjectAction action, Guid? entityId = null, CancellationToken cancellationToken = default) =>
            throw new ProjectAccessDeniedException(projectId.ToString(), action);

        public Task<ProjectSelection?> ReadableAsync(ProjectPrincipal user, CancellationToken cancellationToken = default) => Task.FromResult<ProjectSelection?>(null);

        public Task<ProjectCodes> CodesAsync(ProjectPrincipal user, CancellationToken cancellationToken = default) => throw new NotSupportedException("No project in these tests.");
    }
}
