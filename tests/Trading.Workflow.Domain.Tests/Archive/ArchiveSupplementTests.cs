using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Tests.Deposits;
using Trading.Workflow.Domain.Tests.Projects;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Archive;

/// <summary>
/// 补充归档: a project archived right after the contract while its deposit refunds (条例 57) are still with the bank; the
/// bank's callback that pays one adds a supplement to the archive, the original package untouched; on SQLite and PostgreSQL.
/// </summary>
public sealed class ArchiveSupplementTests
{
    private const string Bank = "icbc";
    private const string Secret = "a-bank-secret-of-at-least-32-characters!";
    private const string BasicAccount = "6222000011112222";
    private const string BidderName = "演示建设集团有限公司（演示数据）";

    // 10:00 on 2 November 2026 in China.
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 2, 0, 0, TimeSpan.Zero);

    private sealed record Fixture(ProjectsHost Host, DepositPersistenceTests.Bank_ Bank, DepositClock Clock, Project Project, SectionTerms Terms, Guid Bidder)
        : IAsyncDisposable
    {
        public IServiceProvider Services => Host.Database.Services;

        public DepositService Deposits => Services.GetRequiredService<DepositService>();

        public ArchiveService Archives => Services.GetRequiredService<ArchiveService>();

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }

    /// <summary>A project whose first section holds the bidder's 20,000 deposit, the contract signed, the refund sent to a bank that has not paid yet.</summary>
    private static async Task<Fixture> RefundWithTheBankAsync(DatabaseProvider provider, bool bankUnreachable = false)
    {
        var entities = new DepositPersistenceTests.Entities();
        // Unreachable: the timer's first sending times out, and the bank pays in its answer to the next one.
        var bank = new DepositPersistenceTests.Bank_ { AcceptOnly = !bankUnreachable, LoseNextAnswer = bankUnreachable };
        var clock = new DepositClock(Start);
        var host = await ProjectsHost.StartAsync(provider, clock, services =>
        {
            services.AddSingleton<IBasicAccountLookup>(entities);
            services.Replace(ServiceDescriptor.Singleton<IBankAdapter>(bank));
            services.Configure<DepositOptions>(o => o.Banks[Bank] = new BankOptions { Name = "工商银行", Secret = Secret });
        });
        var project = await host.Projects.RegisterAsync(ProjectsHost.Tenderee(host.City), ProjectsHost.Input());
        var section = project.Sections.OrderBy(s => s.Number).First();
        var terms = new SectionTerms(section.Id, section.Code, section.Subject, project.Id, project.Code, project.Name, host.City.Id, project.TradeType,
            20_000m, DepositForms.Transfer, "演示市第一中学", new DateOnly(2027, 6, 30));
        var deposits = host.Database.Services.GetRequiredService<DepositService>();
        await deposits.ConfigureSectionAsync(terms, "staff", CancellationToken.None);
        var bidder = Guid.NewGuid();
        entities.Accounts[bidder] = new BasicAccount(bidder, BidderName, "中国工商银行", BidderName, BasicAccount);
        var account = await deposits.OpenAccountAsync(section.Id, bidder, BidderName, "bidder", CancellationToken.None);
        await CallbackAsync(deposits, clock, BankCallbackBody.Deposit(new BankDeposit("ICBC-0001", 20_000m, BidderName, BasicAccount, "中国工商银行", account.Number, clock.GetUtcNow())));
        clock.Advance(TimeSpan.FromDays(30));

        await using (var db = host.Database.Database.Create())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await host.Database.Services.GetRequiredService<ContractRefunds>().ScheduleAsync(db, project.Id, clock.GetUtcNow(), Guid.NewGuid(), "system:procedure", CancellationToken.None);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        await deposits.RunDueRefundsAsync(10, CancellationToken.None);
        return new Fixture(host, bank, clock, project, terms, bidder);
    }

    private static async Task<CallbackResult> CallbackAsync(DepositService deposits, TimeProvider clock, byte[] body, long? timestamp = null, string? signature = null)
    {
        var at = timestamp ?? clock.GetUtcNow().ToUnixTimeSeconds();
        return await deposits.HandleCallbackAsync(Bank, at.ToString(CultureInfo.InvariantCulture),
            signature ?? BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), at, body), body, CancellationToken.None);
    }

    /// <summary>A JSON file of a stored package, downloaded as staff.</summary>
    private static async Task<JsonDocument> PackageJsonAsync(Fixture f, Guid packageDocumentId, string path)
    {
        await using var download = await f.Services.GetRequiredService<DocumentService>().OpenDownloadAsync(
            packageDocumentId, new DocumentActor("staff", [PlatformRoles.Staff], null));
        using var copy = new MemoryStream();
        await download.CopyToAsync(copy);
        using var zip = new ZipArchive(new MemoryStream(copy.ToArray()), ZipArchiveMode.Read);
        await using var entry = await (zip.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"The package has no {path}.")).OpenAsync();
        return await JsonDocument.ParseAsync(entry);
    }

    private static async Task<BankInstruction> RefundInstructionAsync(Fixture f)
    {
        await using var db = f.Host.Database.Database.Create();
        return await db.Set<BankInstruction>().AsNoTracking().SingleAsync(i => i.SectionId == f.Terms.SectionId && i.Kind == InstructionKind.Refund);
    }

    private static async Task<List<AuditEntry>> TrailAsync(Fixture f)
    {
        await using var db = f.Host.Database.Database.Create();
        var entries = await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        Assert.True(AuditChain.Verify(entries).IsIntact);
        return entries;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task RefundPaidByTheBank_AfterTheArchive_AddsOneSupplement_OriginalUntouched_InTheTrailWithBothHashes(DatabaseProvider provider)
    {
        await using var f = await RefundWithTheBankAsync(provider);
        var instruction = await RefundInstructionAsync(f);
        Assert.Equal(InstructionState.Accepted, instruction.State);
        var archive = await f.Archives.ArchiveAsync(f.Project.Id, "system:procedure");
        var documents = f.Services.GetRequiredService<DocumentService>();
        var originalDocument = (await documents.FindAsync(archive.PackageDocumentId))!;
        Assert.Empty(await f.Archives.SupplementsAsync(f.Project.Id));

        var body = BankCallbackBody.InstructionOutcome(instruction.Id, paid: true, "ICBC-REFUND-1");
        var paid = await CallbackAsync(f.Deposits, f.Clock, body);

        Assert.Equal(CallbackOutcome.Recorded, paid.Outcome);
        var supplement = Assert.Single(await f.Archives.SupplementsAsync(f.Project.Id));
        Assert.Equal((1, DepositSettlementKinds.RefundPaid, instruction.Id, "ICBC-REFUND-1"), (supplement.Sequence, supplement.Reason, supplement.SubjectId, supplement.BankReference));
        Assert.Equal((20_000m, instruction.Interest), (supplement.Principal, supplement.Interest));
        Assert.True(instruction.Interest > 0);
        var line = Assert.Single(supplement.Ledger);
        Assert.Equal((f.Bidder, BidderName, SupplementDepositState.Refunded, 20_000m, 0m, instruction.Interest, "ICBC-REFUND-1"),
            (line.EntityId, line.EntityName, line.State, line.Refunded, line.Held, line.Interest, line.BankReference));

        // The original package and its record are as they were; the supplement names them.
        var after = (await f.Archives.FindAsync(f.Project.Id))!;
        Assert.Equal((archive.PackageDocumentId, archive.PackageSm3, archive.ManifestSm3), (after.PackageDocumentId, after.PackageSm3, after.ManifestSm3));
        Assert.Equal(originalDocument.Sm3, (await documents.FindAsync(archive.PackageDocumentId))!.Sm3);
        Assert.Equal((archive.ManifestSm3, (string?)null), (supplement.OriginalManifestSm3, supplement.PreviousManifestSm3));
        var verification = await f.Archives.VerifyStoredAsync(f.Project.Id);
        Assert.True(verification.IsIntact);
        Assert.True(verification.Package.IsIntact);
        var checkedSupplement = Assert.Single(verification.Supplements);
        Assert.True(checkedSupplement.Linked);
        var manifest = checkedSupplement.Package.Manifest!;
        Assert.Equal(ArchiveManifest.SupplementFormatName, manifest.Format);
        Assert.Equal(archive.PackageSm3, manifest.Supplement!.OriginalPackageSm3);
        Assert.Contains(manifest.Files, e => e.Path == $"records/deposits-{f.Terms.SectionCode}.json");
        Assert.Contains(manifest.Files, e => e.Path == "records/supplement.json");
        Assert.Contains(manifest.Files, e => e.Path == "history/trail.json");

        var trail = await TrailAsync(f);
        var record = Assert.Single(trail, e => e.Action == ArchiveService.SupplementAction);
        using var data = JsonDocument.Parse(record.Data);
        Assert.Equal(archive.PackageSm3, data.RootElement.GetProperty("originalPackageSm3").GetString());
        Assert.Equal(archive.ManifestSm3, data.RootElement.GetProperty("originalManifestSm3").GetString());
        Assert.Equal(supplement.PackageSm3, data.RootElement.GetProperty("packageSm3").GetString());
        Assert.Equal(supplement.ManifestSm3, data.RootElement.GetProperty("manifestSm3").GetString());
        Assert.True(record.Sequence > Assert.Single(trail, e => e.Action == "deposits.refund.paid").Sequence);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task RefundPaidInTheBanksAnswerToTheTimer_AfterTheArchive_TheSupplementShowsTheOwedRefundDone(DatabaseProvider provider)
    {
        await using var f = await RefundWithTheBankAsync(provider, bankUnreachable: true);
        var instruction = await RefundInstructionAsync(f);
        Assert.Equal(InstructionState.Decided, instruction.State);
        await f.Archives.ArchiveAsync(f.Project.Id, "system:procedure");

        await f.Deposits.RunDueRefundsAsync(10, CancellationToken.None);

        var supplement = Assert.Single(await f.Archives.SupplementsAsync(f.Project.Id));
        Assert.Equal((DepositSettlementKinds.RefundPaid, instruction.Id), (supplement.Reason, supplement.SubjectId));
        // The package says what the ledger and the instruction say: paid, and the refund owed to the bidder done.
        using var json = await PackageJsonAsync(f, supplement.PackageDocumentId, $"records/deposits-{f.Terms.SectionCode}.json");
        Assert.Equal("Paid", Assert.Single(json.RootElement.GetProperty("instructions").EnumerateArray()).GetProperty("state").GetString());
        var owed = Assert.Single(json.RootElement.GetProperty("scheduledRefunds").EnumerateArray());
        Assert.Equal(nameof(ScheduledRefundState.Done), owed.GetProperty("state").GetString());

        // The timer's round that sent it found the row settled and left it so; a later round has nothing to do.
        Assert.Equal(0, await f.Deposits.RunDueRefundsAsync(10, CancellationToken.None));
        Assert.True((await f.Archives.VerifyStoredAsync(f.Project.Id)).IsIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task DepositLedger_NamesEachBiddersState_InThePackageAndTheSupplement_AndReadsALedgerWrittenWithNumbers(DatabaseProvider provider)
    {
        await using var f = await RefundWithTheBankAsync(provider);
        var instruction = await RefundInstructionAsync(f);
        var archive = await f.Archives.ArchiveAsync(f.Project.Id, "system:procedure");
        await CallbackAsync(f.Deposits, f.Clock, BankCallbackBody.InstructionOutcome(instruction.Id, paid: true, "ICBC-REFUND-1"));
        var supplement = Assert.Single(await f.Archives.SupplementsAsync(f.Project.Id));

        // The state by its name, as the packages write every other state (the instructions' "Paid", the notices' kinds).
        using (var original = await PackageJsonAsync(f, archive.PackageDocumentId, "records/deposit-ledger.json"))
        {
            Assert.Equal(nameof(SupplementDepositState.AwaitingPayment), Assert.Single(original.RootElement.EnumerateArray()).GetProperty("state").GetString());
        }

        using (var supplemented = await PackageJsonAsync(f, supplement.PackageDocumentId, "records/deposit-ledger.json"))
        {
            Assert.Equal(nameof(SupplementDepositState.Refunded), Assert.Single(supplemented.RootElement.EnumerateArray()).GetProperty("state").GetString());
        }

        using (var kept = JsonDocument.Parse(supplement.LedgerJson))
        {
            Assert.Equal(nameof(SupplementDepositState.Refunded), Assert.Single(kept.RootElement.EnumerateArray()).GetProperty("state").GetString());
        }

        // A supplement recorded before the names (state 2, Refunded) still reads on the list page.
        var numbered = supplement.LedgerJson.Replace("\"Refunded\"", ((int)SupplementDepositState.Refunded).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.NotEqual(supplement.LedgerJson, numbered);
        await using (var db = f.Host.Database.Database.Create())
        {
            await db.Set<ArchiveSupplement>().Where(s => s.Id == supplement.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LedgerJson, numbered));
        }

        Assert.Equal(SupplementDepositState.Refunded, Assert.Single(Assert.Single(await f.Archives.SupplementsAsync(f.Project.Id)).Ledger).State);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task BankCallbackDeliveredTwice_MakesOneSupplement(DatabaseProvider provider)
    {
        await using var f = await RefundWithTheBankAsync(provider);
        var instruction = await RefundInstructionAsync(f);
        await f.Archives.ArchiveAsync(f.Project.Id, "system:procedure");
        var body = BankCallbackBody.InstructionOutcome(instruction.Id, paid: true, "ICBC-REFUND-1");
        var timestamp = f.Clock.GetUtcNow().ToUnixTimeSeconds();
        var signature = BankCallbackSignature.Sign(Encoding.UTF8.GetBytes(Secret), timestamp, body);

        var first = await CallbackAsync(f.Deposits, f.Clock, body, timestamp, signature);
        var replayed = await CallbackAsync(f.Deposits, f.Clock, body, timestamp, signature);
        f.Clock.Advance(TimeSpan.FromSeconds(30));
        var resent = await CallbackAsync(f.Deposits, f.Clock, body);
        await f.Deposits.RunDueRefundsAsync(10, CancellationToken.None);

        Assert.Equal((CallbackOutcome.Recorded, CallbackOutcome.Replayed, CallbackOutcome.Duplicate), (first.Outcome, replayed.Outcome, resent.Outcome));
        Assert.Single(await f.Archives.SupplementsAsync(f.Project.Id));
        Assert.Single(await TrailAsync(f), e => e.Action == ArchiveService.SupplementAction);
        Assert.True((await f.Archives.VerifyStoredAsync(f.Project.Id)).IsIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task SupplementRemoved_ShowsInTheArchivesVerification(DatabaseProvider provider)
    {
        await using var f = await RefundWithTheBankAsync(provider);
        var instruction = await RefundInstructionAsync(f);
        await f.Archives.ArchiveAsync(f.Project.Id, "system:procedure");
        await CallbackAsync(f.Deposits, f.Clock, BankCallbackBody.InstructionOutcome(instruction.Id, paid: true, "ICBC-REFUND-1"));

        await using (var db = f.Host.Database.Database.Create())
        {
            await db.Set<ArchiveSupplement>().Where(s => s.ProjectId == f.Project.Id).ExecuteDeleteAsync();
        }

        var verification = await f.Archives.VerifyStoredAsync(f.Project.Id);
        Assert.True(verification.Package.IsIntact);
        Assert.False(verification.IsIntact);
        Assert.Equal([1], verification.MissingSupplements);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task RefundPaid_BeforeTheArchive_IsInThePackage_AndMakesNoSupplement(DatabaseProvider provider)
    {
        await using var f = await RefundWithTheBankAsync(provider);
        var instruction = await RefundInstructionAsync(f);
        await CallbackAsync(f.Deposits, f.Clock, BankCallbackBody.InstructionOutcome(instruction.Id, paid: true, "ICBC-REFUND-1"));

        await f.Archives.ArchiveAsync(f.Project.Id, "system:procedure");

        Assert.Empty(await f.Archives.SupplementsAsync(f.Project.Id));
        var verification = await f.Archives.VerifyStoredAsync(f.Project.Id);
        Assert.True(verification.IsIntact);
        Assert.Empty(verification.Supplements);
    }
}
