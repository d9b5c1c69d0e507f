using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>Who may read an offering's page: the list's scope (staff their centre's, even once announced), else the public rule.</summary>
public sealed class GrantAccessTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task MayRead_StaffOfAnotherCentre_NotEvenAnAnnouncedOffering_AsTheirListShowsNone(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await GrantWalkTests.AnnouncedAsync(host, host.LandListing(), TradeTypes.LandRights, 52_000_000m);
        Assert.True(GrantService.IsPublic(offering));
        var otherStaff = new GrantActor("staff2", "staff2", [PlatformRoles.Staff], Guid.NewGuid());

        Assert.Empty(await host.Grants.ListAsync(otherStaff, TradeTypes.LandRights));
        Assert.False(await host.Grants.MayReadAsync(otherStaff, offering));

        Assert.True(await host.Grants.MayReadAsync(host.Staff, offering));
        Assert.True(await host.Grants.MayReadAsync(new GrantActor("supervisor", "supervisor", [PlatformRoles.Supervisor], null), offering));
        Assert.True(await host.Grants.MayReadAsync(GrantHost.Bidder("bidder1"), offering));
    }
}
