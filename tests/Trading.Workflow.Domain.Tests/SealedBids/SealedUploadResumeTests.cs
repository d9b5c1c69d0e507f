using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;

namespace Trading.Workflow.Domain.Tests.SealedBids;

/// <summary>
/// The bid page's upload of sealed ciphertext (ClientApp <c>src/sealed-bid/browser.js</c>) run in node against a server
/// speaking the documents' chunk protocol (POST /api/documents/uploads, PUT ?offset=N answering 409 with where it stands
/// for a stale offset, GET for the state): a connection that drops mid-file — first losing the answer to a chunk the
/// server kept, then staying down longer than the retries — is continued where the server stands when the bidder
/// submits again, without sealing anew or sending the file from the start; what arrives decrypts with BouncyCastle.
/// </summary>
public sealed class SealedUploadResumeTests
{
    private static readonly Guid Section = Guid.Parse("0d6c1f5e-8a4b-4c3e-9f21-7b5a2c1d0e9f");
    private static readonly Guid Entity = Guid.Parse("5e2f7a10-3b4c-4d5e-8f90-a1b2c3d4e5f6");

    [Fact]
    public async Task DroppedConnection_SubmittingAgain_ContinuesTheSameUploadsWhereTheServerStands()
    {
        var result = await RunNodeAsync("""
            b.setRetryDelay(1);
            const pair = c.createKeyPair();
            const keyFile = await c.protectKey(pair, 'Demo@2026', 'resume');
            const doc = new Uint8Array(300001); for (let i = 0; i < doc.length; i += 65536) globalThis.crypto.getRandomValues(doc.subarray(i, i + 65536));
            // The server: uploads by id, the bytes received in order; the network can lose an answer or go down.
            const uploads = new Map(); let next = 0; let posts = 0; let putBytes = 0; let down = false; let loseAnswerAfterPuts = 3; let puts = 0;
            globalThis.fetch = async (url, init) => {
              if (down) throw new TypeError('fetch failed');
              const u = new URL(url, 'http://platform');
              const json = (status, body) => ({ status, json: async () => body });
              if (u.pathname === '/api/documents/settings') return json(200, { chunkBytes: 65536 });
              if (init.method === 'POST' && u.pathname === '/api/documents/uploads') {
                posts++; const id = 'u' + (++next); const body = JSON.parse(init.body);
                uploads.set(id, { total: body.totalBytes, name: body.fileName, bytes: [] });
                return json(201, { id });
              }
              const id = u.pathname.split('/').pop(); const up = uploads.get(id);
              if (init.method === 'GET') return json(200, { receivedBytes: up.bytes.length });
              const offset = Number(u.searchParams.get('offset'));
              if (offset !== up.bytes.length) return json(409, { receivedBytes: up.bytes.length });
              for (const x of init.body) up.bytes.push(x);
              putBytes += init.body.length; puts++;
              const done = up.bytes.length >= up.total;
              if (puts === loseAnswerAfterPuts) { down = true; throw new TypeError('fetch failed'); } // kept, answer lost, then down
              return json(200, { receivedBytes: up.bytes.length, document: done ? { id: '00000000-0000-0000-0000-00000000000' + id.slice(1) } : null });
            };
            const dotnet = { invokeMethodAsync: async () => {} };
            const keyInput = { files: [{ text: async () => keyFile }] };
            const filesInput = { files: [{ name: '技术标.pdf', size: doc.length, lastModified: 1, arrayBuffer: async () => doc.buffer }] };
            const options = { passphrase: 'Demo@2026', publicKey: pair.publicKey, sectionId: input.section, entityId: input.entity, projectId: input.section,
              version: 1, letter: { price: '1234567.89', durationDays: 365, quality: '合格', remarks: '' }, billOfQuantities: [], failedText: 'failed',
              texts: { noKeyFile: 'k', passphraseWrong: 'p', keyFileInvalid: 'i', keyMismatch: 'm' } };
            let firstError = null;
            try { await b.sealAndUpload(dotnet, keyInput, filesInput, options); } catch (e) { firstError = e.message; }
            const atDrop = [...uploads.values()].map(u => u.bytes.length);
            const bytesBeforeResume = putBytes;
            down = false;
            const submission = await b.sealAndUpload(dotnet, keyInput, filesInput, options);
            out({ firstError, posts, atDrop, resentBytes: putBytes - bytesBeforeResume, pair, submission,
              received: [...uploads.values()].map(u => c.toHex(Uint8Array.from(u.bytes))), plain: c.toHex(doc) });
            """, new { section = Section, entity = Entity });

        Assert.Equal("network", result["firstError"]!.GetValue<string>());
        // One upload per file (the bid letter and the document): the second submission started none.
        Assert.Equal(2, result["posts"]!.GetValue<int>());
        var items = result["submission"]!["items"]!.AsArray();
        var received = result["received"]!.AsArray().Select(r => Convert.FromHexString(r!.GetValue<string>())).ToList();
        var documentSize = items[1]!["ciphertextSize"]!.GetValue<long>();
        var keptAtDrop = result["atDrop"]!.AsArray()[1]!.GetValue<int>();
        Assert.InRange(keptAtDrop, 1, documentSize - 1);
        // Only what the server did not have was sent again.
        Assert.Equal(documentSize - keptAtDrop, result["resentBytes"]!.GetValue<long>());

        var privateKey = result["pair"]!["privateKey"]!.GetValue<string>();
        var publicKey = result["pair"]!["publicKey"]!.GetValue<string>();
        var submission = result["submission"]!;
        var manifest = new SealedBidManifest(Section, Entity, 1, submission["wrappedKey"]!.GetValue<string>(),
            [.. items.Select(i => new ManifestItem(i!["name"]!.GetValue<string>(), Enum.Parse<SealedBidItemKind>(i["kind"]!.GetValue<string>()),
                i["plaintextSm3"]!.GetValue<string>(), i["ciphertextSm3"]!.GetValue<string>(), i["plaintextSize"]!.GetValue<long>(), i["ciphertextSize"]!.GetValue<long>()))]);
        Assert.True(manifest.IsSignedBy(publicKey, submission["signature"]!.GetValue<string>()));
        var contentKey = Sm2.Decrypt(privateKey, manifest.WrappedKeyHex);
        for (var i = 0; i < received.Count; i++)
        {
            Assert.Equal(manifest.Items[i].CiphertextSm3, Sm3Hex.Of(received[i]));
        }

        using var plain = new MemoryStream();
        await Sm4Cbc.DecryptAsync(contentKey, new MemoryStream(received[1]), plain);
        Assert.Equal(Convert.FromHexString(result["plain"]!.GetValue<string>()), plain.ToArray());
    }

    private static Task<JsonNode> RunNodeAsync(string body, object input) => SealedBidNode.RunAsync(body, input);
}
