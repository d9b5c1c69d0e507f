// The server's side of opening sealed bids at scale (issue 12 §6): verify N bids' SM2 signatures over their
// canonical manifests and the SM3 digests of their ciphertext files read back from disk, as the opening does before it
// decrypts. Setup (not timed) makes N bids: a key pair each, an SM2-wrapped SM4 key, a ciphertext file of random
// bytes of the SM4-CBC length (what is timed, SM3 over the file and the SM2 signature check, does not depend on the
// bytes; the SM4 round trip itself is covered by the tests) and the bidder's signature over the manifest.
//   dotnet run -c Release --project tools/bench/Trading.Workflow.Bench.SealedBids -- [--bids 500] [--mb 20] [--parallel 2]
// --mb is each bid's file size; N × mb of temporary disk is used and deleted afterwards.
using System.Diagnostics;
using System.Globalization;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;

var bids = Argument("--bids", 500);
var megabytes = Argument("--mb", 20);
var parallel = Argument("--parallel", Environment.ProcessorCount);
var folder = Directory.CreateTempSubdirectory("tw-bench-sealed-").FullName;
Console.WriteLine($"Sealed bids: {bids} bids × {megabytes} MB ciphertext, verification with {parallel} thread(s), files in {folder}");
try
{
    var section = Guid.NewGuid();
    var plainLength = megabytes * 1024 * 1024 - 1;
    var plainSm3 = new string('0', 64);
    var cipher = new byte[Sm4Cbc.BlockBytes + (plainLength / Sm4Cbc.BlockBytes + 1) * Sm4Cbc.BlockBytes];
    var setup = Stopwatch.StartNew();
    var sealedBids = new (SealedBidManifest Manifest, string PublicKey, string Signature, string File)[bids];
    for (var i = 0; i < bids; i++)
    {
        // Every file differs, so no digest is served from a cache.
        var pair = Sm2.GenerateKeyPair();
        var key = Sm4Cbc.NewKey();
        Random.Shared.NextBytes(cipher);
        var file = Path.Combine(folder, $"{i:D4}.sm4");
        await File.WriteAllBytesAsync(file, cipher);
        var manifest = new SealedBidManifest(section, Guid.NewGuid(), 1, Sm2.Encrypt(pair.PublicKeyHex, key),
            [new ManifestItem("投标文件.pdf", SealedBidItemKind.Document, plainSm3, Sm3Hex.Of(cipher), plainLength, cipher.Length)]);
        sealedBids[i] = (manifest, pair.PublicKeyHex, Sm2.Sign(pair.PrivateKeyHex, manifest.Canonical()), file);
    }

    Console.WriteLine($"setup (make {bids} bids, not timed): {setup.Elapsed.TotalSeconds:0.0} s");

    var failures = 0;
    var timer = Stopwatch.StartNew();
    await Parallel.ForEachAsync(sealedBids, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (bid, ct) =>
    {
        await using var stream = new FileStream(bid.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        var digest = await Sm3Hex.OfAsync(stream, ct);
        var ok = digest == bid.Manifest.Items[0].CiphertextSm3 && stream.Length == bid.Manifest.Items[0].CiphertextSize
            && bid.Manifest.IsSignedBy(bid.PublicKey, bid.Signature);
        if (!ok)
        {
            Interlocked.Increment(ref failures);
        }
    });
    timer.Stop();

    var signatures = Stopwatch.StartNew();
    foreach (var bid in sealedBids)
    {
        bid.Manifest.IsSignedBy(bid.PublicKey, bid.Signature);
    }

    signatures.Stop();
    var total = (double)bids * megabytes;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"verify {bids} signatures + SM3 of {total:0} MB ciphertext: {timer.Elapsed.TotalSeconds:0.00} s ({total / timer.Elapsed.TotalSeconds:0} MB/s, {timer.Elapsed.TotalMilliseconds / bids:0.0} ms per bid), failures {failures}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"of which SM2 signatures alone (one thread): {signatures.Elapsed.TotalSeconds:0.00} s ({signatures.Elapsed.TotalMilliseconds / bids:0.00} ms each)"));
    return failures == 0 ? 0 : 1;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

int Argument(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
