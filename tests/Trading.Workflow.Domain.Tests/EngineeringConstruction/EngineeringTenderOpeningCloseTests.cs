using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Access;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.EngineeringConstruction;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Openings;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.SealedBids.Crypto;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>
/// The shipped <c>engineering-tender.bpmn</c> with the real opening: the host's early close of the opening moves the
/// procedure on at once when it closes the last session of the instance, not at the window's end.
/// </summary>
public sealed class EngineeringTenderOpeningCloseTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task HostClosesTheOnlySessionEarly_ProcedureGoesOnToTheCommitteeWithoutTheTimer(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var (project, instanceId, sessions) = await DecryptedAsync(host, 301, sections: 1);
        var session = Assert.Single(sessions);
        Assert.Contains(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "decryptionWindow");

        var record = await host.Services.GetRequiredService<OpeningService>().CloseByHostAsync(session.Id, "staff");

        Assert.True(host.Clock.GetUtcNow() < session.WindowEndsAt);
        Assert.Equal(["requestCommittee"], await host.OpenTaskElementsAsync(instanceId));
        Assert.DoesNotContain(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "decryptionWindow");
        Assert.Equal(TenderStage.Opened, (await host.Tenders.FindAsync(project.Id))!.Stage);
        Assert.Equal(record.Sm3, (await host.Engine.GetVariablesAsync(instanceId))[OpeningVariables.RecordSm3]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task HostClosesOneSectionOfTwo_ProcedureWaits_UntilTheLastIsClosed(DatabaseProvider provider)
    {
        await using var host = await StartAsync(provider);
        var (project, instanceId, sessions) = await DecryptedAsync(host, 302, sections: 2);
        var openings = host.Services.GetRequiredService<OpeningService>();

        await openings.CloseByHostAsync(sessions[0].Id, "staff");

        Assert.Empty(await host.OpenTaskElementsAsync(instanceId));
        Assert.Contains(await host.Engine.GetTimersAsync(instanceId), t => t.ElementId == "decryptionWindow");
        Assert.Contains(await host.Engine.GetSubscriptionsAsync(instanceId), s => s.ElementId == "openingsClosedEarly");
        Assert.Equal(TenderStage.Opening, (await host.Tenders.FindAsync(project.Id))!.Stage);

        await openings.CloseByHostAsync(sessions[1].Id, "staff");

        Assert.Equal(["requestCommittee"], await host.OpenTaskElementsAsync(instanceId));
        Assert.Empty(await host.Engine.GetTimersAsync(instanceId));
        Assert.Equal(TenderStage.Opened, (await host.Tenders.FindAsync(project.Id))!.Stage);
    }

    private static async Task<TenderHost> StartAsync(DatabaseProvider provider)
    {
        var accounts = new EngineeringTenderFullProcedureTests.Accounts();
        var host = await TenderHost.StartAsync(provider, services =>
        {
            services.AddSingleton<IUserDirectory>(accounts);
            services.AddSingleton<INotificationRecipientDirectory>(accounts);
            services.AddSingleton<IPlatformDirectory>(accounts);
        }, realOpening: true);
        accounts.Add("tenderee", PlatformRoles.Tenderee);
        for (var i = 1; i <= 3; i++)
        {
            accounts.Add("bidder" + i, PlatformRoles.Bidder);
        }

        return host;
    }

    /// <summary>Three bidders bid in every section; at the deadline each section opens and every bid is decrypted.</summary>
    private static async Task<(Project Project, Guid InstanceId, IReadOnlyList<OpeningSession> Sessions)> DecryptedAsync(TenderHost host, int sequence, int sections)
    {
        var (project, instanceId) = await host.StartProjectAsync(sequence, sections: sections);
        var document = await host.UploadAsync(project.Id, "招标文件.pdf");
        var boq = await host.UploadAsync(project.Id, "工程量清单.pdf");
        await host.Tenders.ScheduleAsync(project.Id, new TenderSchedule([document], boq, At(11, 4), At(11, 9, 17), At(11, 24, 9, 30)), TenderHost.Tenderee);
        await host.PublishNoticeAsync(project);
        await host.Engine.CompleteTaskAsync(Assert.Single(await host.Engine.GetTasksAsync(new Engine.Runtime.TaskQuery { InstanceId = instanceId })).Id, null, "tenderee");
        await host.AdvanceToAsync(At(11, 4, 10));

        var keys = new List<SealedBidsHost.Bidder>();
        for (var i = 0; i < 3; i++)
        {
            await host.Tenders.RecordDownloadAsync(project.Id, document, host.Bidders[i].Id, TenderHost.Bidder(i + 1));
            keys.Add(await host.BidderKeyAsync(i));
            foreach (var section in project.Sections)
            {
                await host.SealAndSubmitAsync(project.Id, section.Id, keys[i], (4_650_000 + (i * 10_000)).ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        await host.AdvanceToAsync(At(11, 24, 9, 30));
        var openings = host.Services.GetRequiredService<OpeningService>();
        var sessions = new List<OpeningSession>();
        foreach (var section in project.Sections.OrderBy(s => s.Number))
        {
            var session = (await openings.ForSectionAsync(section.Id))!;
            Assert.Equal((OpeningState.Decrypting, 3), (session.State, session.BidCount));
            foreach (var bidder in keys)
            {
                var key = Convert.ToHexString(Sm2.Decrypt(bidder.Keys.PrivateKeyHex, await openings.WrappedKeyAsync(session.Id, bidder.EntityId)));
                Assert.Equal(OpeningBidState.Decrypted, (await openings.DecryptAsync(new DecryptionRequest(session.Id, bidder.EntityId, bidder.User, key))).State);
            }

            sessions.Add(session);
        }

        return (project, instanceId, sessions);
    }
}
