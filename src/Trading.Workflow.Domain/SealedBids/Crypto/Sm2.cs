using System.Text;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Trading.Workflow.Domain.SealedBids.Crypto;

/// <summary>An SM2 key pair as sm-crypto writes it: private key 64 hex digits, public key uncompressed 04||X||Y (130 hex).</summary>
public sealed record Sm2KeyPair(string PrivateKeyHex, string PublicKeyHex);

/// <summary>
/// SM2 (GM/T 0003) on the sm2p256v1 curve with BouncyCastle, in the encodings of the browser's sm-crypto 0.5.8:
/// signatures are r||s (128 hex digits) over SM3(Z||M) with the default user id "1234567812345678"
/// (<c>doSignature(msg, key, { hash: true })</c>); encryption is C1C3C2 (<c>cipherMode 1</c>) with C1 written without
/// its 04 prefix, as sm-crypto does (the prefix is accepted on input too).
/// </summary>
public static class Sm2
{
    /// <summary>The user id both sides use (GM/T 0009 default).</summary>
    public const string DefaultUserId = "1234567812345678";

    private static readonly X9ECParameters Curve = GMNamedCurves.GetByName("sm2p256v1");
    private static readonly ECDomainParameters Domain = new(Curve);
    private static readonly SecureRandom Random = new();

    public static Sm2KeyPair GenerateKeyPair()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Domain, Random));
        var pair = generator.GenerateKeyPair();
        var d = ((ECPrivateKeyParameters)pair.Private).D;
        var q = ((ECPublicKeyParameters)pair.Public).Q;
        return new Sm2KeyPair(Convert.ToHexStringLower(d.ToByteArrayUnsigned()).PadLeft(64, '0'), Convert.ToHexStringLower(q.GetEncoded(false)));
    }

    /// <summary>The public key of a private key (uncompressed hex).</summary>
    public static string PublicKeyOf(string privateKeyHex)
    {
        var d = PrivateKey(privateKeyHex);
        return Convert.ToHexStringLower(Domain.G.Multiply(d.D).Normalize().GetEncoded(false));
    }

    /// <summary>
    /// Whether <paramref name="publicKeyHex"/> is a valid uncompressed point of the curve (04||X||Y, 130 hex digits).
    /// </summary>
    public static bool IsValidPublicKey(string? publicKeyHex)
    {
        if (publicKeyHex is null || publicKeyHex.Length != 130 || !publicKeyHex.StartsWith("04", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            return PublicKey(publicKeyHex).Q.IsValid();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>SM3 of the public key's uncompressed bytes, hex: the key's fingerprint.</summary>
    public static string Fingerprint(string publicKeyHex) => Sm3Hex.Of(Convert.FromHexString(publicKeyHex));

    /// <summary>Signs <paramref name="message"/> (its UTF-8 bytes); r||s hex.</summary>
    public static string Sign(string privateKeyHex, string message) => Sign(privateKeyHex, Encoding.UTF8.GetBytes(message));

    public static string Sign(string privateKeyHex, byte[] message)
    {
        var signer = Signer();
        signer.Init(true, new ParametersWithRandom(PrivateKey(privateKeyHex), Random));
        signer.BlockUpdate(message, 0, message.Length);
        return Convert.ToHexStringLower(signer.GenerateSignature());
    }

    /// <summary>Whether <paramref name="signatureHex"/> (r||s) is the key's signature of the UTF-8 bytes of <paramref name="message"/>.</summary>
    public static bool Verify(string publicKeyHex, string message, string signatureHex) =>
        Verify(publicKeyHex, Encoding.UTF8.GetBytes(message), signatureHex);

    public static bool Verify(string publicKeyHex, byte[] message, string signatureHex)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (signatureHex is null || signatureHex.Length != 128 || !IsHex(signatureHex))
        {
            return false;
        }

        ECPublicKeyParameters key;
        try
        {
            key = PublicKey(publicKeyHex);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }

        var signer = Signer();
        signer.Init(false, key);
        signer.BlockUpdate(message, 0, message.Length);
        try
        {
            return signer.VerifySignature(Convert.FromHexString(signatureHex));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Encrypts to the public key; C1C3C2 hex with C1 without its 04 prefix (as sm-crypto's doEncrypt, cipherMode 1).</summary>
    public static string Encrypt(string publicKeyHex, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
        engine.Init(true, new ParametersWithRandom(PublicKey(publicKeyHex), Random));
        var cipher = engine.ProcessBlock(data, 0, data.Length);
        return Convert.ToHexStringLower(cipher.AsSpan(1));
    }

    /// <summary>
    /// Decrypts C1C3C2 hex (C1 with or without its 04 prefix). A wrong key or damaged ciphertext throws
    /// <see cref="InvalidCipherTextException"/>.
    /// </summary>
    public static byte[] Decrypt(string privateKeyHex, string cipherHex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cipherHex);
        if (!IsHex(cipherHex) || cipherHex.Length < 2 * (64 + 32 + 1))
        {
            throw new InvalidCipherTextException("The SM2 ciphertext is not C1C3C2 hex.");
        }

        var bytes = Convert.FromHexString(cipherHex);
        if (bytes.Length % 2 == 0 || bytes[0] != 0x04)
        {
            // sm-crypto leaves out the 04 of the uncompressed point C1.
            bytes = [0x04, .. bytes];
        }

        var engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
        engine.Init(false, PrivateKey(privateKeyHex));
        try
        {
            return engine.ProcessBlock(bytes, 0, bytes.Length);
        }
        catch (ArgumentException e)
        {
            throw new InvalidCipherTextException("The SM2 ciphertext is damaged: " + e.Message);
        }
    }

    internal static bool IsHex(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return value.Length % 2 == 0;
    }

    private static SM2Signer Signer() => new(PlainDsaEncoding.Instance, new SM3Digest());

    private static ECPublicKeyParameters PublicKey(string publicKeyHex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKeyHex);
        return new ECPublicKeyParameters(Curve.Curve.DecodePoint(Convert.FromHexString(publicKeyHex)), Domain);
    }

    private static ECPrivateKeyParameters PrivateKey(string privateKeyHex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKeyHex);
        return new ECPrivateKeyParameters(new BigInteger(privateKeyHex, 16), Domain);
    }
}
