using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Tests.Deposits;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.SealedBids;

/// <summary>
/// A real database with a registered project (two sections), verified bidder entities with their users, a document
/// store in a temporary folder and a clock the test moves; helpers that seal a bid the way the browser does.
/// </summary>
public sealed class SealedBidsHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
    private readonly string _files;

    private SealedBidsHost(ProjectsHost projects, DepositClock clock, string files, Project project)
    {
        Projects = projects;
        Clock = clock;
        _files = files;
        Project = project;
    }

    public ProjectsHost Projects { get; }

    public DepositClock Clock { get; }

    public Project Project { get; }

    public Section Section => Project.Sections.OrderBy(s => s.Number).First();

    public IServiceProvider Services => Projects.Database.Services;

    /// <summary>The document store's folder (every file any upload left there).</summary>
    public string FilesFolder => _files;

    public SealedBidService Bids => Services.GetRequiredService<SealedBidService>();

    public ParticipationService Participations => Services.GetRequiredService<ParticipationService>();

    public DocumentService Documents => Services.GetRequiredService<DocumentService>();

    public MarketEntityService Market => Services.GetRequiredService<MarketEntityService>();

    public static async Task<SealedBidsHost> StartAsync(DatabaseProvider provider)
    {
        var clock = new DepositClock(Start);
        var files = Path.Combine(Path.GetTempPath(), "tw-bids-files-" + Guid.NewGuid().ToString("N"));
        var projects = await ProjectsHost.StartAsync(provider, clock, services => services.AddSingleton(new DocumentStorage(files)));
        var project = await projects.Projects.RegisterAsync(ProjectsHost.Tenderee(projects.City), ProjectsHost.Input());
        return new SealedBidsHost(projects, clock, files, project);
    }

    /// <summary>A company registered by <paramref name="user"/>, approved by staff when <paramref name="verified"/>.</summary>
    public async Task<MarketEntity> CompanyAsync(string user, string name, string creditCodeFirst17, bool verified = true)
    {
        var code = creditCodeFirst17 + UnifiedSocialCreditCode.CheckCharacter(creditCodeFirst17);
        var profile = EntityProfile.Create(EntityKind.Organisation, name, code, "张三", "福州市鼓楼区演示路1号", "350102",
            new BankAccount("演示银行福州分行", name, "6222 0000 1111 2222"), [], [new Contact("李四", "13800000000", null)], DateOnly.FromDateTime(Start.UtcDateTime),
            "350102198001010003");
        var entity = await Market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor(user));
        return verified ? await Market.ApproveAsync(entity.Id, entity.Version, new MarketActor("staff", Projects.City.Id)) : entity;
    }

    /// <summary>A verified bidder taking part in the first section (documents downloaded), with a registered key.</summary>
    public async Task<Bidder> BidderAsync(string user = "bidder", string first17 = "91350100M000100Y4")
    {
        var entity = await CompanyAsync(user, "演示建设集团有限公司" + user, first17);
        await Participations.EnsureAsync(Section.Id, entity.Id, ParticipationOrigin.DocumentsDownloaded, user);

        var pair = Sm2.GenerateKeyPair();
        await Bids.RegisterKeyAsync(entity.Id, pair.PublicKeyHex, user);
        return new Bidder(user, entity.Id, pair);
    }

    public async Task SetDeadlineAsync(DateTimeOffset deadline)
    {
        await using var db = Projects.Database.Database.Create();
        await using var tx = await db.Database.BeginTransactionAsync();
        await Bids.SetDeadlineAsync(db, Section.Id, deadline, "tenderee");
        await tx.CommitAsync();
    }

    public static DocumentActor Actor(string user) => new(user, [PlatformRoles.Bidder], null);

    /// <summary>Uploads bytes as a sealed ciphertext through the chunked upload, as the browser does.</summary>
    public Task<Document> UploadCiphertextAsync(string user, string name, byte[] bytes) =>
        UploadCiphertextAsync(Documents, Project.Id, Section.Id, user, name, bytes);

    /// <summary>Uploads bytes as a sealed ciphertext of a section through the chunked upload, as the browser does.</summary>
    public static async Task<Document> UploadCiphertextAsync(DocumentService documents, Guid projectId, Guid sectionId, string user, string name, byte[] bytes)
    {
        var upload = await documents.StartChunkedAsync(name, bytes.Length, new DocumentScope(null, projectId, sectionId), Actor(user), sealedCiphertext: true);
        var (_, document) = await documents.AppendChunkAsync(upload.Id, 0, new MemoryStream(bytes), Actor(user));
        return document!;
    }

    /// <summary>Encrypts, uploads and signs a bid the way the browser does; returns the submission (not yet sent).</summary>
    public Task<(SealedBidSubmission Submission, byte[] ContentKey)> SealAsync(Bidder bidder, int version, string price = "1234567.89", byte[]? document = null) =>
        SealAsync(Documents, Project.Id, Section.Id, bidder, version, price, document);

    /// <summary>Encrypts, uploads and signs a bid for a section the way the browser does; returns the submission (not yet sent).</summary>
    public static async Task<(SealedBidSubmission Submission, byte[] ContentKey)> SealAsync(
        DocumentService documents, Guid projectId, Guid sectionId, Bidder bidder, int version, string price = "1234567.89", byte[]? document = null)
    {
        var key = Sm4Cbc.NewKey();
        var wrapped = Sm2.Encrypt(bidder.Keys.PublicKeyHex, key);
        var letter = Encoding.UTF8.GetBytes($$"""{"price":"{{price}}","durationDays":365,"quality":"合格","remarks":"（测试）"}""");
        var files = new List<(string Name, SealedBidItemKind Kind, byte[] Plain)> { ("投标函.json", SealedBidItemKind.BidLetter, letter) };
        files.Add(("技术标.pdf", SealedBidItemKind.Document, document ?? Encoding.UTF8.GetBytes("%PDF-1.7 " + new string('x', 9000))));
        var items = new List<SealedBidSubmissionItem>();
        foreach (var (name, kind, plain) in files)
        {
            var cipher = Sm4Cbc.Encrypt(key, plain);
            var stored = await UploadCiphertextAsync(documents, projectId, sectionId, bidder.User, name + ".sm4", cipher);
            items.Add(new SealedBidSubmissionItem(name, kind, stored.Id, Sm3Hex.Of(plain), Sm3Hex.Of(cipher), plain.Length, cipher.Length));
        }

        var unsigned = new SealedBidSubmission(sectionId, bidder.EntityId, version, wrapped, string.Empty, items);
        var signature = Sm2.Sign(bidder.Keys.PrivateKeyHex, unsigned.Manifest().Canonical());
        return (unsigned with { SignatureHex = signature }, key);
    }

    public async ValueTask DisposeAsync()
    {
        await Projects.DisposeAsync();
        if (Directory.Exists(_files))
        {
            Directory.Delete(_files, recursive: true);
        }
    }

    public sealed record Bidder(string User, Guid EntityId, Sm2KeyPair Keys);
}
