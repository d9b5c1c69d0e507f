using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Warnings;

/// <summary>
/// The sealed-bids host (a real database, a project in the test city with two sections, a clock) with bidders whose
/// profiles the test chooses, deposit payments as the bank reports them, and the viewers of each role.
/// </summary>
public sealed class WarningsHost : IAsyncDisposable
{
    private static readonly string[] CreditCodes =
        ["91350100M000100Y4", "91350100M000200Y1", "91350100M000300Y9", "91350100M000400Y6", "91350100M000500Y3"];

    private readonly Dictionary<string, string> _idNumbers = new(StringComparer.Ordinal);
    private int _companies;
    private int _submissions;

    private WarningsHost(SealedBidsHost bids) => Bids = bids;

    public SealedBidsHost Bids { get; }

    public WarningService Warnings => Bids.Services.GetRequiredService<WarningService>();

    public OpeningService Openings => Bids.Services.GetRequiredService<OpeningService>();

    public Guid SectionId => Bids.Section.Id;

    public WarningViewer Supervisor => new("supervisor", [PlatformRoles.Supervisor], null);

    public WarningViewer CityStaff => new("staff", [PlatformRoles.Staff], Bids.Projects.City.Id);

    public static async Task<WarningsHost> StartAsync(DatabaseProvider provider) => new(await SealedBidsHost.StartAsync(provider));

    /// <summary>A valid test resident ID number (region 350102, born 1980-01-01), sequence <paramref name="sequence"/>.</summary>
    public static string TestIdNumber(int sequence)
    {
        var first17 = $"35010219800101{sequence:D3}";
        return first17 + ResidentIdNumber.CheckCharacter(first17);
    }

    private string IdNumberOf(string legalRepresentative)
    {
        if (!_idNumbers.TryGetValue(legalRepresentative, out var number))
        {
            number = TestIdNumber(100 + _idNumbers.Count);
            _idNumbers.Add(legalRepresentative, number);
        }

        return number;
    }

    /// <summary>
    /// A verified company taking part in the first section with a registered bidder key. Its legal representative's
    /// ID number is <paramref name="legalRepresentativeId"/>, or one number per name (one name, one person) when not given.
    /// </summary>
    public async Task<SealedBidsHost.Bidder> BidderAsync(string user, string legalRepresentative, string phone, string? legalRepresentativeId = null)
    {
        legalRepresentativeId ??= IdNumberOf(legalRepresentative);
        var first17 = CreditCodes[_companies++];
        var name = $"测试{_companies}号建设有限公司";
        var code = first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
        var profile = EntityProfile.Create(EntityKind.Organisation, name, code, legalRepresentative, "福州市鼓楼区测试路1号", "350102",
            new BankAccount("测试银行福州分行", name, $"6222 0000 {_companies:D4} 2222"), [], [new Contact("联系人" + _companies, phone, null)],
            DateOnly.FromDateTime(SealedBidsHost.Start.UtcDateTime), legalRepresentativeId);
        var entity = await Bids.Market.RegisterAsync(EntityKind.Organisation, profile, new MarketActor(user));
        entity = await Bids.Market.ApproveAsync(entity.Id, entity.Version, new MarketActor("staff", Bids.Projects.City.Id));
        await Bids.Participations.EnsureAsync(SectionId, entity.Id, ParticipationOrigin.DocumentsDownloaded, user);
        var pair = Sm2.GenerateKeyPair();
        await Bids.Bids.RegisterKeyAsync(entity.Id, pair.PublicKeyHex, user);
        return new SealedBidsHost.Bidder(user, entity.Id, pair);
    }

    /// <summary>Three bidders with different representatives and phones.</summary>
    /// <summary>Makes the entity's verified profile one verified before ID numbers were asked (no number).</summary>
    public async Task ForgetIdNumberAsync(Guid entityId)
    {
        await using var db = Bids.Projects.Database.Database.Create();
        var entity = await db.Set<MarketEntity>().SingleAsync(e => e.Id == entityId);
        var old = entity.Verified! with { LegalRepresentativeIdNumber = null };
        await db.Set<MarketEntity>().Where(e => e.Id == entityId).ExecuteUpdateAsync(u => u.SetProperty(e => e.Verified, old));
    }

    public async Task<SealedBidsHost.Bidder[]> ThreeBiddersAsync() =>
    [
        await BidderAsync("bidder", "张一", "13800000001"),
        await BidderAsync("bidder2", "王二", "13800000002"),
        await BidderAsync("bidder3", "李三", "13800000003"),
    ];

    /// <summary>A deposit the bank reported from <paramref name="payerAccount"/>, matched to the bidder's sub-account.</summary>
    public async Task PayAsync(Guid entityId, string payerAccount, string payerName = "付款人")
    {
        await using var db = Bids.Projects.Database.Database.Create();
        var payment = BankPayment.Record("icbc", new BankDeposit("T-" + Guid.NewGuid().ToString("N")[..10], 100_000m, payerName, payerAccount, "测试银行", null,
            Bids.Clock.GetUtcNow()), Bids.Clock.GetUtcNow());
        payment.MatchTo(SectionId, entityId, flagged: false, "bank", Bids.Clock.GetUtcNow());
        db.Add(payment);
        await db.SaveChangesAsync();
    }

    /// <summary>Seals and submits the bidder's next version as <paramref name="user"/> from <paramref name="address"/>.</summary>
    /// <remarks>Unless given, the price and the document are the bidder's own, so no two bids share a file by accident.</remarks>
    public async Task SubmitAsync(SealedBidsHost.Bidder bidder, int version = 1, string? user = null, string? address = null, byte[]? document = null, string? price = null)
    {
        var n = ++_submissions;
        price ??= (1_000_000m + n * n * 7_919.13m).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        document ??= System.Text.Encoding.UTF8.GetBytes($"%PDF-1.7 {bidder.EntityId} v{version} " + new string('x', 9000));
        var sealedBid = await SealedBidsHost.SealAsync(Bids.Documents, Bids.Project.Id, SectionId, bidder with { User = user ?? bidder.User }, version, price, document);
        await Bids.Bids.SubmitAsync(sealedBid.Submission, user ?? bidder.User, address);
    }

    public Task<WarningComputation> ComputeAsync() => Bids.Services.GetRequiredService<WarningService>().RecomputeAsync(Supervisor, SectionId);

    public async Task<IReadOnlyList<CollusionWarning>> StoredAsync()
    {
        await using var db = Bids.Projects.Database.Database.Create();
        return [.. (await db.Set<CollusionWarning>().AsNoTracking().ToListAsync()).OrderBy(w => w.Kind)];
    }

    public async Task<IReadOnlyList<AuditEntry>> TrailAsync(string action)
    {
        await using var db = Bids.Projects.Database.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }

    public ValueTask DisposeAsync() => Bids.DisposeAsync();
}
