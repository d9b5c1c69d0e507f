using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// Both shipped grant procedures archive the project (<c>archive.archiveProject</c>) before each of their ends — granted,
/// 流拍, terminated, withdrawn — on a host without the evaluation part; the package holds the grant's file: the offering
/// and its 出让公告, the applications and admissions, each lot's bid log with what replaying it found, the result (the
/// 成交确认书 with both signatures, or the no-sale record), the result notice and the deposits; the project is then
/// read-only and the package verifies.
/// </summary>
public sealed class GrantArchiveTests
{
    public enum End
    {
        Withdrawn,
        Terminated,
        NoSale,
        Granted,
    }

    [Theory]
    [InlineData(TradeTypes.LandRights, End.Withdrawn, "archiveWithdrawn", "withdrawn")]
    [InlineData(TradeTypes.LandRights, End.Terminated, "archiveTerminated", "terminated")]
    [InlineData(TradeTypes.LandRights, End.NoSale, "archiveNoSale", "noSale")]
    [InlineData(TradeTypes.LandRights, End.Granted, "archiveGranted", "granted")]
    [InlineData(TradeTypes.MineralRights, End.Withdrawn, "archiveWithdrawn", "withdrawn")]
    [InlineData(TradeTypes.MineralRights, End.Terminated, "archiveTerminated", "terminated")]
    [InlineData(TradeTypes.MineralRights, End.NoSale, "archiveNoSale", "noSale")]
    [InlineData(TradeTypes.MineralRights, End.Granted, "archiveGranted", "granted")]
    public async Task EveryEnd_OfBothProcedures_ArchivesTheProjectJustBeforeTheEndEvent(string tradeType, End end, string archiveStep, string endEvent)
    {
        await using var host = await GrantHost.StartAsync(DatabaseProvider.Sqlite);
        var (offering, instanceId) = await RunToAsync(host, tradeType, end);

        // The user's last command only queued the archive: the procedure waits at the step as the engine's job, the
        // project is not archived yet and the queue says so.
        var archives = host.Services.GetRequiredService<ArchiveService>();
        Assert.Equal(InstanceState.Active, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        Assert.Null(await archives.FindAsync(offering.ProjectId));
        var pending = Assert.Single(await host.Services.GetRequiredService<ArchiveQueue>().PendingAsync(null));
        Assert.Equal((offering.ProjectId, instanceId, false), (pending.ProjectId, pending.InstanceId, pending.Failed));
        Assert.Equal([archiveStep], (await host.Engine.GetInstanceAsync(instanceId))!.ActiveElementIds);

        var ended = end is End.Withdrawn or End.Terminated ? ProjectState.Terminated : ProjectState.Submitted;
        Assert.Equal(ended, await ProjectStateAsync(host, offering.ProjectId));

        Assert.Equal(1, await host.Engine.ExecuteDueJobsAsync());
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        // Complete with its archive, unless it ended without a result (withdrawn, terminated): that it stays.
        Assert.Equal(ended == ProjectState.Terminated ? ProjectState.Terminated : ProjectState.Completed, await ProjectStateAsync(host, offering.ProjectId));
        Assert.Empty(await host.Services.GetRequiredService<ArchiveQueue>().PendingAsync(null));
        var archive = await archives.FindAsync(offering.ProjectId);
        Assert.NotNull(archive);
        Assert.Equal(instanceId.ToString(), archive.InstanceId);
        Assert.Equal("system:procedure", archive.ArchivedBy);
        Assert.Single(await host.TrailAsync("archive.project.archived"));

        // The archive step is the one before the end event; the variables name the package.
        var history = await host.Engine.GetHistoryAsync(instanceId);
        var completed = history.Where(h => h.ElementId is not null).Select(h => h.ElementId!).ToList();
        Assert.Contains(archiveStep, completed);
        Assert.True(completed.LastIndexOf(archiveStep) < completed.LastIndexOf(endEvent), string.Join(", ", completed));
        var variables = await host.Engine.GetVariablesAsync(instanceId);
        Assert.Equal(archive.PackageDocumentId.ToString(), variables[ArchiveVariables.PackageDocumentId]?.ToString());
        Assert.Equal(archive.ManifestSm3, variables[ArchiveVariables.ManifestSm3]?.ToString());

        // Sealed: the package and its manifest verify, the step that packed it is inside, the project is read-only.
        Assert.True((await archives.VerifyStoredAsync(offering.ProjectId)).Package.IsIntact);
        using var zip = await PackageAsync(host, archive);
        using var step = Json(zip, "history/archive-step.json");
        Assert.Equal(archiveStep, step.RootElement.GetProperty("elementId").GetString());
        Assert.Equal(tradeType == TradeTypes.LandRights ? "land-rights.land-grant" : "mineral-rights.mineral-grant", step.RootElement.GetProperty("processId").GetString());
        using var result = Json(zip, "records/grant-result.json");
        Assert.Equal(offering.Stage.ToString(), result.RootElement.GetProperty("stage").GetString());
        var readOnly = await Assert.ThrowsAsync<DomainRuleException>(() => host.Services.GetRequiredService<ArchiveGuard>().EnsureWritableAsync(offering.ProjectId));
        Assert.Equal(ArchiveRules.ProjectArchived, readOnly.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task SoldLandListing_Package_HoldsTheOfferingApplicationsVerifiedBidLogSignedConfirmationResultAndDeposits(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var (offering, instanceId) = await host.PublishedAsync(TradeTypes.LandRights, host.LandListing(), reserve: 51_000_000m);

        // Two companies admitted, a third rejected with a reason.
        var applications = new List<GrantApplication>();
        for (var i = 0; i < 3; i++)
        {
            var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder" + (i + 1)), offering.Id, host.Companies[i].Id);
            await host.PayAsync(offering, host.Companies[i], account, offering.Deposit);
            applications.Add(application);
        }

        var first = await host.Grants.DecideAsync(host.Staff, applications[0].Id, approve: true, null);
        var second = await host.Grants.DecideAsync(host.Staff, applications[1].Id, approve: true, null);
        await host.Grants.DecideAsync(host.Staff, applications[2].Id, approve: false, "竞买人不具备本宗地开发资质");

        // Bids; the first company buys at 52 million in the timed phase.
        var lotId = offering.LotId!.Value;
        await host.AdvanceToAsync(GrantHost.At(11, 23, 9, 1));
        Assert.True((await host.Bidding.SubmitAsync(lotId, first.BidderNumber!.Value, 50_000_000m, "a1")).Accepted);
        Assert.True((await host.Bidding.SubmitAsync(lotId, second.BidderNumber!.Value, 51_500_000m, "a2")).Accepted);
        await host.AdvanceToAsync(GrantHost.At(12, 4, 10));
        await host.RunLotTimerAsync(GrantHost.At(12, 4, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(lotId, first.BidderNumber!.Value, 52_000_000m, "a3")).Accepted);
        await host.RunLotTimerAsync(GrantHost.At(12, 4, 10, 6));
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Sold, offering.Stage);

        // Not archived while the result and the signatures are open: the end decides, not the close.
        var archives = host.Services.GetRequiredService<ArchiveService>();
        Assert.Null(await archives.FindAsync(offering.ProjectId));
        await host.Grants.SignAsync(host.Grantor, offering.Id);
        await host.Grants.SignAsync(GrantHost.Bidder("bidder1"), offering.Id);
        Assert.Null(await archives.FindAsync(offering.ProjectId));
        await host.CompleteAsync(instanceId, "publishResultTask", "staff");
        await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
        offering = (await host.Grants.GetAsync(offering.Id))!;
        var archive = (await archives.FindAsync(offering.ProjectId))!;
        Assert.NotNull(archive);

        using var zip = await PackageAsync(host, archive);
        var verified = await ArchiveManifest.VerifyAsync(await PackageStreamAsync(host, archive), archive.ManifestSm3);
        Assert.True(verified.IsIntact);
        var paths = verified.Manifest!.Files.Select(f => f.Path).ToList();
        Assert.DoesNotContain(paths, p => p.StartsWith("records/evaluation", StringComparison.Ordinal));

        // The offering and its 出让公告 (and the result notice) among the notices; no reserve anywhere in the offering.
        using (var record = Json(zip, "records/grant-offering.json"))
        {
            Assert.Equal(offering.Id, record.RootElement.GetProperty("id").GetGuid());
            Assert.Equal(offering.NoticeId, record.RootElement.GetProperty("notice").GetProperty("noticeId").GetGuid());
            Assert.True(record.RootElement.GetProperty("hasReserve").GetBoolean());
            Assert.DoesNotContain("51000000", record.RootElement.GetRawText(), StringComparison.Ordinal);
        }

        using (var notices = Json(zip, "records/notices.json"))
        {
            var ids = notices.RootElement.EnumerateArray().Select(n => n.GetProperty("id").GetGuid()).ToList();
            Assert.Contains(offering.NoticeId!.Value, ids);
            Assert.Contains(offering.ResultNoticeId!.Value, ids);
        }

        // Applications with their 资格审查 decisions, and the admissions with bidder numbers.
        using (var record = Json(zip, "records/grant-applications.json"))
        {
            var rows = record.RootElement.GetProperty("applications").EnumerateArray().ToList();
            Assert.Equal(3, rows.Count);
            Assert.Equal(["Approved", "Approved", "Rejected"], rows.Select(r => r.GetProperty("state").GetString()!).Order());
            Assert.Contains(rows, r => r.TryGetProperty("reason", out var reason) && reason.GetString() == "竞买人不具备本宗地开发资质");
            var admitted = record.RootElement.GetProperty("admissions").EnumerateArray().ToList();
            Assert.Equal(new[] { first.BidderNumber!.Value, second.BidderNumber!.Value }.Order(), admitted.Select(a => a.GetProperty("number").GetInt32()).Order());
        }

        // The lot's bid log: every bid with its time, bidder and amount, the hash chain, and the replay's verdict.
        var logPath = Assert.Single(paths, p => p.StartsWith("records/bid-logs/", StringComparison.Ordinal));
        Assert.Equal($"records/bid-logs/01-{lotId:N}.json", logPath);
        using (var log = Json(zip, logPath))
        {
            var verification = log.RootElement.GetProperty("verification");
            Assert.True(verification.GetProperty("valid").GetBoolean());
            Assert.Equal(3, verification.GetProperty("acceptedBids").GetInt32());
            Assert.Equal(52_000_000m, verification.GetProperty("finalPrice").GetDecimal());
            Assert.True(verification.GetProperty("outcome").GetProperty("sold").GetBoolean());
            var entries = log.RootElement.GetProperty("entries").EnumerateArray().ToList();
            var bids = entries.Where(e => e.GetProperty("kind").GetString() == "Bid").ToList();
            Assert.Equal([50_000_000m, 51_500_000m, 52_000_000m], bids.Select(b => b.GetProperty("amount").GetDecimal()));
            Assert.Equal([host.Companies[0].Name, host.Companies[1].Name, host.Companies[0].Name], bids.Select(b => b.GetProperty("bidder").GetString()!));
            Assert.All(bids, b => Assert.True(b.GetProperty("at").GetDateTimeOffset() > GrantHost.At(11, 23)));
            for (var i = 1; i < entries.Count; i++)
            {
                Assert.Equal(entries[i - 1].GetProperty("hash").GetString(), entries[i].GetProperty("previousHash").GetString());
            }

            Assert.Equal(log.RootElement.GetProperty("lot").GetProperty("lastHash").GetString(), entries[^1].GetProperty("hash").GetString());
        }

        // The result: the 成交确认书 (issued PDF in the package) with both signatures, the result notice.
        using (var record = Json(zip, "records/grant-result.json"))
        {
            var sold = record.RootElement.GetProperty("sold");
            Assert.Equal(host.Companies[0].Id, sold.GetProperty("winnerEntityId").GetGuid());
            Assert.Equal(52_000_000m, sold.GetProperty("price").GetDecimal());
            var confirmation = sold.GetProperty("confirmation");
            Assert.Equal("grantor", confirmation.GetProperty("grantor").GetProperty("signedBy").GetString());
            Assert.Equal("bidder1", confirmation.GetProperty("winner").GetProperty("signedBy").GetString());
            Assert.True(confirmation.GetProperty("isSigned").GetBoolean());
            Assert.Equal(offering.ResultNoticeId, sold.GetProperty("result").GetProperty("noticeId").GetGuid());
            Assert.False(record.RootElement.TryGetProperty("noSale", out _));
            Assert.Contains(paths, p => p.StartsWith("issued/", StringComparison.Ordinal) && p.Contains(confirmation.GetProperty("documentId").GetGuid().ToString("N"), StringComparison.Ordinal));
        }

        // The deposits: all three paid, the winner's converted to the price, the others owed back (refunds follow as supplements).
        using (var ledger = Json(zip, "records/deposit-ledger.json"))
        {
            var lines = ledger.RootElement.EnumerateArray().ToDictionary(l => l.GetProperty("entityId").GetGuid(), l => l.GetProperty("state").GetString());
            // By the state's name, as the package's other states are (never a number a reader has to look up).
            Assert.Equal(nameof(SupplementDepositState.ConvertedToPrice), lines[host.Companies[0].Id]);
            Assert.Equal(nameof(SupplementDepositState.Held), lines[host.Companies[1].Id]);
            Assert.Equal(nameof(SupplementDepositState.Held), lines[host.Companies[2].Id]);
            Assert.All(ledger.RootElement.EnumerateArray(), l => Assert.Equal(offering.Deposit, l.GetProperty("received").GetDecimal()));
        }

        Assert.Contains($"records/deposits-{await SectionCodeAsync(host, offering)}.json", paths);

        // The refund timer pays the other two back: each refund adds a supplement linked to this package.
        host.Clock.Set(GrantHost.At(12, 4, 11));
        Assert.Equal(2, await host.Services.GetRequiredService<DepositService>().RunDueRefundsAsync(10, CancellationToken.None));
        var supplements = await archives.SupplementsAsync(offering.ProjectId);
        Assert.Equal([1, 2], supplements.Select(s => s.Sequence));
        Assert.All(supplements, s => Assert.Equal(archive.ManifestSm3, s.OriginalManifestSm3));
        Assert.True((await archives.VerifyStoredAsync(offering.ProjectId)).IsIntact);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task NoSaleMineralAuction_Package_HoldsTheNoSaleRecordItsNoticeAndTheVerifiedBidLog(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var (offering, instanceId) = await host.PublishedAsync(TradeTypes.MineralRights, host.MineralAuction(), reserve: 3_200_000m);
        var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        await host.PayAsync(offering, host.Companies[0], account, offering.Deposit);
        var admitted = await host.Grants.DecideAsync(host.Staff, application.Id, approve: true, null);

        await host.AdvanceToAsync(GrantHost.At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, admitted.BidderNumber!.Value, 3_050_000m, "n1")).Accepted);
        await host.AdvanceToAsync(GrantHost.At(11, 23, 11));
        await host.AdvanceToAsync(GrantHost.At(11, 23, 11, 2));
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.NoSale, offering.Stage);
        await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);

        var archive = (await host.Services.GetRequiredService<ArchiveService>().FindAsync(offering.ProjectId))!;
        Assert.NotNull(archive);
        using var zip = await PackageAsync(host, archive);
        using (var record = Json(zip, "records/grant-result.json"))
        {
            Assert.False(record.RootElement.TryGetProperty("sold", out _));
            Assert.Equal(offering.NoSaleReason, record.RootElement.GetProperty("noSale").GetProperty("reason").GetString());
            Assert.Equal(offering.NoSaleNoticeId, record.RootElement.GetProperty("noSale").GetProperty("noticeId").GetGuid());
        }

        using (var notices = Json(zip, "records/notices.json"))
        {
            var noSale = notices.RootElement.EnumerateArray().Single(n => n.GetProperty("id").GetGuid() == offering.NoSaleNoticeId);
            Assert.Equal(nameof(NoticeKind.NoSale), noSale.GetProperty("kind").GetString());
            Assert.Contains(notices.RootElement.EnumerateArray(), n => n.GetProperty("id").GetGuid() == offering.NoticeId);
        }

        using (var log = Json(zip, $"records/bid-logs/01-{offering.LotId!.Value:N}.json"))
        {
            var verification = log.RootElement.GetProperty("verification");
            Assert.True(verification.GetProperty("valid").GetBoolean());
            Assert.False(verification.GetProperty("outcome").GetProperty("sold").GetBoolean());
            Assert.Equal(3_200_000m, verification.GetProperty("outcome").GetProperty("reserve").GetDecimal());
            var bid = Assert.Single(log.RootElement.GetProperty("entries").EnumerateArray(), e => e.GetProperty("kind").GetString() == "Bid");
            Assert.Equal(3_050_000m, bid.GetProperty("amount").GetDecimal());
            Assert.Equal(host.Companies[0].Name, bid.GetProperty("bidder").GetString());
        }

        using (var ledger = Json(zip, "records/deposit-ledger.json"))
        {
            var line = Assert.Single(ledger.RootElement.EnumerateArray());
            Assert.Equal(host.Companies[0].Id, line.GetProperty("entityId").GetGuid());
            Assert.Equal(offering.Deposit, line.GetProperty("held").GetDecimal());
        }
    }

    [Fact]
    public async Task Grantor_ReadsTheArchivesOfItsOwnOfferings_OnceArchived_NotAnotherGrantorsNorATendersNorAsABidder()
    {
        await using var host = await GrantHost.StartAsync(DatabaseProvider.Sqlite);
        var archives = host.Services.GetRequiredService<ArchiveService>();
        var grantor = new ProjectPrincipal("grantor", [PlatformRoles.Tenderee], host.Centre.Id, [host.Bureau.Id]);
        var running = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing());
        var (ended, _) = await RunToAsync(host, TradeTypes.MineralRights, End.Withdrawn);
        await host.Engine.ExecuteDueJobsAsync();
        // A tender project of the same bureau, archived: the grantor's reading is of grants only.
        var tender = await host.Services.GetRequiredService<ProjectService>().RegisterAsync(
            new ProjectActor("grantor", [PlatformRoles.Tenderee], host.Centre.Id, [new PartyRef(host.Bureau.Id, host.Bureau.Name)]),
            new ProjectInput(TradeTypes.EngineeringConstruction, TradeMethods.OpenTender, "测试市自然资源局办公楼维修工程", host.Bureau.Id, null, null, true, "530102", "房屋建筑",
                [new SectionEdit(null, new SectionDraft("一标段", 1_000_000m))]));
        await archives.ArchiveAsync(tender.Id, "staff");

        Assert.True(await archives.MayReadAsPartyAsync(grantor, ended.ProjectId));
        Assert.Equal([ended.ProjectCode], (await archives.SearchForPartyAsync(grantor, null, 0, 20)).Rows.Select(r => r.ProjectCode));
        Assert.Equal(1, (await archives.SearchForPartyAsync(grantor, ended.ProjectCode.ToLowerInvariant(), 0, 20)).Total);
        Assert.False(await archives.MayReadAsPartyAsync(grantor, running.ProjectId), "before the archive");
        Assert.False(await archives.MayReadAsPartyAsync(grantor, tender.Id), "a tender's archive");
        var another = new ProjectPrincipal("grantor2", [PlatformRoles.Tenderee], host.Centre.Id, [host.Companies[0].Id]);
        Assert.False(await archives.MayReadAsPartyAsync(another, ended.ProjectId), "another grantor");
        Assert.Empty((await archives.SearchForPartyAsync(another, null, 0, 20)).Rows);
        // Acting for the bureau is not enough without the grantor's role.
        var bidder = new ProjectPrincipal("bidder1", [PlatformRoles.Bidder], null, [host.Bureau.Id, host.Companies[0].Id]);
        Assert.False(await archives.MayReadAsPartyAsync(bidder, ended.ProjectId), "a bidder");
        Assert.Empty((await archives.SearchForPartyAsync(bidder, null, 0, 20)).Rows);

        // The package downloads as the search lists it.
        var documents = host.Services.GetRequiredService<DocumentService>();
        var package = (await documents.FindAsync((await archives.FindAsync(ended.ProjectId))!.PackageDocumentId))!;
        var tenderPackage = (await documents.FindAsync((await archives.FindAsync(tender.Id))!.PackageDocumentId))!;
        Assert.False(await documents.MayDownloadAsync(new DocumentActor("grantor", [PlatformRoles.Tenderee], host.Centre.Id), tenderPackage));
        Assert.False(await documents.MayDownloadAsync(new DocumentActor("bidder1", [PlatformRoles.Bidder], null), package));
    }

    /// <summary>Runs a fresh offering of the trade type's demo shape to the given end.</summary>
    internal static async Task<(GrantOffering Offering, Guid InstanceId)> RunToAsync(GrantHost host, string tradeType, End end)
    {
        var input = tradeType == TradeTypes.LandRights ? host.LandListing() : host.MineralAuction();
        var offering = await host.Grants.CreateAsync(host.Grantor, tradeType, input);
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: input.StartPrice);
        var instanceId = await host.InstanceOfAsync(offering);
        if (end == End.Withdrawn)
        {
            await host.Grants.WithdrawAsync(host.Grantor, offering.Id, "规划调整，撤回");
            return ((await host.Grants.GetAsync(offering.Id))!, instanceId);
        }

        await host.CompleteAsync(instanceId, "reviewOffering", "staff");
        switch (end)
        {
            case End.Terminated:
                await host.Grants.TerminateAsync(host.Grantor, offering.Id, "规划调整");
                break;
            case End.NoSale:
                await host.AdvanceToAsync(input.BiddingEnds);
                await host.AdvanceToAsync(input.BiddingEnds.AddMinutes(2));
                break;
            case End.Granted:
                var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
                await host.PayAsync(offering, host.Companies[0], account, offering.Deposit);
                var admitted = await host.Grants.DecideAsync(host.Staff, application.Id, approve: true, null);
                await host.AdvanceToAsync(input.BiddingOpens.AddMinutes(1));
                Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, admitted.BidderNumber!.Value, input.StartPrice, "only")).Accepted);
                await host.AdvanceToAsync(input.BiddingEnds);
                await host.AdvanceToAsync(input.BiddingEnds.AddMinutes(2));
                await host.Grants.SignAsync(host.Grantor, offering.Id);
                await host.Grants.SignAsync(GrantHost.Bidder("bidder1"), offering.Id);
                await host.CompleteAsync(instanceId, "publishResultTask", "staff");
                break;
        }

        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(end switch { End.Terminated => GrantStage.Terminated, End.NoSale => GrantStage.NoSale, _ => GrantStage.ResultPublished }, offering.Stage);
        return (offering, instanceId);
    }

    private static async Task<string> SectionCodeAsync(GrantHost host, GrantOffering offering)
    {
        await using var db = host.Database.Database.Create();
        return (await db.Set<Trading.Workflow.Domain.Projects.Project>().AsNoTracking().Include(p => p.Sections).SingleAsync(p => p.Id == offering.ProjectId)).Sections.Single().Code;
    }

    private static async Task<ProjectState> ProjectStateAsync(GrantHost host, Guid projectId)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<Project>().AsNoTracking().Where(p => p.Id == projectId).Select(p => p.State).SingleAsync();
    }

    private static async Task<Stream> PackageStreamAsync(GrantHost host, ProjectArchive archive)
    {
        var package = (await host.Services.GetRequiredService<DocumentService>().FindAsync(archive.PackageDocumentId))!;
        return await host.Services.GetRequiredService<IFileStore>().OpenAsync(package.Sha256);
    }

    private static async Task<ZipArchive> PackageAsync(GrantHost host, ProjectArchive archive) =>
        new(await PackageStreamAsync(host, archive), ZipArchiveMode.Read);

    private static JsonDocument Json(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(path) ?? throw new Xunit.Sdk.XunitException($"The package has no {path}: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
        using var stream = entry.Open();
        return JsonDocument.Parse(stream);
    }
}
