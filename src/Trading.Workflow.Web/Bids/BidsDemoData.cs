using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Web.Components.Pages.Bids;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Bids;

/// <summary>
/// Demo bidding keys for the demo bidders <c>bidder</c>, <c>bidder2</c> and <c>bidder3</c>: a key pair each, its public
/// key registered for the bidder's demo company, and the key file (protected by the documented demo passphrase
/// <see cref="BidderKeyPage.DemoPassphrase"/>) kept on the key row so the bidder can download it from the key page,
/// labelled demo data. Real keys are made in the browser and their private key never reaches the server.
/// </summary>
public sealed class BidsDemoData(SealedBidService bids, IEntityMembership membership) : IDemoDataStep
{
    public static readonly IReadOnlyList<string> Bidders = ["bidder", "bidder2", "bidder3"];

    public int Order => 150;

    public async Task SeedAsync(DemoDataContext demo, CancellationToken cancellationToken)
    {
        foreach (var userName in Bidders)
        {
            var user = await demo.UserAsync(userName);
            foreach (var entity in await membership.EntitiesOfAsync(user.Id, cancellationToken))
            {
                if (await bids.CurrentKeyAsync(entity.EntityId, cancellationToken) is not null)
                {
                    continue;
                }

                var pair = Sm2.GenerateKeyPair();
                var file = BidderKeyFile.Create(pair, BidderKeyPage.DemoPassphrase, entity.Name + "（演示密钥）");
                await bids.RegisterKeyAsync(entity.EntityId, pair.PublicKeyHex, "system:demo-data", file, cancellationToken);
            }
        }
    }
}
