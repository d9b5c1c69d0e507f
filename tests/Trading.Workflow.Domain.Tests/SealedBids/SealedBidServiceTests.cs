using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.SealedBids;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.SealedBids;

/// <summary>Submission, replacement and withdrawal of sealed bids on real databases, by the server clock.</summary>
public sealed class SealedBidServiceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Submit_SignedCiphertext_IsStoredWithTheArrivalTimeAndAnswersAReceipt(DatabaseProvider provider)
    {
        await using var host = await SealedBidsHost.StartAsync(provider);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var (submission, contentKey) = await host.SealAsync(bidder, 1);
        host.Clock.Advance(TimeSpan.FromMinutes(3));

        var receipt = await host.Bids.SubmitAsync(submission, bidder.User);

        Assert.Equal(SealedBidsHost.Start.AddMinutes(3), receipt.ArrivedAt);
        var stored = Assert.Single(await host.Bids.ListVersionsAsync(host.Section.Id, bidder.EntityId));
        Assert.Equal((SealedBidState.Submitted, 1, receipt.Digest, receipt.ArrivedAt), (stored.State, stored.Version, stored.ReceiptDigest, stored.ArrivedAt));
        Assert.Equal(receipt.Digest, SealedBidReceipt.Of(stored).Digest);
        Assert.Equal([SealedBidItemKind.BidLetter, SealedBidItemKind.Document], stored.Items.OrderBy(i => i.Position).Select(i => i.Kind));
        Assert.Equal(contentKey, Sm2.Decrypt(bidder.Keys.PrivateKeyHex, stored.WrappedKeyHex));
        Assert.True(submission.Manifest().IsSignedBy(bidder.Keys.PublicKeyHex, stored.SignatureHex));
        await using var db = host.Projects.Database.Database.Create();
        var trail = await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == "sealedbids.bid.submitted").ToListAsync();
        Assert.Contains(stored.Id.ToString(), Assert.Single(trail).SubjectId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Submit_AtOrAfterTheDeadline_IsRefused(int secondsAfter)
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        var deadline = SealedBidsHost.Start.AddHours(1);
        await host.SetDeadlineAsync(deadline);
        var (submission, _) = await host.SealAsync(bidder, 1);
        host.Clock.Advance(deadline - host.Clock.GetUtcNow() + TimeSpan.FromSeconds(secondsAfter));

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.SubmitAsync(submission, bidder.User));

        Assert.Equal(SealedBidRules.DeadlinePassed, refused.RuleCode);
        Assert.Empty(await host.Bids.ListVersionsAsync(host.Section.Id, bidder.EntityId));
    }

    [Fact]
    public async Task Submit_OneSecondBeforeTheDeadline_IsAccepted()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        var deadline = SealedBidsHost.Start.AddHours(1);
        await host.SetDeadlineAsync(deadline);
        var (submission, _) = await host.SealAsync(bidder, 1);
        host.Clock.Advance(deadline - host.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));

        var receipt = await host.Bids.SubmitAsync(submission, bidder.User);

        Assert.Equal(deadline.AddSeconds(-1), receipt.ArrivedAt);
    }

    [Fact]
    public async Task Submit_UnsignedOrSignedByAnotherKey_IsRefused()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var (submission, _) = await host.SealAsync(bidder, 1);

        var unsigned = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.SubmitAsync(submission with { SignatureHex = "" }, bidder.User));
        var forged = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.SubmitAsync(
            submission with { SignatureHex = Sm2.Sign(Sm2.GenerateKeyPair().PrivateKeyHex, submission.Manifest().Canonical()) }, bidder.User));

        Assert.Equal((SealedBidRules.SignatureInvalid, SealedBidRules.SignatureInvalid), (unsigned.RuleCode, forged.RuleCode));
    }

    [Fact]
    public async Task Submit_WhenTheStoredCiphertextIsNotTheSignedOne_IsRefused()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var (submission, _) = await host.SealAsync(bidder, 1);
        var items = submission.Items.ToList();
        items[1] = items[1] with { CiphertextSm3 = new string('0', 64) };
        var changed = submission with { Items = items };
        changed = changed with { SignatureHex = Sm2.Sign(bidder.Keys.PrivateKeyHex, changed.Manifest().Canonical()) };

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.SubmitAsync(changed, bidder.User));

        Assert.Equal(SealedBidRules.DigestMismatch, refused.RuleCode);
    }

    [Fact]
    public async Task Upload_OfAPlaintextFileAsSealedCiphertext_IsRefusedByTheStore()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var pdf = System.Text.Encoding.UTF8.GetBytes("%PDF-1.7 " + new string('x', 9007));
        var text = System.Text.Encoding.UTF8.GetBytes(new string('价', 4000));

        var asPdf = await Assert.ThrowsAsync<DomainRuleException>(() => host.UploadCiphertextAsync("bidder", "bid.sm4", pdf));
        var asText = await Assert.ThrowsAsync<DomainRuleException>(() => host.UploadCiphertextAsync("bidder", "bid.sm4", text));
        var lowEntropy = await Assert.ThrowsAsync<DomainRuleException>(() => host.UploadCiphertextAsync("bidder", "bid.sm4", new byte[8192]));

        Assert.All([asPdf, asText, lowEntropy], e => Assert.Equal(DocumentRules.TypeNotAllowed, e.RuleCode));
    }

    [Fact]
    public async Task Submit_NamingAnOrdinaryDocument_IsRefusedAsNotEncrypted()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var (submission, _) = await host.SealAsync(bidder, 1);
        var plain = System.Text.Encoding.UTF8.GetBytes("%PDF-1.7 " + new string('y', 9015));
        var ordinary = await host.Documents.UploadAsync(new MemoryStream(plain), "技术标.pdf",
            new DocumentScope(null, host.Project.Id, host.Section.Id), SealedBidsHost.Actor(bidder.User));
        var items = submission.Items.ToList();
        items[1] = items[1] with { CiphertextDocumentId = ordinary.Id, CiphertextSm3 = ordinary.Sm3, CiphertextSize = ordinary.Length, PlaintextSize = ordinary.Length - 16 };
        var changed = submission with { Items = items };
        changed = changed with { SignatureHex = Sm2.Sign(bidder.Keys.PrivateKeyHex, changed.Manifest().Canonical()) };

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.SubmitAsync(changed, bidder.User));

        Assert.Equal(SealedBidRules.NotEncrypted, refused.RuleCode);
    }

    [Fact]
    public async Task Replace_BeforeTheDeadline_MakesVersion2AndTheFirstReplaced_AndAStaleVersionIsRefused()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        await host.Bids.SubmitAsync((await host.SealAsync(bidder, 1)).Submission, bidder.User);

        await host.Bids.SubmitAsync((await host.SealAsync(bidder, 2, "1200000.00")).Submission, bidder.User);
        var stale = await Assert.ThrowsAsync<DomainRuleException>(async () => await host.Bids.SubmitAsync((await host.SealAsync(bidder, 2)).Submission, bidder.User));

        Assert.Equal(SealedBidRules.VersionConflict, stale.RuleCode);
        var versions = await host.Bids.ListVersionsAsync(host.Section.Id, bidder.EntityId);
        Assert.Equal([(2, SealedBidState.Submitted), (1, SealedBidState.Replaced)], versions.Select(v => (v.Version, v.State)));
        await using var db = host.Projects.Database.Database.Create();
        Assert.Equal(2, Assert.Single(await SealedBidService.ListInForceAsync(db, host.Section.Id)).Version);
    }

    [Fact]
    public async Task Withdraw_BeforeTheDeadline_RecordsTheRefundDue5DaysLaterOnThePlatformCalendar()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        await host.Bids.SubmitAsync((await host.SealAsync(bidder, 1)).Submission, bidder.User);

        var withdrawn = await host.Bids.WithdrawAsync(host.Section.Id, bidder.EntityId, bidder.User);

        // Wednesday 2 December 2026, 10:00 in China: the fifth day is Monday 7 December.
        Assert.Equal(SealedBidState.Withdrawn, withdrawn.State);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(8)), withdrawn.RefundDueAt);
        await using var db = host.Projects.Database.Database.Create();
        Assert.Empty(await SealedBidService.ListInForceAsync(db, host.Section.Id));
        var again = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.WithdrawAsync(host.Section.Id, bidder.EntityId, bidder.User));
        Assert.Equal(SealedBidRules.NoBid, again.RuleCode);
    }

    [Fact]
    public async Task Withdraw_InASectionWithADeposit_SchedulesTheRefundForTheTimerInTheSameTransaction()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var deposits = host.Services.GetRequiredService<DepositService>();
        await deposits.ConfigureSectionAsync(Deposits.DepositTermsTests.Terms() with { SectionId = host.Section.Id, ProjectId = host.Project.Id }, "staff", CancellationToken.None);
        await host.Bids.SubmitAsync((await host.SealAsync(bidder, 1)).Submission, bidder.User);

        var withdrawn = await host.Bids.WithdrawAsync(host.Section.Id, bidder.EntityId, bidder.User);

        var owed = Assert.Single(await deposits.ScheduledRefundsAsync(host.Section.Id, bidder.EntityId, CancellationToken.None));
        Assert.Equal(ScheduledRefundState.Pending, owed.State);
        Assert.Equal(withdrawn.Id, owed.SourceId);
        Assert.Equal(SealedBidService.WithdrawalRefundReason, owed.Reason);
        Assert.Equal(withdrawn.RefundDueAt, owed.DueAt);
        await using var db = host.Projects.Database.Database.Create();
        var actions = await db.Set<Trading.Workflow.Domain.Trail.AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal(["sealedbids.bid.withdrawn", "deposits.refund.scheduled"], actions.TakeLast(2));
    }

    [Fact]
    public async Task Withdraw_AfterTheDeadline_IsRefused()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddHours(1));
        await host.Bids.SubmitAsync((await host.SealAsync(bidder, 1)).Submission, bidder.User);
        host.Clock.Advance(TimeSpan.FromHours(1));

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.WithdrawAsync(host.Section.Id, bidder.EntityId, bidder.User));

        Assert.Equal(SealedBidRules.DeadlinePassed, refused.RuleCode);
    }

    [Fact]
    public async Task Submit_WithoutParticipationOrKeyOrWindow_IsRefused()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        var (submission, _) = await host.SealAsync(bidder, 1);
        var noWindow = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.SubmitAsync(submission, bidder.User));
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var outsider = await host.CompanyAsync("outsider", "局外公司", "91350100M000200Y4");

        var notParticipating = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.SubmitAsync(submission with { EntityId = outsider.Id }, bidder.User));

        Assert.Equal((SealedBidRules.NoWindow, SealedBidRules.NotParticipating), (noWindow.RuleCode, notParticipating.RuleCode));
    }

    [Fact]
    public async Task RegisterKey_RevokesThePreviousKey_AndRefusesAPointOffTheCurve()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        var first = await host.Bids.CurrentKeyAsync(bidder.EntityId);
        var next = Sm2.GenerateKeyPair();

        await host.Bids.RegisterKeyAsync(bidder.EntityId, next.PublicKeyHex, bidder.User);
        var bad = await Assert.ThrowsAsync<DomainRuleException>(() => host.Bids.RegisterKeyAsync(bidder.EntityId, "04" + new string('a', 128), bidder.User));

        Assert.Equal(SealedBidRules.KeyInvalid, bad.RuleCode);
        Assert.Equal(next.PublicKeyHex, (await host.Bids.CurrentKeyAsync(bidder.EntityId))?.PublicKeyHex);
        Assert.NotNull((await host.Bids.FindKeyAsync(first!.Id))?.RevokedAt);
        Assert.Equal(Sm2.Fingerprint(next.PublicKeyHex), (await host.Bids.CurrentKeyAsync(bidder.EntityId))?.Fingerprint);
    }

    [Fact]
    public async Task Ciphertext_IsDownloadableByItsBidderOnly_NeverByStaffSupervisorsOrAdministrators()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var (submission, _) = await host.SealAsync(bidder, 1);
        await host.Bids.SubmitAsync(submission, bidder.User);
        var document = (await host.Documents.FindAsync(submission.Items[0].CiphertextDocumentId))!;

        foreach (var role in new[] { PlatformRoles.Administrator, PlatformRoles.Staff, PlatformRoles.Supervisor })
        {
            var actor = new DocumentActor("someone-" + role, [role], host.Projects.City.Id);
            Assert.False(await host.Documents.MayDownloadAsync(actor, document));
            var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Documents.OpenDownloadAsync(document.Id, actor));
            Assert.Equal(DocumentRules.AccessDenied, refused.RuleCode);
        }

        Assert.True(await host.Documents.MayDownloadAsync(SealedBidsHost.Actor(bidder.User), document));
    }

    [Fact]
    public async Task BeforeTheOpening_NoRowAndNoStoredFileHoldsThePlaintextOrTheContentKey()
    {
        await using var host = await SealedBidsHost.StartAsync(DatabaseProvider.Sqlite);
        var bidder = await host.BidderAsync();
        await host.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var secret = System.Text.Encoding.UTF8.GetBytes("%PDF-1.7 技术标机密内容 SECRET-TECHNICAL-PROPOSAL " + new string('z', 20000));
        var (submission, contentKey) = await host.SealAsync(bidder, 1, "7654321.09", secret);
        await host.Bids.SubmitAsync(submission, bidder.User);
        await using var db = host.Projects.Database.Database.Create();
        var databaseFile = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var stored = Directory.GetFiles(Path.GetDirectoryName(databaseFile)!, "*", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(host.FilesFolder, "*", SearchOption.AllDirectories))
            .Select(File.ReadAllBytes).ToList();

        Assert.NotEmpty(stored);
        foreach (var needle in new[]
                 {
                     "SECRET-TECHNICAL-PROPOSAL"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes("7654321.09"), contentKey,
                     System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(contentKey)), System.Text.Encoding.ASCII.GetBytes(bidder.Keys.PrivateKeyHex),
                 })
        {
            Assert.DoesNotContain(stored, bytes => bytes.AsSpan().IndexOf(needle) >= 0);
        }
    }
}
