using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;
using static Trading.Workflow.Domain.Tests.Grants.GrantHost;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// A bidder's workspace reads of the grants: the announced offerings it may still act on (soonest moment first, not
/// those it applied for), its own applications with their deposit, never another bidder's, and the next moment of each.
/// </summary>
public sealed class GrantBidderWorkspaceTests
{
    [Fact]
    public async Task OpenOfferings_AndOwnApplications_WithDeposit_OnlyTheBiddersOwn()
    {
        await using var host = await StartAsync(DatabaseProvider.Sqlite);
        var land = await GrantWalkTests.AnnouncedAsync(host, host.LandListing(), TradeTypes.LandRights, 52_000_000m);
        var mineral = await GrantWalkTests.AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, 3_100_000m);
        var draft = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing() with { Title = "测试草稿宗地" });

        // Before applying: both announced offerings, the mineral one first (its applications close on 20 Nov, the land
        // listing opens on 23 Nov); never the draft.
        Assert.Equal(new[] { mineral.Id, land.Id }, (await host.Grants.OpenToBidderAsync(Bidder("bidder1"))).Select(o => o.Id));
        Assert.Equal(new GrantMoment(GrantMomentKind.ApplicationDeadline, At(11, 20, 17)), GrantService.NextMoment(mineral, host.Clock.GetUtcNow()));
        Assert.Equal(new GrantMoment(GrantMomentKind.BiddingOpens, At(11, 23)), GrantService.NextMoment(land, host.Clock.GetUtcNow()));
        Assert.Null(GrantService.NextMoment(draft, host.Clock.GetUtcNow()));

        var (_, account) = await host.Grants.ApplyAsync(Bidder("bidder1"), land.Id, host.Companies[0].Id);
        await host.Grants.ApplyAsync(Bidder("bidder2"), mineral.Id, host.Companies[1].Id);

        // bidder1: the land application (pending, deposit awaited), the mineral offering still open to it; not bidder2's.
        Assert.Equal(mineral.Id, Assert.Single(await host.Grants.OpenToBidderAsync(Bidder("bidder1"))).Id);
        var mine = Assert.Single(await host.Grants.ApplicationsOfBidderAsync(Bidder("bidder1")));
        Assert.Equal((land.Id, host.Companies[0].Id, GrantApplicationState.Pending), (mine.Offering.Id, mine.Application.EntityId, mine.Application.State));
        Assert.Equal((account, DepositState.AwaitingPayment), (mine.Deposit!.AccountNumber, mine.Deposit.State));
        var theirs = Assert.Single(await host.Grants.ApplicationsOfBidderAsync(Bidder("bidder2")));
        Assert.Equal((mineral.Id, host.Companies[1].Id), (theirs.Offering.Id, theirs.Application.EntityId));
        Assert.Empty(await host.Grants.ApplicationsOfBidderAsync(Bidder("bidder3")));
        Assert.Empty(await host.Grants.ApplicationsOfBidderAsync(host.Grantor));
        Assert.Empty(await host.Grants.OpenToBidderAsync(host.Grantor));

        await host.PayAsync(land, host.Companies[0], account, 10_000_000m);
        Assert.Equal(DepositState.Paid, Assert.Single(await host.Grants.ApplicationsOfBidderAsync(Bidder("bidder1"))).Deposit!.State);

        // After the mineral deadline and before its auction there is nothing for bidder3 to do there; the land listing
        // still takes applications.
        host.Clock.Set(At(11, 21, 10));
        Assert.Equal(land.Id, Assert.Single(await host.Grants.OpenToBidderAsync(Bidder("bidder3"))).Id);
        Assert.False(GrantService.IsBiddingLive(mineral, host.Clock.GetUtcNow()));

        // Once the auction runs it is live (to watch) until its lot closes, its scheduled end next; the listing runs
        // too and still takes applications, its deadline next.
        host.Clock.Set(At(11, 23, 10, 30));
        Assert.Equal(new[] { mineral.Id, land.Id }, (await host.Grants.OpenToBidderAsync(Bidder("bidder3"))).Select(o => o.Id));
        Assert.True(GrantService.IsBiddingLive(mineral, host.Clock.GetUtcNow()));
        Assert.Equal(new GrantMoment(GrantMomentKind.BiddingEnds, At(11, 23, 11)), GrantService.NextMoment(mineral, host.Clock.GetUtcNow()));
        Assert.Equal(new GrantMoment(GrantMomentKind.ApplicationDeadline, At(12, 2, 17)), GrantService.NextMoment(land, host.Clock.GetUtcNow()));
    }
}
