using System.Text;
using Org.BouncyCastle.Crypto;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;

namespace Trading.Workflow.Domain.Tests.SealedBids;

/// <summary>The GM/T primitives of sealed bids on BouncyCastle, in sm-crypto's encodings.</summary>
public sealed class SealedBidCryptoTests
{
    [Fact]
    public void Sm3_OfAbc_IsTheStandardsExample()
    {
        // GM/T 0004-2012 appendix A.1.
        Assert.Equal("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", Sm3Hex.Of("abc"u8));
    }

    // GM/T 0003.5-2012 appendix A's private key, and a second fixed one: the keys are the same on every run.
    private const string SignerPrivateKey = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
    private const string OtherPrivateKey = "128b2fa8bd433c6c068c8d803dff79792a519a55171b1b650c23661d15897263";

    [Fact]
    public void Sm2_SignatureOfTheKey_Verifies_AndFailsForAnotherMessageOrKey()
    {
        var publicKey = Sm2.PublicKeyOf(SignerPrivateKey);
        var otherPublicKey = Sm2.PublicKeyOf(OtherPrivateKey);

        var signature = Sm2.Sign(SignerPrivateKey, "投标函 v1");

        Assert.Equal(128, signature.Length);
        Assert.True(Sm2.Verify(publicKey, "投标函 v1", signature));
        Assert.False(Sm2.Verify(publicKey, "投标函 v2", signature));
        Assert.False(Sm2.Verify(otherPublicKey, "投标函 v1", signature));
        // Tampering flips one bit of r and, separately, of s, so the tampered signature always differs from the signed
        // one (writing "00" over the first byte changed nothing whenever r already began with 00: 1 run in 256).
        var tamperedR = FlipLowestBit(signature, byteIndex: 0);
        var tamperedS = FlipLowestBit(signature, byteIndex: 63);
        Assert.NotEqual(signature, tamperedR);
        Assert.NotEqual(signature, tamperedS);
        Assert.False(Sm2.Verify(publicKey, "投标函 v1", tamperedR));
        Assert.False(Sm2.Verify(publicKey, "投标函 v1", tamperedS));
        Assert.False(Sm2.Verify(publicKey, "投标函 v1", "not hex"));
    }

    private static string FlipLowestBit(string signatureHex, int byteIndex)
    {
        var bytes = Convert.FromHexString(signatureHex);
        bytes[byteIndex] ^= 0x01;
        return Convert.ToHexStringLower(bytes);
    }

    [Fact]
    public void Sm2_KeyPair_IsInSmCryptosForm_AndThePublicKeyFollowsFromThePrivate()
    {
        var pair = Sm2.GenerateKeyPair();

        Assert.Equal(64, pair.PrivateKeyHex.Length);
        Assert.Equal(130, pair.PublicKeyHex.Length);
        Assert.StartsWith("04", pair.PublicKeyHex, StringComparison.Ordinal);
        Assert.True(Sm2.IsValidPublicKey(pair.PublicKeyHex));
        Assert.Equal(pair.PublicKeyHex, Sm2.PublicKeyOf(pair.PrivateKeyHex));
        Assert.False(Sm2.IsValidPublicKey("04" + new string('1', 128)));
        Assert.False(Sm2.IsValidPublicKey(pair.PublicKeyHex[2..]));
    }

    [Fact]
    public void Sm2_EncryptedContentKey_DecryptsWithTheKeyOnly_WithOrWithoutThe04Prefix()
    {
        var pair = Sm2.GenerateKeyPair();
        var other = Sm2.GenerateKeyPair();
        var contentKey = Sm4Cbc.NewKey();

        var wrapped = Sm2.Encrypt(pair.PublicKeyHex, contentKey);

        Assert.Equal(2 * (64 + 32 + 16), wrapped.Length);
        Assert.Equal(contentKey, Sm2.Decrypt(pair.PrivateKeyHex, wrapped));
        Assert.Equal(contentKey, Sm2.Decrypt(pair.PrivateKeyHex, "04" + wrapped));
        Assert.Throws<InvalidCipherTextException>(() => Sm2.Decrypt(other.PrivateKeyHex, wrapped));
    }

    [Fact]
    public void Sm4Cbc_RoundTrips_WithARandomIvPrefixAndPkcs7Padding()
    {
        var key = Sm4Cbc.NewKey();
        var plaintext = Encoding.UTF8.GetBytes("""{ "price": "1234567.89", "durationDays": 365, "quality": "合格", "remarks": "" }""");

        var first = Sm4Cbc.Encrypt(key, plaintext);
        var second = Sm4Cbc.Encrypt(key, plaintext);

        Assert.Equal(16 + (plaintext.Length / 16 + 1) * 16, first.Length);
        Assert.NotEqual(first[..16], second[..16]);
        Assert.Equal(plaintext, Sm4Cbc.Decrypt(key, first));
        Assert.Equal(plaintext, Sm4Cbc.Decrypt(key, second));
    }

    [Fact]
    public void Sm4Cbc_DecryptsTheStandardsExample()
    {
        // GM/T 0002-2012 appendix A.1: key = plaintext = 0123456789abcdeffedcba9876543210 encrypts to
        // 681edf34d206965e86b3e94f536e4246. With a zero IV that is the first CBC block; the second is the PKCS#7 block.
        var key = Convert.FromHexString("0123456789abcdeffedcba9876543210");
        var first = Convert.FromHexString("681edf34d206965e86b3e94f536e4246");
        var engine = new Org.BouncyCastle.Crypto.Engines.SM4Engine();
        engine.Init(true, new Org.BouncyCastle.Crypto.Parameters.KeyParameter(key));
        var padding = first.Select(b => (byte)(b ^ 0x10)).ToArray();
        var second = new byte[16];
        engine.ProcessBlock(padding, 0, second, 0);

        var plaintext = Sm4Cbc.Decrypt(key, [.. new byte[16], .. first, .. second]);

        Assert.Equal(key, plaintext);
    }

    [Fact]
    public async Task Sm4Cbc_StreamedDecryption_GivesThePlaintextAndItsSm3_AndAWrongKeyFails()
    {
        var key = Sm4Cbc.NewKey();
        var plaintext = new byte[300_001];
        Random.Shared.NextBytes(plaintext);
        var sealedBytes = Sm4Cbc.Encrypt(key, plaintext);
        using var output = new MemoryStream();

        var result = await Sm4Cbc.DecryptAsync(key, new MemoryStream(sealedBytes), output);

        Assert.Equal(plaintext, output.ToArray());
        Assert.Equal((Sm3Hex.Of(plaintext), (long)plaintext.Length), (result.Sm3, result.Length));
        await Assert.ThrowsAsync<InvalidCipherTextException>(() => Sm4Cbc.DecryptAsync(key, new MemoryStream(sealedBytes[..^1]), Stream.Null));

        // A wrong key fails the padding check, except about once in 256 keys, when the last block happens to decrypt
        // to valid padding: then the plaintext's SM3 gives it away (the opening compares it with the sealed one).
        try
        {
            var wrong = await Sm4Cbc.DecryptAsync(Sm4Cbc.NewKey(), new MemoryStream(sealedBytes), Stream.Null);
            Assert.NotEqual(Sm3Hex.Of(plaintext), wrong.Sm3);
        }
        catch (InvalidCipherTextException)
        {
        }
    }

    [Fact]
    public void Manifest_IsCanonicalText_AndTheSignatureCoversEveryField()
    {
        var pair = Sm2.GenerateKeyPair();
        var section = Guid.Parse("11111111-2222-3333-4444-555555555555");
        var entity = Guid.Parse("66666666-7777-8888-9999-000000000000");
        var manifest = new SealedBidManifest(section, entity, 2, "ABCDEF",
            [new ManifestItem("投标函.json", SealedBidItemKind.BidLetter, new string('a', 64), new string('b', 64), 90, 112)]);

        Assert.Equal(
            "tw-sealed-bid/1\nsection:11111111-2222-3333-4444-555555555555\nentity:66666666-7777-8888-9999-000000000000\nversion:2\nwrapped-key:abcdef\n" +
            $"item:bid-letter|{Convert.ToHexStringLower(Encoding.UTF8.GetBytes("投标函.json"))}|{new string('a', 64)}|{new string('b', 64)}|90|112\n",
            manifest.Canonical());
        var signature = Sm2.Sign(pair.PrivateKeyHex, manifest.Canonical());
        Assert.True(manifest.IsSignedBy(pair.PublicKeyHex, signature));
        Assert.False((manifest with { Version = 3 }).IsSignedBy(pair.PublicKeyHex, signature));
        Assert.False((manifest with { Items = [manifest.Items[0] with { CiphertextSize = 128 }] }).IsSignedBy(pair.PublicKeyHex, signature));
    }
}
