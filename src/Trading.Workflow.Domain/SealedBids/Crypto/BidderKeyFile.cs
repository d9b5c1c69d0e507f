using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Trading.Workflow.Domain.SealedBids.Crypto;

/// <summary>
/// The bidder's key file in the browser's format (ClientApp <c>sealed-bid/core.js</c> <c>protectKey</c>, format
/// "tw-bidder-key" version 1): the SM2 private key under AES-256-GCM (ciphertext then the 16-byte tag) with a key
/// derived from the passphrase by PBKDF2-SHA-256. The browser makes real key files; the server makes one only for
/// demo data.
/// </summary>
public static class BidderKeyFile
{
    public const string Format = "tw-bidder-key";
    public const int Version = 1;
    public const int Iterations = 310000;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Create(Sm2KeyPair pair, string passphrase, string label)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        var salt = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(12);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var plain = Convert.FromHexString(pair.PrivateKeyHex);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(key, tag.Length))
        {
            gcm.Encrypt(iv, plain, cipher, tag);
        }

        return JsonSerializer.Serialize(new
        {
            format = Format,
            version = Version,
            algorithm = "SM2",
            label,
            publicKey = pair.PublicKeyHex,
            fingerprint = Sm2.Fingerprint(pair.PublicKeyHex),
            kdf = new { name = "PBKDF2", hash = "SHA-256", iterations = Iterations, salt = Convert.ToBase64String(salt) },
            cipher = new { name = "AES-256-GCM", iv = Convert.ToBase64String(iv) },
            privateKey = Convert.ToBase64String([.. cipher, .. tag]),
        }, Json);
    }
}
