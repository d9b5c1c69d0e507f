// Opening benchmark (issue 12 §6): the server's side of opening N sealed bids on a real SQLite file, with real
// SM2/SM3/SM4 (BouncyCastle) and real ciphertext files.
//   - each bid: a bid letter and one document, SM4-CBC under its own content key, a manifest signed with its
//     bidder's own SM2 key (as the browser does);
//   - decryption: OpeningService.DecryptAsync per bid (manifest signature check, streamed SM4 decryption, SM3 of
//     ciphertext and plaintext against the manifest, plaintext kept, bid Opened, trail) — what the server does as
//     each bidder posts its content key during the window;
//   - after the last decryption: OpeningService.CloseAsync (record built from the decrypted letters, SM3, SM2
//     signature by the platform, notice published, trail) — the part that must be ready within a minute;
//   - and, separately, re-verifying every bid's signature and digests at once (what a close that re-checked
//     everything would cost).
// Usage: dotnet run -c Release -- [--bids 500] [--document-kb 64] [--large 10] [--large-mb 20]
// The --large bids carry a document of --large-mb MB; the others one of --document-kb KB. Output: one line per
// measure, and an extrapolation to every bid at --large-mb.
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;

var bids = Arg("--bids", 500);
var documentKb = Arg("--document-kb", 64);
var large = Arg("--large", 10);
var largeMb = Arg("--large-mb", 20);

var folder = Path.Combine(Path.GetTempPath(), "tw-bench-opening-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
var files = Path.Combine(folder, "files");
var clock = new BenchClock(new DateTimeOffset(2026, 12, 2, 1, 30, 0, TimeSpan.Zero).AddDays(-1));
var services = new ServiceCollection();
services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
services.AddSingleton<TimeProvider>(clock);
services.AddWorkflowPersistence(o =>
{
    o.Provider = DatabaseProvider.Sqlite;
    o.ConnectionString = $"Data Source={Path.Combine(folder, "trading.db")};Pooling=True";
});
services.AddTradingKernel();
services.AddSingleton(new DocumentStorage(files));
var box = new BenchBox();
services.AddSingleton<ISealedBidBox>(box);
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync();
await provider.GetRequiredService<TradingSchema>().UpgradeAsync();
var database = provider.GetRequiredService<ITradingDatabase>();
var openings = provider.GetRequiredService<OpeningService>();
await openings.PlatformKeyAsync();

var project = Project.Register("530100-GC-2026-00099", Guid.NewGuid(), TradeTypes.EngineeringConstruction,
    new ProjectDetails(TradeMethods.OpenTender, "开标性能测试工程（演示数据）", new PartyRef(Guid.NewGuid(), "演示市第一中学"), null, null, true, "530102", "房屋建筑"),
    [new SectionDraft("施工", 80_000_000m)], "tenderee", clock.GetUtcNow());
await using (var db = database.Create())
{
    db.Add(project);
    await db.SaveChangesAsync();
}

var section = project.Sections[0];
Console.WriteLine($"opening bench: {bids} bids on SQLite ({folder}); {large} with a {largeMb} MB document, the others {documentKb} KB; {Environment.ProcessorCount} cores");

// ---- sealing (the bidders' side, not measured as server work)
var sealing = Stopwatch.StartNew();
var keys = new Dictionary<Guid, string>();
var smallDocument = RandomNumberGenerator.GetBytes(documentKb * 1024);
for (var i = 0; i < bids; i++)
{
    var pair = Sm2.GenerateKeyPair();
    var contentKey = Sm4Cbc.NewKey();
    var entityId = Guid.NewGuid();
    var letter = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"price":"{{79_000_000m - i * 1000.5m:F2}}","durationDays":{{300 + i % 60}},"quality":"合格","remarks":""}"""));
    var document = i < large ? RandomNumberGenerator.GetBytes(largeMb * 1024 * 1024) : smallDocument;
    var manifestItems = new List<ManifestItem>();
    var items = new List<SealedBidItemView>();
    await using (var db = database.Create())
    {
        foreach (var (name, kind, plain) in new[] { ("投标函.json", SealedBidItemKind.BidLetter, letter), ("技术标.pdf", SealedBidItemKind.Document, document) })
        {
            var cipher = Sm4Cbc.Encrypt(contentKey, plain);
            var sha = Convert.ToHexStringLower(SHA256.HashData(cipher));
            var path = Path.Combine(files, sha[..2], sha[2..4], sha);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, cipher);
            var stored = new Document(Guid.NewGuid(), new StoredFile(sha, Sm3Hex.Of(cipher), cipher.Length, FileKind.Unknown, "application/octet-stream", name + ".sm4"),
                "bidder", clock.GetUtcNow(), project.CentreId, project.Id, section.Id);
            db.Add(stored);
            manifestItems.Add(new ManifestItem(name, kind, Sm3Hex.Of(plain), Sm3Hex.Of(cipher), plain.Length, cipher.Length));
            items.Add(new SealedBidItemView(name, kind.ToString(), stored.Id, Sm3Hex.Of(cipher), Sm3Hex.Of(plain), plain.Length));
        }

        await db.SaveChangesAsync();
    }

    var wrapped = Sm2.Encrypt(pair.PublicKeyHex, contentKey);
    var manifest = new SealedBidManifest(section.Id, entityId, 1, wrapped, manifestItems);
    var view = new SealedBidView(Guid.NewGuid(), Guid.NewGuid(), project.Id, section.Id, entityId, $"投标人{i + 1:000}（演示数据）", 1, clock.GetUtcNow().AddSeconds(i), items, wrapped);
    box.Add(view, manifest, Sm2.Sign(pair.PrivateKeyHex, manifest.Canonical()), pair.PublicKeyHex);
    keys[entityId] = Convert.ToHexString(contentKey);
}

Console.WriteLine($"sealed {bids} bids in {sealing.Elapsed.TotalSeconds:F1} s (bidders' side: SM2 keys, SM4, signatures)");

// ---- the deadline: openingStart
clock.Advance(TimeSpan.FromDays(1));
OpeningSession session;
var watch = Stopwatch.StartNew();
await using (var db = database.Create())
await using (var tx = await db.Database.BeginTransactionAsync())
{
    session = await openings.StartAsync(db, section.Id, clock.GetUtcNow(), null, default);
    await db.SaveChangesAsync();
    await tx.CommitAsync();
}

Console.WriteLine($"openingStart: {session.BidCount} bids counted in {watch.ElapsedMilliseconds} ms");

// ---- decryption, one bid at a time as bidders post their keys
var smallTimes = new List<double>();
var largeTimes = new List<double>();
var index = 0;
foreach (var view in box.Views)
{
    var one = Stopwatch.StartNew();
    var outcome = await openings.DecryptAsync(new DecryptionRequest(session.Id, view.EntityId, "bidder", keys[view.EntityId]));
    (index++ < large ? largeTimes : smallTimes).Add(one.Elapsed.TotalMilliseconds);
    if (outcome.State != OpeningBidState.Decrypted)
    {
        throw new InvalidOperationException($"bid {view.BidId} was not opened: {outcome.Cause}");
    }
}

Console.WriteLine($"decrypt+verify, {large} bids of {largeMb} MB: mean {Mean(largeTimes):F0} ms, max {Max(largeTimes):F0} ms ({largeMb / (Mean(largeTimes) / 1000):F1} MB/s)");
Console.WriteLine($"decrypt+verify, {bids - large} bids of {documentKb} KB: mean {Mean(smallTimes):F1} ms, total {smallTimes.Sum() / 1000:F1} s");

// ---- after the last decryption: re-verify every signature and digest, then close (record, signature, notice)
watch.Restart();
var verified = 0;
foreach (var view in box.Views)
{
    verified += box.Verify(view.BidId) ? 1 : 0;
}

var verifyMs = watch.Elapsed.TotalMilliseconds;
Console.WriteLine($"re-verify {verified}/{bids} manifest signatures (SM2) and digests: {verifyMs:F0} ms");

clock.Advance(TimeSpan.FromMinutes(31));
watch.Restart();
OpeningRecord record;
await using (var db = database.Create())
await using (var tx = await db.Database.BeginTransactionAsync())
{
    var tracked = await db.Set<OpeningSession>().SingleAsync(s => s.Id == session.Id);
    record = await openings.CloseAsync(db, tracked, OpeningActors.Platform, default);
    await db.SaveChangesAsync();
    await tx.CommitAsync();
}

var closeMs = watch.Elapsed.TotalMilliseconds;
Console.WriteLine($"openingClose: record of {record.Content.Entries.Count} letters built, SM3, SM2-signed, published as notice, in {closeMs:F0} ms (record {record.ContentJson.Length / 1024} KB, verifies: {record.Verify()})");
Console.WriteLine($"after the last decryption: {verifyMs + closeMs:F0} ms in all (limit 60000 ms)");
var perLargeBid = Mean(largeTimes);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"extrapolated, all {bids} bids at {largeMb} MB: decryption work {perLargeBid * bids / 1000:F0} s of one core spread over the window as bidders post; " +
    $"{perLargeBid / 1000:F2} s for the last bidder's own decryption; plus {(verifyMs + closeMs) / 1000:F1} s to re-verify and close"));

try
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}
catch (IOException)
{
}

int Arg(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Mean(List<double> values) => values.Count == 0 ? 0 : values.Average();

static double Max(List<double> values) => values.Count == 0 ? 0 : values.Max();

/// <summary>The sealed bids of the bench: real manifests signed with real bidder keys, checked with real SM2.</summary>
internal sealed class BenchBox : ISealedBidBox
{
    private readonly Dictionary<Guid, (SealedBidView View, SealedBidManifest Manifest, string Signature, string PublicKey)> _bids = [];
    private readonly List<SealedBidView> _order = [];

    public IReadOnlyList<SealedBidView> Views => _order;

    public void Add(SealedBidView view, SealedBidManifest manifest, string signature, string publicKey)
    {
        _bids[view.BidId] = (view, manifest, signature, publicKey);
        _order.Add(view);
    }

    public bool Verify(Guid bidId)
    {
        var (view, manifest, signature, key) = _bids[bidId];
        return manifest.IsSignedBy(key, signature)
               && view.Items.Zip(manifest.Items).All(p => p.First.PlaintextSm3 == p.Second.PlaintextSm3 && p.First.CiphertextSm3 == p.Second.CiphertextSm3);
    }

    public Task<IReadOnlyList<SealedBidView>> SubmittedAsync(TradingDbContext db, Guid sectionId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SealedBidView>>(_order);

    public Task<SealedBidView?> FindAsync(TradingDbContext db, Guid bidId, CancellationToken cancellationToken) =>
        Task.FromResult<SealedBidView?>(_bids[bidId].View);

    public Task<bool> VerifySignatureAsync(TradingDbContext db, Guid bidId, CancellationToken cancellationToken) =>
        Task.FromResult(_bids[bidId].Manifest.IsSignedBy(_bids[bidId].PublicKey, _bids[bidId].Signature));

    public Task MarkOpenedAsync(TradingDbContext db, Guid bidId, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task MarkDecryptFailedAsync(TradingDbContext db, Guid bidId, string cause, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class BenchClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
