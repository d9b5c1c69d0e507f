using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Archive;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Documents;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// 终止 on the grantor's written request and a termination interrupted between the call-off and the procedure's message:
/// staff upload the grantor's letter (终止申请函) or are refused; the letter is a document of the offering, named with
/// its hashes in the trail, in the project's archive, seen by the grantor, staff and supervisors only; the grantor needs
/// none. A stop after the call-off is completed by the recovery exactly once (one 终止公告, one refund each), and a
/// user's retry completes it without a second call-off.
/// </summary>
public sealed class GrantTerminationRequestTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 终止申请函 test\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static GrantTerminationLetter Letter(byte[]? bytes = null, string name = "终止申请函.pdf") => new(new MemoryStream(bytes ?? Pdf), name);

    internal static async Task<GrantOffering> AnnouncedAsync(GrantHost host)
    {
        var offering = await host.Grants.CreateAsync(host.Grantor, Trades.TradeTypes.MineralRights, host.MineralAuction());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 3_100_000m);
        await host.CompleteAsync(await host.InstanceOfAsync(offering), GrantService.ReviewTask, "staff");
        return (await host.Grants.GetAsync(offering.Id))!;
    }

    internal static async Task PaidApplicantsAsync(GrantHost host, GrantOffering offering, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (_, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder" + (i + 1)), offering.Id, host.Companies[i].Id);
            await host.PayAsync(offering, host.Companies[i], account, offering.Deposit);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Staff_WithoutTheGrantorsLetter_OrWithAFileThatIsNoScan_AreRefused_TheGrantorNeedsNone(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host);

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Staff, offering.Id, "司法查封"));
        Assert.Equal(GrantRules.TerminationLetterRequired, refused.RuleCode);
        var notAScan = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Grants.TerminateAsync(host.Staff, offering.Id, "司法查封", Letter(Encoding.UTF8.GetBytes("这不是扫描件"), "终止申请函.txt")));
        Assert.StartsWith("Document.", notAScan.RuleCode, StringComparison.Ordinal);

        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.Equal(LotPhase.Scheduled, (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!.Phase);
        Assert.Empty(await host.TrailAsync("grants.termination.requested"));
        await using (var db = host.Database.Database.Create())
        {
            Assert.False(await db.Set<GrantTerminationRequest>().AnyAsync());
            Assert.False(await db.Set<Document>().AnyAsync(d => d.ProjectId == offering.ProjectId && d.Name.StartsWith("终止申请函")));
        }

        var terminated = await host.Grants.TerminateAsync(host.Grantor, offering.Id, "规划调整");

        Assert.Equal(GrantStage.Terminated, terminated.Stage);
        Assert.Contains("\"letter\":null", Assert.Single(await host.TrailAsync("grants.offering.terminated")).Data, StringComparison.Ordinal);
        Assert.Null(await host.Grants.TerminationLetterAsync(host.Grantor, terminated));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Staff_WithTheLetter_Terminate_TheLetterIsADocumentOfTheOffering_InTheTrailAndTheArchive_ForItsPartiesOnly(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host);
        await PaidApplicantsAsync(host, offering, 1);

        var terminated = await host.Grants.TerminateAsync(host.Staff, offering.Id, "司法查封（出让人书面申请）", Letter());

        Assert.Equal(GrantStage.Terminated, terminated.Stage);
        Document letter;
        await using (var db = host.Database.Database.Create())
        {
            letter = await db.Set<Document>().AsNoTracking().SingleAsync(d => d.ProjectId == offering.ProjectId && d.Name == "终止申请函.pdf");
            Assert.Equal(offering.SectionId, letter.SectionId);
            Assert.Equal(offering.CentreId, letter.CentreId);
            Assert.Equal(FileKind.Pdf, letter.Kind);
            var request = await db.Set<GrantTerminationRequest>().AsNoTracking().SingleAsync(r => r.OfferingId == offering.Id);
            Assert.Equal(letter.Id, request.LetterDocumentId);
            Assert.Equal(GrantTerminationRequest.Terminated, request.Outcome);
            Assert.Equal("staff", request.RequestedAs);
        }

        var record = Assert.Single(await host.TrailAsync("grants.offering.terminated"));
        Assert.Contains(letter.Sm3, record.Data, StringComparison.Ordinal);
        Assert.Contains(letter.Sha256, record.Data, StringComparison.Ordinal);
        Assert.Contains(letter.Id.ToString(), record.Data, StringComparison.Ordinal);
        Assert.Contains(letter.Sm3, Assert.Single(await host.TrailAsync("grants.termination.requested")).Data, StringComparison.Ordinal);

        // Listed and downloadable for the grantor, staff of the centre and supervisors; not for bidders or another grantor.
        var supervisor = new GrantActor("supervisor", "supervisor", [PlatformRoles.Supervisor], null);
        foreach (var actor in new[] { host.Grantor, host.Staff, supervisor })
        {
            var view = await host.Grants.TerminationLetterAsync(actor, terminated);
            Assert.NotNull(view);
            Assert.Equal(letter.Id, view.DocumentId);
            Assert.Equal(letter.Sm3, view.Sm3);
        }

        Assert.Null(await host.Grants.TerminationLetterAsync(GrantHost.Bidder("bidder1"), terminated));
        Assert.Null(await host.Grants.TerminationLetterAsync(new GrantActor("bidder2", "bidder2", [PlatformRoles.Tenderee], host.Centre.Id), terminated));
        var documents = host.Services.GetRequiredService<DocumentService>();
        Assert.True(await documents.MayDownloadAsync(new DocumentActor("grantor", [PlatformRoles.Tenderee], host.Centre.Id), letter));
        Assert.True(await documents.MayDownloadAsync(new DocumentActor("staff", [PlatformRoles.Staff], host.Centre.Id), letter));
        Assert.True(await documents.MayDownloadAsync(new DocumentActor("supervisor", [PlatformRoles.Supervisor], null), letter));
        Assert.False(await documents.MayDownloadAsync(new DocumentActor("bidder1", [PlatformRoles.Bidder], null), letter));
        Assert.False(await documents.MayDownloadAsync(new DocumentActor("bidder2", [PlatformRoles.Tenderee], null), letter));
        Assert.False(await documents.MayDownloadAsync(new DocumentActor("staff2", [PlatformRoles.Staff], Guid.NewGuid()), letter));

        // The project's archive carries it with its SM3.
        var archive = await host.Services.GetRequiredService<ArchiveService>().ArchiveAsync(offering.ProjectId, "staff");
        var package = (await documents.FindAsync(archive.PackageDocumentId))!;
        await using var stream = await host.Services.GetRequiredService<IFileStore>().OpenAsync(package.Sha256);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        Assert.Contains(zip.Entries, e => e.FullName.Contains(letter.Id.ToString("N"), StringComparison.Ordinal));
        using var manifest = new StreamReader(zip.GetEntry(ArchiveManifest.ManifestPath)!.Open());
        Assert.Contains(letter.Sm3, await manifest.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AStopAfterTheCallOff_IsCompletedByTheRecovery_ExactlyOnce(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host);
        await PaidApplicantsAsync(host, offering, 2);
        var instanceId = await host.InstanceOfAsync(offering);

        // What TerminateAsync does up to the stop: the request recorded, the lot called off; the message never sent.
        await host.Grants.RequestTerminationAsync(host.Staff, offering.Id, "司法查封（出让人书面申请）", Letter());
        Assert.True(await host.Bidding.CallOffAsync(offering.LotId!.Value, "司法查封（出让人书面申请）", "staff"));
        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);

        // Not before it settled: a user's own termination may still be under way.
        Assert.Equal(0, await host.Grants.ResumeTerminationsAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);

        host.Clock.Set(GrantHost.Start.AddMinutes(5));
        Assert.Equal(1, await host.Grants.ResumeTerminationsAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await host.Grants.ResumeTerminationsAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await host.Grants.ResumeTerminationsAsync(TimeSpan.Zero));

        var terminated = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Terminated, terminated.Stage);
        Assert.Equal("staff", terminated.TerminatedBy);
        Assert.Equal("司法查封（出让人书面申请）", terminated.TerminationReason);
        await host.Engine.ExecuteDueJobsAsync(); // the archive step, the engine's job (tw:async), as the scheduler runs it
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instanceId))!.State);
        Assert.Empty(await host.Engine.GetIncidentsAsync());
        var record = Assert.Single(await host.TrailAsync("grants.offering.terminated"));
        Assert.Equal("staff", record.Actor);
        Assert.Contains("\"requestedAs\":\"staff\"", record.Data, StringComparison.Ordinal);
        Assert.Single(await host.TrailAsync(BiddingTrail.CalledOff));
        await using (var db = host.Database.Database.Create())
        {
            var notices = await db.Set<Notice>().AsNoTracking().Where(n => n.Kind == NoticeKind.Termination).ToListAsync();
            Assert.Equal(terminated.TerminationNoticeId, Assert.Single(notices).Id);
            var refunds = await db.Set<ScheduledRefund>().AsNoTracking().Where(r => r.SectionId == offering.SectionId).ToListAsync();
            Assert.Equal(new[] { host.Companies[0].Id, host.Companies[1].Id }.Order(), refunds.Select(r => r.EntityId).Order());
            Assert.Contains((await db.Set<Document>().AsNoTracking().SingleAsync(d => d.ProjectId == offering.ProjectId && d.Name == "终止申请函.pdf")).Sm3, record.Data, StringComparison.Ordinal);
            Assert.Equal(GrantTerminationRequest.Terminated, (await db.Set<GrantTerminationRequest>().AsNoTracking().SingleAsync()).Outcome);
        }

        Assert.Equal(2, await host.Services.GetRequiredService<DepositService>().RunDueRefundsAsync(10, CancellationToken.None));
        Assert.Equal(0, await host.Services.GetRequiredService<DepositService>().RunDueRefundsAsync(10, CancellationToken.None));
        Assert.Equal(2, host.Bank.Transfers.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AProcedureThatWillNotTakeTheTermination_StallsTheRequest_InTheTrailOnce_ForItsPartiesToSee_AndCompletesOnceResumed(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host);
        var instanceId = await host.InstanceOfAsync(offering);
        await host.Grants.RequestTerminationAsync(host.Grantor, offering.Id, "规划调整");
        Assert.True(await host.Bidding.CallOffAsync(offering.LotId!.Value, "规划调整", "grantor"));
        await host.Engine.SuspendInstanceAsync(instanceId, "系统维护", "admin");

        host.Clock.Set(GrantHost.Start.AddMinutes(5));
        await Assert.ThrowsAsync<AggregateException>(() => host.Grants.ResumeTerminationsAsync(TimeSpan.FromMinutes(1)));
        var stalled = (await host.Grants.OpenTerminationAsync(host.Grantor, offering))!;
        Assert.True(stalled.IsStalled);
        Assert.Equal(1, stalled.FailedAttempts);
        Assert.Equal(GrantTerminationRequest.CauseSuspended, stalled.StallCause);
        Assert.Equal(GrantHost.Start.AddMinutes(5), stalled.LastAttemptAt);

        host.Clock.Set(GrantHost.Start.AddMinutes(6));
        await Assert.ThrowsAsync<AggregateException>(() => host.Grants.ResumeTerminationsAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(2, (await host.Grants.OpenTerminationAsync(host.Staff, offering))!.FailedAttempts);
        var record = Assert.Single(await host.TrailAsync("grants.termination.stalled"));
        Assert.Equal(GrantService.ProcedureActor, record.Actor);
        Assert.Contains(GrantTerminationRequest.CauseSuspended, record.Data, StringComparison.Ordinal);
        Assert.Null(await host.Grants.OpenTerminationAsync(GrantHost.Bidder("bidder1"), offering));
        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);

        await host.Engine.ResumeInstanceAsync(instanceId, "维护结束", "admin");
        Assert.Equal(1, await host.Grants.ResumeTerminationsAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(GrantStage.Terminated, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.Null(await host.Grants.OpenTerminationAsync(host.Grantor, offering));
        Assert.Single(await host.TrailAsync("grants.offering.terminated"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AUsersTermination_ThatTheProcedureWillNotTake_IsRefusedAsStalled_NotAsChanged_AndTheRecoveryFinishesIt(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host);
        var instanceId = await host.InstanceOfAsync(offering);
        await host.Engine.SuspendInstanceAsync(instanceId, "系统维护", "admin");

        var stalled = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Grantor, offering.Id, "规划调整"));
        Assert.Equal(GrantRules.TerminationStalled, stalled.RuleCode);
        var request = (await host.Grants.OpenTerminationAsync(host.Grantor, offering))!;
        Assert.Equal((1, GrantTerminationRequest.CauseSuspended), (request.FailedAttempts, request.StallCause));
        Assert.Single(await host.TrailAsync(BiddingTrail.CalledOff));

        await host.Engine.ResumeInstanceAsync(instanceId, "维护结束", "admin");
        host.Clock.Set(GrantHost.Start.AddMinutes(5));
        Assert.Equal(1, await host.Grants.ResumeTerminationsAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(GrantStage.Terminated, (await host.Grants.GetAsync(offering.Id))!.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AUsersRetry_AfterAStopAfterTheCallOff_Completes_WithoutASecondCallOff(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host);
        await host.Grants.RequestTerminationAsync(host.Grantor, offering.Id, "规划调整");
        Assert.True(await host.Bidding.CallOffAsync(offering.LotId!.Value, "规划调整", "grantor"));

        var terminated = await host.Grants.TerminateAsync(host.Grantor, offering.Id, "规划调整：宗地纳入城市更新范围");

        Assert.Equal(GrantStage.Terminated, terminated.Stage);
        Assert.Equal("规划调整：宗地纳入城市更新范围", terminated.TerminationReason);
        Assert.Single(await host.TrailAsync(BiddingTrail.CalledOff));
        Assert.Single(await host.TrailAsync("grants.offering.terminated"));
        host.Clock.Set(GrantHost.Start.AddMinutes(5));
        Assert.Equal(0, await host.Grants.ResumeTerminationsAsync(TimeSpan.Zero));
        var again = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Grantor, offering.Id, "再次终止"));
        Assert.Equal(GrantRules.AlreadyTerminated, again.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ARequestWhoseSaleClosedWithItsResultFirst_IsClosedAsRefused_AndTheResultStands(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await AnnouncedAsync(host);
        await host.Grants.RequestTerminationAsync(host.Grantor, offering.Id, "不可抗力");

        // The stop lasted past the auction's end: the deadline decided, the lot closes with its result.
        host.Clock.Set(GrantHost.At(11, 23, 11, 5));
        Assert.Equal(0, await host.Grants.ResumeTerminationsAsync(TimeSpan.FromMinutes(1)));

        Assert.Equal(LotPhase.Closed, (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!.Phase);
        Assert.NotEqual(GrantStage.Terminated, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.Empty(await host.TrailAsync("grants.offering.terminated"));
        await using var db = host.Database.Database.Create();
        Assert.Equal(GrantTerminationRequest.Refused, (await db.Set<GrantTerminationRequest>().AsNoTracking().SingleAsync()).Outcome);
    }
}
