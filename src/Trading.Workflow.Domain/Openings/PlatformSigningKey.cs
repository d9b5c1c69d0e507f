using Microsoft.EntityFrameworkCore;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// A key the platform signs with (tr_platform_keys), one per purpose: SM2 on curve sm2p256v1, the private scalar and
/// the uncompressed public key (04||X||Y) as hex, and the public key's SM3 fingerprint. Kept in the database so every
/// node of a cluster signs with the same key; whoever can read the database can read the private key, so a
/// deployment that needs more puts it in an HSM behind <see cref="PlatformSigner"/>.
/// </summary>
public sealed class PlatformKey
{
    public const string OpeningRecordPurpose = "opening-record";

    private PlatformKey()
    {
    }

    public string Purpose { get; private set; } = string.Empty;

    public string PrivateKeyHex { get; private set; } = string.Empty;

    public string PublicKeyHex { get; private set; } = string.Empty;

    public string Fingerprint { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    internal static PlatformKey Generate(string purpose, DateTimeOffset now)
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(PlatformSigner.Domain, new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var publicKey = ((ECPublicKeyParameters)pair.Public).Q.GetEncoded(false);
        return new PlatformKey
        {
            Purpose = purpose,
            PrivateKeyHex = ((ECPrivateKeyParameters)pair.Private).D.ToByteArrayUnsigned().PadLeft32().ToHexLower(),
            PublicKeyHex = publicKey.ToHexLower(),
            Fingerprint = Sm3.Hash(publicKey).ToHexLower(),
            CreatedAt = now,
        };
    }
}

/// <summary>The platform's public signing key as shown to everyone (and to the SM2 verifiers in the browser).</summary>
public sealed record PlatformPublicKey(string Purpose, string PublicKeyHex, string Fingerprint, DateTimeOffset CreatedAt);

/// <summary>
/// Signs with the platform's key, created on first use (at the first start that needs it) and then read from the
/// database. Signatures are SM2 with SM3 and the default user id 1234567812345678, encoded r||s as 128 hex characters —
/// the form npm sm-crypto's <c>doVerifySignature(msg, sig, publicKey, { hash: true })</c> checks.
/// </summary>
public sealed class PlatformSigner(ITradingDatabase database, TimeProvider time)
{
    internal static readonly ECDomainParameters Domain = CreateDomain();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PlatformKey? _key;

    public async Task<PlatformPublicKey> PublicKeyAsync(CancellationToken cancellationToken = default)
    {
        var key = await KeyAsync(cancellationToken);
        return new PlatformPublicKey(key.Purpose, key.PublicKeyHex, key.Fingerprint, key.CreatedAt);
    }

    /// <summary>Signs <paramref name="data"/>; returns the signature (r||s, hex) and the public key it verifies with.</summary>
    public async Task<(string SignatureHex, PlatformPublicKey Key)> SignAsync(byte[] data, CancellationToken cancellationToken = default) =>
        Sign(data, await KeyAsync(cancellationToken));

    /// <summary>
    /// Signs inside the caller's transaction: when no key exists yet it is created in <paramref name="db"/> and commits
    /// with what it signs (SQLite has one writer: creating it on another connection would wait for this transaction).
    /// </summary>
    public async Task<(string SignatureHex, PlatformPublicKey Key)> SignAsync(TradingDbContext db, byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(data);
        if (_key is { } known)
        {
            return Sign(data, known);
        }

        var key = db.ChangeTracker.Entries<PlatformKey>().Select(e => e.Entity).FirstOrDefault(k => k.Purpose == PlatformKey.OpeningRecordPurpose)
                  ?? await db.Set<PlatformKey>().AsNoTracking().SingleOrDefaultAsync(k => k.Purpose == PlatformKey.OpeningRecordPurpose, cancellationToken);
        if (key is null)
        {
            key = PlatformKey.Generate(PlatformKey.OpeningRecordPurpose, time.GetUtcNow());
            db.Add(key); // not cached: it counts once committed, and is read back from the database then
        }

        return Sign(data, key);
    }

    private static (string SignatureHex, PlatformPublicKey Key) Sign(byte[] data, PlatformKey key)
    {
        ArgumentNullException.ThrowIfNull(data);
        var signer = new SM2Signer(PlainDsaEncoding.Instance);
        signer.Init(true, new ParametersWithRandom(new ECPrivateKeyParameters(new BigInteger(key.PrivateKeyHex, 16), Domain), new SecureRandom()));
        signer.BlockUpdate(data, 0, data.Length);
        return (signer.GenerateSignature().ToHexLower(), new PlatformPublicKey(key.Purpose, key.PublicKeyHex, key.Fingerprint, key.CreatedAt));
    }

    /// <summary>Checks an SM2 signature (r||s hex) over <paramref name="data"/> with a public key (04||X||Y hex).</summary>
    public static bool Verify(string publicKeyHex, byte[] data, string signatureHex)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            var point = Domain.Curve.DecodePoint(Convert.FromHexString(publicKeyHex));
            var verifier = new SM2Signer(PlainDsaEncoding.Instance);
            verifier.Init(false, new ECPublicKeyParameters(point, Domain));
            verifier.BlockUpdate(data, 0, data.Length);
            return verifier.VerifySignature(Convert.FromHexString(signatureHex));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private async Task<PlatformKey> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_key is { } again)
            {
                return again;
            }

            await using var db = database.Create();
            var stored = await db.Set<PlatformKey>().AsNoTracking().SingleOrDefaultAsync(k => k.Purpose == PlatformKey.OpeningRecordPurpose, cancellationToken);
            if (stored is null)
            {
                var fresh = PlatformKey.Generate(PlatformKey.OpeningRecordPurpose, time.GetUtcNow());
                db.Add(fresh);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    stored = fresh;
                }
                catch (DbUpdateException)
                {
                    // Another node created it first: use that one.
                    await using var reread = database.Create();
                    stored = await reread.Set<PlatformKey>().AsNoTracking().SingleAsync(k => k.Purpose == PlatformKey.OpeningRecordPurpose, cancellationToken);
                }
            }

            return _key = stored;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ECDomainParameters CreateDomain()
    {
        var curve = GMNamedCurves.GetByName("sm2p256v1");
        return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
    }
}

internal static class HexExtensions
{
    public static string ToHexLower(this byte[] bytes) => Convert.ToHexStringLower(bytes);

    public static byte[] PadLeft32(this byte[] bytes)
    {
        if (bytes.Length >= 32)
        {
            return bytes;
        }

        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return padded;
    }
}
