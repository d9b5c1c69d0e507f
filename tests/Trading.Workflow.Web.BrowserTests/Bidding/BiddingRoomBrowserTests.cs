using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Web.BrowserTests.EngineeringConstruction;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Deposits;
using static Microsoft.Playwright.Assertions;

namespace Trading.Workflow.Web.BrowserTests.Bidding;

/// <summary>
/// The bidding room in real Chromium (issue 14 §3, §7): three demo bidders, each in its own browser context, bid live in
/// an ascending auction; one loses its connection and is told what happened while away; a bid in the last minute moves
/// the end for everyone; the server closes the sale; a second lot whose reserve is not met ends in 流拍; the grantor,
/// staff and the supervisor watch read-only; the public reads both results. The lots are registered through the
/// engine with the real eligibility (approved registration, deposit paid through the signed mock-bank callback); every
/// bid goes through the page. The server clock is moved (never the browsers'), so the countdowns are short in test
/// time without short settings.
/// </summary>
public sealed class BiddingRoomBrowserTests : IClassFixture<EngineeringTenderApp>
{
    private const decimal Start = 1_000_000m;
    private const decimal Increment = 10_000m;
    private static readonly TimeSpan Extension = TimeSpan.FromMinutes(1);
    private readonly EngineeringTenderApp _app;

    public BiddingRoomBrowserTests(EngineeringTenderApp app)
    {
        _app = app;
        SetDefaultExpectTimeout(20_000);
    }

    private T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private static string Money(decimal amount) => amount.ToString("N2", CultureInfo.GetCultureInfo("zh-CN"));

    /// <summary>A demo bidder's company registered for the section with its deposit paid from its basic account through the mock bank.</summary>
    private async Task<DepositorEntity> RegisterAsync(string userName, DepositSection section, int index)
    {
        string userId;
        using (var scope = _app.Services.CreateScope())
        {
            userId = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName))!.Id;
        }

        var lookup = Service<IBasicAccountLookup>();
        var entity = Assert.Single(await lookup.EntitiesOfUserAsync(userId, CancellationToken.None));
        await Service<ParticipationService>().EnsureAsync(section.SectionId, entity.EntityId, ParticipationOrigin.Applied, "staff");
        var account = await Service<DepositService>().OpenAccountAsync(section.SectionId, entity.EntityId, entity.Name, userName, CancellationToken.None);
        var basic = (await lookup.FindAsync(entity.EntityId, CancellationToken.None))!.AccountNumber;
        using var http = new HttpClient { BaseAddress = new Uri(_app.BaseUrl) };
        using var response = await Service<MockBank>().SendDepositAsync(http,
            new BankDeposit($"MOCK-ROOM-{index}", section.Amount, entity.Name, basic, "演示银行", account.Number, _app.Clock.GetUtcNow()), CancellationToken.None);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return entity;
    }

    private static async Task<DateTimeOffset> EndsAsync(IPage page) =>
        DateTimeOffset.Parse((await page.Locator("[data-testid=ends]").GetAttributeAsync("data-ends"))!, CultureInfo.InvariantCulture);

    /// <summary>Keeps the page's WebSockets reachable, so the test can cut the circuit's socket while the context is offline (offline emulation alone leaves open sockets up).</summary>
    private const string TrackSockets = """
        (() => {
          const Original = window.WebSocket;
          window.__twSockets = [];
          window.WebSocket = class extends Original {
            constructor(...args) { super(...args); window.__twSockets.push(this); }
          };
        })();
        """;

    private static async Task OpenRoomAsync(IPage page, Guid lotId)
    {
        await page.GotoAsync($"/bidding/{lotId}");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid=phase]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ThreeBidders_BidLive_WithExtension_Reconnect_ServerClose_ReserveNotMet_ReadOnlyViews_AndPublicResults()
    {
        var section = await DepositsDemoData.DemoSectionAsync(Service<ITradingDatabase>(), CancellationToken.None);
        Assert.NotNull(section);
        var entities = new List<DepositorEntity>();
        foreach (var (user, i) in new[] { "bidder", "bidder2", "bidder3" }.Select((u, i) => (u, i)))
        {
            entities.Add(await RegisterAsync(user, section, i));
        }

        var engine = Service<BiddingEngine>();
        var now = _app.Clock.GetUtcNow();
        var end = now.AddMinutes(30);
        var auction = await engine.CreateLotAsync(new LotDefinition(section.SectionId, section.ProjectId, "演示国有资产 A 拍卖（测试）",
            new LotSettings(BiddingMode.Ascending, Start, Increment, [], now.AddSeconds(-1), end, TimeSpan.Zero, Extension), 1_050_000m), "staff");
        var reserveNotMet = await engine.CreateLotAsync(new LotDefinition(section.SectionId, section.ProjectId, "演示国有资产 B 拍卖（测试）",
            new LotSettings(BiddingMode.Ascending, 500_000m, 5_000m, [], now.AddSeconds(-1), end, TimeSpan.Zero, Extension), 900_000m), "staff");
        var numbers = new List<int>();
        foreach (var entity in entities)
        {
            numbers.Add((await engine.AdmitAsync(auction, entity.EntityId, entity.Name, "staff")).Number);
        }

        await engine.AdmitAsync(reserveNotMet, entities[0].EntityId, entities[0].Name, "staff");
        await Service<BiddingTimer>().RunDueAsync();

        // Three bidders, each in its own context, and the read-only viewers.
        var bidders = new List<IPage>();
        foreach (var user in new[] { "bidder", "bidder2", "bidder3" })
        {
            var page = await _app.SignInAsync(user);
            await page.Context.AddInitScriptAsync(TrackSockets);
            await OpenRoomAsync(page, auction);
            bidders.Add(page);
        }

        var (one, two, three) = (bidders[0], bidders[1], bidders[2]);
        for (var i = 0; i < 3; i++)
        {
            await Expect(bidders[i].Locator("[data-testid=my-number]")).ToContainTextAsync(numbers[i].ToString(CultureInfo.InvariantCulture));
            await Expect(bidders[i].Locator("[data-testid=clock]")).ToContainTextAsync("倒计时以服务器时间为准");
        }

        var watchers = new List<IPage>();
        foreach (var user in new[] { "tenderee", "staff", "supervisor" })
        {
            var page = await _app.SignInAsync(user);
            await OpenRoomAsync(page, auction);
            await Expect(page.Locator("[data-testid=read-only]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=bid-next]")).ToHaveCountAsync(0);
            watchers.Add(page);
        }

        // The first bid at the start price, seen by everyone.
        await one.ClickAsync("[data-testid=bid-next]");
        await Expect(one.Locator("[data-testid=my-status]")).ToHaveAttributeAsync("data-state", "leading");
        foreach (var page in bidders.Concat(watchers))
        {
            await Expect(page.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(Start));
            await Expect(page.Locator("[data-testid=leader]")).ToContainTextAsync(numbers[0].ToString(CultureInfo.InvariantCulture));
        }

        // The leader cannot outbid itself: a clear reason in Chinese.
        await one.ClickAsync("[data-testid=bid-next]");
        await Expect(one.Locator("[data-testid=answer]")).ToContainTextAsync("您已是最高报价者");

        // Bidder 2's connection fails; two bids are made meanwhile.
        await two.Context.SetOfflineAsync(true);
        await two.EvaluateAsync("() => (window.__twSockets || []).forEach(s => s.close())");
        await three.ClickAsync("[data-testid=bid-next]");
        await Expect(three.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(Start + Increment));
        await one.ClickAsync("[data-testid=bid-next]");
        await Expect(one.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(Start + 2 * Increment));
        // Bidder 3's status follows: outbid by bidder 1's number at the new price (no lasting "accepted").
        await Expect(three.Locator("[data-testid=my-status]")).ToHaveAttributeAsync("data-state", "outbid");
        await Expect(three.Locator("[data-testid=my-status]")).ToContainTextAsync(numbers[0].ToString(CultureInfo.InvariantCulture));

        // Back online: the circuit reconnects and the room says what happened while away.
        await two.Context.SetOfflineAsync(false);
        await Expect(two.Locator("[data-testid=while-away]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(two.Locator("[data-testid=while-away]")).ToContainTextAsync("2");
        await Expect(two.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(Start + 2 * Increment));
        await Expect(two.Locator("[data-testid=history] tbody tr")).ToHaveCountAsync(3);

        // On a phone the room does not scroll sideways, nor does the bid history: its amounts are in sight (the 2026-12-08 walk).
        await two.SetViewportSizeAsync(390, 900);
        await two.Locator("[data-testid=history-scroll]").ScrollIntoViewIfNeededAsync();
        await Expect(two.Locator("[data-testid=history] tbody tr").First.Locator("td").Last).ToBeInViewportAsync();
        Assert.True(await two.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the room scrolls sideways at 390 px");
        Assert.True(await two.Locator("[data-testid=history-scroll]").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"), "the bid history scrolls sideways at 390 px");
        await two.SetViewportSizeAsync(1600, 1000);

        // A typed multiple that is not a whole number of 1 or more is refused on the page: nothing is sent.
        var multiple = two.Locator("input[data-testid=multiple], [data-testid=multiple] input").First;
        await multiple.FillAsync("0");
        await two.ClickAsync("[data-testid=bid-multiple]");
        await Expect(two.Locator("[data-testid=answer]")).ToContainTextAsync("加价倍数须为不小于 1 的整数");
        await Expect(two.Locator("[data-testid=history] tbody tr")).ToHaveCountAsync(3);

        // A typed multiple far above the next price asks for confirmation first.
        await multiple.FillAsync("6");
        await multiple.BlurAsync();
        await Expect(two.Locator("[data-testid=bid-multiple]")).ToContainTextAsync(Money(Start + 8 * Increment));
        await two.ClickAsync("[data-testid=bid-multiple]");
        await Expect(two.Locator("[data-testid=confirm-jump]")).ToBeVisibleAsync();
        await two.ClickAsync("[data-testid=confirm]");
        var jumped = Start + 2 * Increment + 6 * Increment;
        foreach (var page in bidders.Concat(watchers))
        {
            await Expect(page.Locator("[data-testid=current-price]")).ToContainTextAsync(Money(jumped));
        }

        // Lot B: one bid at its start price, below its reserve.
        await OpenRoomAsync(one, reserveNotMet);
        await one.ClickAsync("[data-testid=bid-next]");
        await Expect(one.Locator("[data-testid=my-status]")).ToHaveAttributeAsync("data-state", "leading");
        await OpenRoomAsync(one, auction);

        // The last minute: a bid 30 s before the end moves the end to that bid + 1 min, on every page.
        var before = await EndsAsync(three);
        Assert.Equal(end, before);
        _app.Clock.MoveTo(end.AddSeconds(-30));
        await three.ClickAsync("[data-testid=bid-next]");
        await Expect(three.Locator("[data-testid=my-status]")).ToHaveAttributeAsync("data-state", "leading");
        foreach (var page in bidders.Concat(watchers))
        {
            await Expect(page.Locator("[data-testid=ends]")).Not.ToHaveAttributeAsync("data-ends", before.ToString("O", CultureInfo.InvariantCulture));
        }

        var extended = await EndsAsync(one);
        Assert.True(extended > before, $"the end {extended:O} moved past {before:O}");
        Assert.True(extended - (end.AddSeconds(-30)) >= Extension, "the end is the bid's arrival + 1 min");
        Assert.Equal(extended, await EndsAsync(watchers[0]));

        // The server closes the sale when its clock passes the end (the browsers' clocks never decide).
        _app.Clock.MoveTo(extended.AddSeconds(1));
        var winner = numbers[2].ToString(CultureInfo.InvariantCulture);
        foreach (var page in bidders.Concat(watchers))
        {
            await Expect(page.Locator("[data-testid=closed]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=outcome]")).ToContainTextAsync(winner);
            await Expect(page.Locator("[data-testid=bid-next]")).ToHaveCountAsync(0);
        }

        // The public result: the winner's name revealed with the result, the reserve revealed at the close, the log verified.
        var anonymous = await _app.AnonymousAsync();
        await anonymous.GotoAsync($"/bidding/{auction}/result");
        await Expect(anonymous.Locator("[data-testid=sold]")).ToContainTextAsync(entities[2].Name);
        await Expect(anonymous.Locator("[data-testid=sold]")).ToContainTextAsync(Money(jumped + Increment));
        await Expect(anonymous.Locator("[data-testid=verified]")).ToContainTextAsync("校验通过");

        // Lot B closed at the same moment: reserve not met → 流拍, in the room and in public.
        await OpenRoomAsync(one, reserveNotMet);
        await Expect(one.Locator("[data-testid=outcome]")).ToContainTextAsync("流拍");
        await anonymous.GotoAsync($"/bidding/{reserveNotMet}/result");
        await Expect(anonymous.Locator("[data-testid=no-sale]")).ToContainTextAsync("流拍");
        await Expect(anonymous.Locator("[data-testid=no-sale]")).ToContainTextAsync("未达到保留价");
    }
}
