using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Engine.Persistence;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Web.Bids;
using Trading.Workflow.Web.Components.Pages.Bids;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Bids;

/// <summary>
/// The sealed-bid page of a section on a real SQLite database: the countdown by the server's clock, the key a bid needs,
/// the bid letter form and its validation, a submission keeping the client address, and a closed section after the deadline.
/// </summary>
public sealed class SectionBidPageTests : PlatformComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
    private static readonly Guid Entity = Guid.NewGuid();
    private static readonly Guid Section = Guid.NewGuid();
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-bid-page-").FullName;
    private readonly ServiceProvider _database;
    private readonly Rows _rows;

    public SectionBidPageTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<TimeProvider>(new Clock(Now));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.Sqlite;
            o.ConnectionString = $"Data Source={Path.Combine(_folder, "trading.db")};Pooling=False";
        });
        services.AddTradingKernel();
        services.AddSingleton(new DocumentStorage(Path.Combine(_folder, "files")));
        _database = services.BuildServiceProvider();
        _database.GetRequiredService<WorkflowDatabase>().UpgradeSchemaAsync().GetAwaiter().GetResult();
        _database.GetRequiredService<TradingSchema>().UpgradeAsync().GetAwaiter().GetResult();

        _rows = new Rows(_database.GetRequiredService<ITradingDatabase>());
        Services.AddSingleton<TimeProvider>(new Clock(Now));
        Services.AddSingleton<BidQueries>(_rows);
        Services.AddSingleton(_database.GetRequiredService<SealedBidService>());
        Services.AddSingleton(_database.GetRequiredService<DepositService>());
        Services.AddSingleton<IEntityMembership>(new OneEntityMembership(Entity, "甲建设集团有限公司"));
        Services.AddScoped<BidderAccess>();
        var user = SignIn("bidder", PlatformRoles.Bidder);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
    }

    [Fact]
    public void Page_CountsDownByTheServerClock_AndAsksForAKeyFirst()
    {
        _rows.Deadline = Now + new TimeSpan(3, 2, 0, 5);

        var page = Render<SectionBid>(p => p.Add(x => x.SectionId, Section));

        page.WaitForAssertion(() => Assert.Equal("3天 02:00:05", page.Find("[data-testid=countdown]").TextContent.Trim()));
        Assert.Contains("施工一标段", page.Markup, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=bid-no-key]"));
        Assert.Empty(page.FindAll("[data-testid=submit-bid]"));
    }

    [Fact]
    public async Task Page_WithAKey_ShowsTheBidLetterForm_AndValidatesThePriceAsTheUserTypes()
    {
        _rows.Deadline = Now.AddDays(20);
        await _database.GetRequiredService<SealedBidService>().RegisterKeyAsync(Entity, Sm2.GenerateKeyPair().PublicKeyHex, "bidder");

        var page = Render<SectionBid>(p => p.Add(x => x.SectionId, Section));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=submit-bid]")));
        page.FindAll("input[data-testid=price], [data-testid=price] input")[0].Input("12.345");

        page.WaitForAssertion(() => Assert.Contains("最多两位小数", page.Markup, StringComparison.Ordinal));
        Assert.NotNull(page.Find("[data-testid=key-file]"));
        Assert.NotNull(page.Find("[data-testid=bid-files]"));
        Assert.NotNull(page.Find("[data-testid=no-versions]"));
    }

    [Fact]
    public async Task Page_AfterTheDeadline_TakesNoBid()
    {
        _rows.Deadline = Now.AddSeconds(-1);
        await _database.GetRequiredService<SealedBidService>().RegisterKeyAsync(Entity, Sm2.GenerateKeyPair().PublicKeyHex, "bidder");

        var page = Render<SectionBid>(p => p.Add(x => x.SectionId, Section));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=bid-closed]")));
        Assert.NotNull(page.Find("[data-testid=deadline-closed]"));
        Assert.Empty(page.FindAll("[data-testid=submit-bid]"));
        Assert.Empty(page.FindAll("[data-testid=withdraw]"));
    }

    [Fact]
    public async Task Submit_RecordsTheClientAddressTheCircuitStartedFrom()
    {
        _rows.Deadline = Now.AddDays(20);
        var keys = Sm2.GenerateKeyPair();
        var bids = _database.GetRequiredService<SealedBidService>();
        await bids.RegisterKeyAsync(Entity, keys.PublicKeyHex, "bidder");
        var projectId = Guid.NewGuid();
        await using (var db = _database.GetRequiredService<ITradingDatabase>().Create())
        {
            db.Add(new SealedBidWindow(Section, projectId, Now.AddDays(20), Now, "tenderee"));
            db.Add(new Participation(Guid.NewGuid(), Section, projectId, Entity, "甲建设集团有限公司", ParticipationOrigin.DocumentsDownloaded, Now, "bidder"));
            await db.SaveChangesAsync();
        }

        // What the browser's module would return: the bid sealed, uploaded and signed with the bidder's key.
        var form = await SealedFormAsync(keys, projectId);
        var module = JSInterop.SetupModule("./dist/sealed-bid.js");
        module.Setup<SealedBidForm>("sealAndUpload", _ => true).SetResult(form);
        module.SetupVoid("forgetPending", _ => true).SetVoidResult();
        RenderProviders();

        var page = Render<SectionBid>(p => p.Add(x => x.SectionId, Section).AddCascadingValue(Trading.Workflow.Web.Security.ClientAddress.CascadeName, "203.0.113.7"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=submit-bid]")));
        page.FindAll("input[data-testid=price], [data-testid=price] input")[0].Input("1234567.89");
        page.FindAll("input[data-testid=passphrase], [data-testid=passphrase] input")[0].Input("Demo@2026");
        // A browser validates the form as the user types; bUnit's input events leave that to an explicit pass.
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudForm>().Instance.ValidateAsync());
        await page.Find("[data-testid=submit-bid]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=bid-receipt]")));
        var version = Assert.Single(await bids.ListVersionsAsync(Section, Entity));
        Assert.Equal("203.0.113.7", version.ClientAddress);
        // The digest stands in an element that breaks it anywhere: one 64-character word widened the page on a phone.
        Assert.Contains("tw-hash", page.Find("[data-testid=bid-receipt-digest]").ClassList);
        Assert.Equal(64, page.Find("[data-testid=bid-receipt-digest]").TextContent.Trim().Length);
        // The passphrase is emptied after a success; that is no mistake of the bidder's to mark as required.
        Assert.Empty(page.FindAll(".mud-input-error"));
    }

    private async Task<SealedBidForm> SealedFormAsync(Sm2KeyPair keys, Guid projectId)
    {
        var documents = _database.GetRequiredService<DocumentService>();
        var actor = new DocumentActor("bidder", [PlatformRoles.Bidder], null);
        var contentKey = Sm4Cbc.NewKey();
        var wrapped = Sm2.Encrypt(keys.PublicKeyHex, contentKey);
        var items = new List<SealedBidSubmissionItem>();
        foreach (var (name, kind, plain) in new[]
                 {
                     ("投标函.json", SealedBidItemKind.BidLetter, System.Text.Encoding.UTF8.GetBytes("""{"price":"1234567.89","durationDays":365,"quality":"合格","remarks":""}""")),
                     ("技术标.pdf", SealedBidItemKind.Document, System.Text.Encoding.UTF8.GetBytes("%PDF-1.7 " + new string('x', 3000))),
                 })
        {
            var cipher = Sm4Cbc.Encrypt(contentKey, plain);
            var upload = await documents.StartChunkedAsync(name + ".sm4", cipher.Length, new DocumentScope(null, projectId, Section), actor, sealedCiphertext: true);
            var (_, stored) = await documents.AppendChunkAsync(upload.Id, 0, new MemoryStream(cipher), actor);
            items.Add(new SealedBidSubmissionItem(name, kind, stored!.Id, Sm3Hex.Of(plain), Sm3Hex.Of(cipher), plain.Length, cipher.Length));
        }

        var unsigned = new SealedBidSubmission(Section, Entity, 1, wrapped, string.Empty, items);
        var signature = Sm2.Sign(keys.PrivateKeyHex, unsigned.Manifest().Canonical());
        return new SealedBidForm(Section, Entity, 1, wrapped, signature,
            [.. items.Select(i => new SealedBidFormItem(i.Name, i.Kind.ToString(), i.CiphertextDocumentId, i.PlaintextSm3, i.CiphertextSm3, i.PlaintextSize, i.CiphertextSize))]);
    }

    [Fact]
    public void Page_ForASectionTheUserTakesNoPartIn_SaysSo()
    {
        var page = Render<SectionBid>(p => p.Add(x => x.SectionId, Guid.NewGuid()));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=bid-not-found]")));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The section the test's bidder takes part in (the projects part is not under test here).</summary>
    private sealed class Rows(ITradingDatabase database) : BidQueries(database)
    {
        public DateTimeOffset? Deadline { get; set; }

        public override Task<IReadOnlyList<BidRow>> RowsAsync(IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<BidRow>>(entityIds.Contains(Entity)
                ? [new BidRow(Section, Guid.NewGuid(), "DEMO-CITY-GC-2026-00001-01", "施工一标段", "城市道路改造工程", Entity, "甲建设集团有限公司",
                    ParticipationState.Active, Deadline, null, null)]
                : []);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
