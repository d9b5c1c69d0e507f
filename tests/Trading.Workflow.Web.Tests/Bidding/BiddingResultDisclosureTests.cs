using System.Globalization;
using System.Net.Http.Json;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Bidding;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Bidding;

/// <summary>
/// Who reads a grant's winner by name before the 出让结果公示, on the real app: the result API, the result page and the
/// portal's offering page show everyone that the lot sold, the price and the winning bidder number, the name only to
/// staff of the centre, supervisors, the grantor and the winner itself; once the result notice is published, everyone.
/// </summary>
public sealed class BiddingResultDisclosureTests(SoldGrantLotsFixture lots) : PlatformComponentTest, IClassFixture<SoldGrantLotsFixture>
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("bidder2", false)]
    [InlineData("staff2", false)]
    [InlineData("staff", true)]
    [InlineData("supervisor", true)]
    [InlineData("grantor", true)]
    [InlineData("bidder", true)]
    public async Task ResultApi_BeforeTheResultNotice_NamesTheWinnerOnlyToThoseEntitled(string? userName, bool named)
    {
        var client = lots.Factory.CreateNoRedirectClient();
        if (userName is not null)
        {
            await client.SignInAsync(userName);
        }

        var result = await client.GetFromJsonAsync<LotResult>($"/api/bidding/lots/{lots.Land.LotId}/result");

        Assert.NotNull(result);
        Assert.True(result.Sold);
        Assert.Equal(lots.Land.WinnerNumber, result.WinnerNumber);
        Assert.Equal(lots.Land.Price, result.Price);
        Assert.Equal(named ? lots.WinnerName : null, result.WinnerName);
        Assert.Equal(!named, result.WinnerWithheld);
    }

    [Fact]
    public async Task ResultApi_AfterTheResultNotice_NamesTheWinnerToEveryone()
    {
        var anonymous = lots.Factory.CreateNoRedirectClient();
        var url = $"/api/bidding/lots/{lots.Mineral.LotId}/result";
        Assert.Null((await anonymous.GetFromJsonAsync<LotResult>(url))!.WinnerName);

        await lots.PublishResultAsync(lots.Mineral);

        var result = await anonymous.GetFromJsonAsync<LotResult>(url);
        Assert.Equal(lots.WinnerName, result!.WinnerName);
        Assert.False(result.WinnerWithheld);
        var other = lots.Factory.CreateNoRedirectClient();
        await other.SignInAsync("bidder2");
        Assert.Equal(lots.WinnerName, (await other.GetFromJsonAsync<LotResult>(url))!.WinnerName);
    }

    [Theory]
    [InlineData("zh-CN", "成交：竞买号 {0}，成交价 {1}", "竞得人名称在结果公示发布后公开。")]
    [InlineData("en", "Sold to bidder number {0} at {1}", "The winner's name is made public with the result notice.")]
    public void ResultPage_Anonymous_BeforeTheResultNotice_ShowsTheNumberAndThePrice_NotTheName(string culture, string sold, string withheld)
    {
        using var scope = lots.Factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<LotResults>());
        AddAuthorization();
        Culture(culture);

        var page = Render<BiddingResult>(p => p.Add(x => x.LotId, lots.Land.LotId));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=sold]")), TimeSpan.FromSeconds(10));
        Assert.Contains(string.Format(CultureInfo.CurrentCulture, sold, lots.Land.WinnerNumber, lots.Land.Price.ToString("N2", CultureInfo.CurrentCulture)),
            page.Find("[data-testid=sold]").TextContent, StringComparison.Ordinal);
        Assert.Equal(withheld, page.Find("[data-testid=winner-withheld]").TextContent.Trim());
        Assert.DoesNotContain(lots.WinnerName, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultPage_TheWinner_BeforeTheResultNotice_SeesItsName()
    {
        using var scope = lots.Factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<LotResults>());
        SignIn("bidder", PlatformRoles.Bidder);

        var page = Render<BiddingResult>(p => p.Add(x => x.LotId, lots.Land.LotId));

        page.WaitForAssertion(() => Assert.Contains(lots.WinnerName, page.Find("[data-testid=sold]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll("[data-testid=winner-withheld]"));
    }

    [Theory]
    [InlineData("zh-CN", "竞买号 {0} 以 {1} 竞得（竞得人名称在出让结果公示发布后公开）")]
    [InlineData("en", "Won by bidder {0} at {1} (the winner's name is made public with the grant result notice)")]
    public void PortalPage_Anonymous_BeforeTheResultNotice_ShowsTheWinningNumber_NotTheName(string culture, string outcome)
    {
        using var scope = lots.Factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<GrantService>());
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<GrantsWeb>());
        AddAuthorization();
        Culture(culture);

        var page = Render<GrantPublicPage>(p => p.Add(x => x.Id, lots.Land.OfferingId));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=grant-outcome]")), TimeSpan.FromSeconds(10));
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, outcome, lots.Land.WinnerNumber, GrantsWeb.Money(lots.Land.Price)),
            page.Find("[data-testid=grant-outcome]").TextContent.Trim());
        Assert.DoesNotContain(lots.WinnerName, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void PortalPage_StaffOfTheCentre_BeforeTheResultNotice_SeeTheName()
    {
        using var scope = lots.Factory.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<GrantService>());
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<GrantsWeb>());
        SignIn("staff", PlatformRoles.Staff);

        var page = Render<GrantPublicPage>(p => p.Add(x => x.Id, lots.Land.OfferingId));

        page.WaitForAssertion(() => Assert.StartsWith(lots.WinnerName, page.Find("[data-testid=grant-outcome]").TextContent.Trim(), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
    }
}

/// <summary>
/// The app on its demo data with both demo grant offerings sold at a real closed lot of their project to the demo
/// <c>bidder</c>'s company, over <c>bidder2</c>'s: the lots are the engine's (admitted, bid, closed by the timer), the
/// offerings moved by their own domain steps as the procedure would (announced on the lot, the sale recorded). The land
/// lot stays before its result notice; the mineral lot's notice is for the test that publishes it.
/// </summary>
public sealed class SoldGrantLotsFixture : IAsyncLifetime
{
    // The lots close this long after they are made: the admissions and bids fit well before.
    private static readonly TimeSpan Sale = TimeSpan.FromSeconds(12);

    public sealed record SoldLot(Guid OfferingId, Guid LotId, int WinnerNumber, decimal Price);

    // Admission is the grant path's to check (its own tests); here the bidders only need numbers.
    public PlatformFactory Factory { get; } = new(configureServices: s => s.AddSingleton<IBiddingEligibility>(new BiddingRoomTests.AdmitAll()));

    public SoldLot Land { get; private set; } = null!;

    public SoldLot Mineral { get; private set; } = null!;

    public string WinnerName { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _ = Factory.Server;
        var services = Factory.Services;
        var grants = services.GetRequiredService<GrantService>();
        var supervisor = new GrantActor("supervisor", "supervisor", [PlatformRoles.Supervisor], null);
        var winner = await EntityOfAsync("bidder");
        var other = await EntityOfAsync("bidder2");
        WinnerName = winner.Name;
        var ends = DateTimeOffset.UtcNow + Sale;
        var land = await OpenAsync((await grants.ListAsync(supervisor, TradeTypes.LandRights)).First(o => o.Stage == GrantStage.Draft), ends, winner, other);
        var mineral = await OpenAsync((await grants.ListAsync(supervisor, TradeTypes.MineralRights)).First(o => o.Stage == GrantStage.Draft), ends, winner, other);

        var engine = services.GetRequiredService<BiddingEngine>();
        var timer = services.GetRequiredService<BiddingTimer>();
        await Task.Delay(ends - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        foreach (var lot in new[] { land, mineral })
        {
            for (var i = 0; i < 50 && (await engine.Store.FindLotAsync(lot.LotId))!.Phase != LotPhase.Closed; i++)
            {
                await timer.RunDueAsync();
                await Task.Delay(100);
            }

            Assert.Equal(LotPhase.Closed, (await engine.Store.FindLotAsync(lot.LotId))!.Phase);
            await ChangeAsync(lot.OfferingId, o => o.RecordSale(winner.EntityId, winner.Name, lot.WinnerNumber, lot.Price, ends, ends.AddDays(14)));
        }

        (Land, Mineral) = (land, mineral);
    }

    public Task PublishResultAsync(SoldLot lot) => ChangeAsync(lot.OfferingId, o => o.PublishResult(Guid.NewGuid(), DateTimeOffset.UtcNow));

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    private async Task<EntityMembershipInfo> EntityOfAsync(string userName)
    {
        var account = (await Factory.Services.GetRequiredService<IUserDirectory>().FindByUserNameAsync(userName))!;
        return (await Factory.Services.GetRequiredService<IEntityMembership>().EntitiesOfAsync(account.AccountId)).First(e => e.IsVerified);
    }

    /// <summary>A running lot of the offering's project, the offering announced on it, both bidders admitted and the winner's bid above the other's.</summary>
    private async Task<SoldLot> OpenAsync(GrantOffering offering, DateTimeOffset ends, EntityMembershipInfo winner, EntityMembershipInfo other)
    {
        var engine = Factory.Services.GetRequiredService<BiddingEngine>();
        // No section: the grants' opening gate would take the offering's section (its draft not yet on this lot) for a superseded one.
        var lotId = await engine.CreateLotAsync(new LotDefinition(null, offering.ProjectId, offering.Title,
            new LotSettings(BiddingMode.Ascending, offering.StartPrice, offering.Increment, [], DateTimeOffset.UtcNow.AddMinutes(-1), ends, TimeSpan.Zero, TimeSpan.Zero), null), "staff");
        var now = DateTimeOffset.UtcNow;
        await ChangeAsync(offering.Id, o =>
        {
            o.Submit(lotId, now);
            o.Announce(Guid.NewGuid(), now);
        });
        var winnerNumber = (await engine.AdmitAsync(lotId, winner.EntityId, winner.Name, "staff")).Number;
        var otherNumber = (await engine.AdmitAsync(lotId, other.EntityId, other.Name, "staff")).Number;
        await Factory.Services.GetRequiredService<BiddingTimer>().RunDueAsync();
        Assert.True((await engine.SubmitAsync(lotId, otherNumber, offering.StartPrice, "other-1")).Accepted);
        var price = offering.StartPrice + offering.Increment;
        Assert.True((await engine.SubmitAsync(lotId, winnerNumber, price, "winner-1")).Accepted);
        return new SoldLot(offering.Id, lotId, winnerNumber, price);
    }

    private async Task ChangeAsync(Guid offeringId, Action<GrantOffering> change)
    {
        await using var db = Factory.Services.GetRequiredService<ITradingDatabase>().Create();
        change(await db.Set<GrantOffering>().SingleAsync(o => o.Id == offeringId));
        await db.SaveChangesAsync();
    }
}
