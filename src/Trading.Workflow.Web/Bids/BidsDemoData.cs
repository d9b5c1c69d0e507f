using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
                var file = KeyFile(pair, BidderKeyPage.DemoPassphrase, entity.Name + "（演示密钥）");
                await bids.RegisterKeyAsync(entity.EntityId, pair.PublicKeyHex, "system:demo-data", file, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A key file in the browser's format (ClientApp sealed-bid/core.js <c>protectKey</c>): the private key under
    /// AES-256-GCM with a key derived from the passphrase by PBKDF2-SHA-256 (310000 rounds), ciphertext then tag.
    /// </summary>
    public static string KeyFile(Sm2KeyPair pair, string passphrase, string label)
    {
        ArgumentNullException.ThrowIfNull(pair);
        const int iterations = 310000;
        var salt = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(12);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 32);
        var plain = Convert.FromHexString(pair.PrivateKeyHex);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(key, tag.Length))
        {
            gcm.Encrypt(iv, plain, cipher, tag);
        }

        return JsonSerializer.Serialize(new
        {
            format = "tw-bidder-key",
            version = 1,
            algorithm = "SM2",
            label,
            publicKey = pair.PublicKeyHex,
            fingerprint = Sm2.Fingerprint(pair.PublicKeyHex),
            kdf = new { name = "PBKDF2", hash = "SHA-256", iterations, salt = Convert.ToBase64String(salt) },
            cipher = new { name = "AES-256-GCM", iv = Convert.ToBase64String(iv) },
            privateKey = Convert.ToBase64String([.. cipher, .. tag]),
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
