using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Web.Bids;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Bids;

public sealed class BidsDemoDataTests
{
    [Fact]
    public async Task Start_WithDemoData_GivesBidderBidder2AndBidder3AVerifiedCompanyAndADemoKeyFile()
    {
        await using var factory = new PlatformFactory();
        factory.CreateClient();

        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var membership = scope.ServiceProvider.GetRequiredService<IEntityMembership>();
        var bids = scope.ServiceProvider.GetRequiredService<SealedBidService>();
        var fingerprints = new HashSet<string>();
        foreach (var userName in BidsDemoData.Bidders)
        {
            var user = await users.FindByNameAsync(userName);
            var entity = Assert.Single(await membership.EntitiesOfAsync(user!.Id));
            Assert.True(entity.IsVerified);
            var key = await bids.CurrentKeyAsync(entity.EntityId);
            Assert.NotNull(key);
            Assert.True(key.IsDemo);
            using var file = JsonDocument.Parse(key.DemoKeyFile!);
            Assert.Equal(("tw-bidder-key", key.PublicKeyHex, Sm2.Fingerprint(key.PublicKeyHex)),
                (file.RootElement.GetProperty("format").GetString(), file.RootElement.GetProperty("publicKey").GetString(), key.Fingerprint));
            Assert.Contains("演示", file.RootElement.GetProperty("label").GetString(), StringComparison.Ordinal);
            fingerprints.Add(key.Fingerprint);
        }

        Assert.Equal(3, fingerprints.Count);
    }
}
