using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;

namespace Trading.Workflow.Domain.Tests.SealedBids;

/// <summary>
/// The browser's sealing code (ClientApp <c>src/sealed-bid/core.js</c> on npm sm-crypto 0.5.8), run in node, against
/// BouncyCastle here: what the browser seals and signs the server verifies and — with the bidder's key, as at the
/// opening — decrypts; what this side seals and signs sm-crypto verifies and decrypts. The canonical manifest is the
/// same text on both sides.
/// </summary>
public sealed class SmCryptoInteropTests
{
    private static readonly Guid Section = Guid.Parse("0d6c1f5e-8a4b-4c3e-9f21-7b5a2c1d0e9f");
    private static readonly Guid Entity = Guid.Parse("5e2f7a10-3b4c-4d5e-8f90-a1b2c3d4e5f6");

    [Fact]
    public async Task BrowserSealedAndSignedBid_VerifiesAndDecryptsWithBouncyCastle()
    {
        var result = await RunNodeAsync("""
            const pair = c.createKeyPair();
            const doc = new Uint8Array(100003); for (let i = 0; i < doc.length; i += 65536) globalThis.crypto.getRandomValues(doc.subarray(i, i + 65536));
            const files = [
              { name: '投标函.json', kind: 'BidLetter', bytes: c.bidLetter({ price: '1234567.89', durationDays: 365, quality: '合格', remarks: '无' }) },
              { name: '技术标 (第1册).pdf', kind: 'Document', bytes: doc },
            ];
            const sealed = c.sealFiles(files, pair.publicKey);
            const items = sealed.items.map(i => ({ name: i.name, kind: i.kind, plaintextSm3: i.plaintextSm3, ciphertextSm3: i.ciphertextSm3,
              plaintextSize: i.plaintextSize, ciphertextSize: i.ciphertextSize, ciphertext: c.toHex(i.ciphertext) }));
            const manifest = { sectionId: input.section, entityId: input.entity, version: 1, wrappedKey: sealed.wrappedKey, items };
            const text = c.manifestText(manifest);
            out({ pair, manifest, text, signature: c.sign(text, pair.privateKey, pair.publicKey),
              plain: files.map(f => c.toHex(f.bytes)), keyFile: await c.protectKey(pair, 'Demo@2026', 'interop') });
            """, new { section = Section, entity = Entity });

        var publicKey = result["pair"]!["publicKey"]!.GetValue<string>();
        var privateKey = result["pair"]!["privateKey"]!.GetValue<string>();
        var manifestNode = result["manifest"]!;
        var items = manifestNode["items"]!.AsArray().Select(i => new ManifestItem(
            i!["name"]!.GetValue<string>(), Enum.Parse<SealedBidItemKind>(i["kind"]!.GetValue<string>()), i["plaintextSm3"]!.GetValue<string>(),
            i["ciphertextSm3"]!.GetValue<string>(), i["plaintextSize"]!.GetValue<long>(), i["ciphertextSize"]!.GetValue<long>())).ToList();
        var manifest = new SealedBidManifest(Section, Entity, 1, manifestNode["wrappedKey"]!.GetValue<string>(), items);

        Assert.True(Sm2.IsValidPublicKey(publicKey));
        Assert.Equal(result["text"]!.GetValue<string>(), manifest.Canonical());
        Assert.True(manifest.IsSignedBy(publicKey, result["signature"]!.GetValue<string>()));
        Assert.False((manifest with { Version = 2 }).IsSignedBy(publicKey, result["signature"]!.GetValue<string>()));
        var contentKey = Sm2.Decrypt(privateKey, manifest.WrappedKeyHex);
        var plains = result["plain"]!.AsArray().Select(p => Convert.FromHexString(p!.GetValue<string>())).ToList();
        for (var i = 0; i < items.Count; i++)
        {
            var ciphertext = Convert.FromHexString(manifestNode["items"]![i]!["ciphertext"]!.GetValue<string>());
            Assert.Equal(items[i].CiphertextSm3, Sm3Hex.Of(ciphertext));
            Assert.Equal(items[i].CiphertextSize, ciphertext.Length);
            using var plain = new MemoryStream();
            var opened = await Sm4Cbc.DecryptAsync(contentKey, new MemoryStream(ciphertext), plain);
            Assert.Equal(plains[i], plain.ToArray());
            Assert.Equal((items[i].PlaintextSm3, items[i].PlaintextSize), (opened.Sm3, opened.Length));
        }

        var letter = JsonNode.Parse(Sm4Cbc.Decrypt(contentKey, Convert.FromHexString(manifestNode["items"]![0]!["ciphertext"]!.GetValue<string>())))!;
        Assert.Equal(("1234567.89", 365, "合格"), (letter["price"]!.GetValue<string>(), letter["durationDays"]!.GetValue<int>(), letter["quality"]!.GetValue<string>()));
        var keyFile = JsonNode.Parse(result["keyFile"]!.GetValue<string>())!;
        Assert.Equal((publicKey, Sm2.Fingerprint(publicKey)), (keyFile["publicKey"]!.GetValue<string>(), keyFile["fingerprint"]!.GetValue<string>()));
        Assert.DoesNotContain(privateKey, result["keyFile"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BouncyCastleSealedAndSignedBid_VerifiesAndDecryptsWithSmCrypto()
    {
        var pair = Sm2.GenerateKeyPair();
        var contentKey = Sm4Cbc.NewKey();
        var plain = new byte[2 * 1024 * 1024 + 7];
        Random.Shared.NextBytes(plain);
        var ciphertext = Sm4Cbc.Encrypt(contentKey, plain);
        var manifest = new SealedBidManifest(Section, Entity, 3, Sm2.Encrypt(pair.PublicKeyHex, contentKey),
            [new ManifestItem("工程量清单.xlsx", SealedBidItemKind.BillOfQuantities, Sm3Hex.Of(plain), Sm3Hex.Of(ciphertext), plain.Length, ciphertext.Length)]);
        var signature = Sm2.Sign(pair.PrivateKeyHex, manifest.Canonical());

        var result = await RunNodeAsync("""
            const m = input.manifest;
            const text = c.manifestText(m);
            const key = c.unwrapKey(m.wrappedKey, input.privateKey);
            const keyWith04 = c.unwrapKey('04' + m.wrappedKey, input.privateKey);
            const plain = c.decryptFile(key, c.fromHex(input.ciphertext));
            let wrongKeyFails = false;
            try { wrongKeyFails = c.sm3Hex(c.decryptFile(new Uint8Array(16), c.fromHex(input.ciphertext))) !== c.sm3Hex(plain); } catch { wrongKeyFails = true; }
            out({ text, verified: c.verify(text, input.signature, input.publicKey), forgedVerified: c.verify(text.replace('version:3', 'version:4'), input.signature, input.publicKey),
              key: c.toHex(key), keyWith04: c.toHex(keyWith04), plainSm3: c.sm3Hex(plain), plainSize: plain.length, wrongKeyFails });
            """, new
        {
            privateKey = pair.PrivateKeyHex,
            publicKey = pair.PublicKeyHex,
            signature,
            ciphertext = Convert.ToHexStringLower(ciphertext),
            manifest = new
            {
                sectionId = Section,
                entityId = Entity,
                version = 3,
                wrappedKey = manifest.WrappedKeyHex,
                items = manifest.Items.Select(i => new { name = i.Name, kind = i.Kind.ToString(), plaintextSm3 = i.PlaintextSm3, ciphertextSm3 = i.CiphertextSm3, plaintextSize = i.PlaintextSize, ciphertextSize = i.CiphertextSize }),
            },
        });

        Assert.Equal(manifest.Canonical(), result["text"]!.GetValue<string>());
        Assert.True(result["verified"]!.GetValue<bool>());
        Assert.False(result["forgedVerified"]!.GetValue<bool>());
        Assert.Equal(Convert.ToHexStringLower(contentKey), result["key"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(contentKey), result["keyWith04"]!.GetValue<string>());
        Assert.Equal((Sm3Hex.Of(plain), plain.Length), (result["plainSm3"]!.GetValue<string>(), result["plainSize"]!.GetValue<int>()));
        Assert.True(result["wrongKeyFails"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ServerMadeDemoKeyFile_UnlocksInTheBrowserModule_OnlyWithItsPassphrase()
    {
        var pair = Sm2.GenerateKeyPair();
        var file = BidderKeyFile.Create(pair, "Demo@2026", "演示投标人（演示密钥）");

        var result = await RunNodeAsync("""
            const unlocked = await c.unlockKey(input.file, 'Demo@2026');
            let wrong = '';
            try { await c.unlockKey(input.file, 'Demo@2027'); } catch (e) { wrong = e.message; }
            out({ privateKey: unlocked.privateKey, publicKey: unlocked.publicKey, wrong });
            """, new { file });

        Assert.Equal((pair.PrivateKeyHex, pair.PublicKeyHex), (result["privateKey"]!.GetValue<string>(), result["publicKey"]!.GetValue<string>()));
        Assert.Equal("passphrase-wrong", result["wrong"]!.GetValue<string>());
    }

    private static Task<JsonNode> RunNodeAsync(string body, object input) => SealedBidNode.RunAsync(body, input);
}
