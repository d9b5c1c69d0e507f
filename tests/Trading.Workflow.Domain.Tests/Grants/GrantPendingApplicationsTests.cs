using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// An application staff never decided does not wait for ever: at the close the procedure settles it as not admitted, with
/// the reason, in the trail, and nobody can decide it afterwards; the bidder still reads its own application, and its
/// users are told, with the reason, in their own language.
/// </summary>
public sealed class GrantPendingApplicationsTests
{
    private static DateTimeOffset At(int month, int day, int hour = 9, int minute = 0) => GrantHost.At(month, day, hour, minute);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Close_ApplicationStillPending_SettledAsNotAdmitted_WithTheReason_InTheTrail(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await GrantWalkTests.AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, null);
        var (admitted, account1) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        var (pending, account2) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder2"), offering.Id, host.Companies[1].Id);
        await host.PayAsync(offering, host.Companies[0], account1, offering.Deposit);
        await host.PayAsync(offering, host.Companies[1], account2, offering.Deposit);
        admitted = await host.Grants.DecideAsync(host.Staff, admitted.Id, approve: true, null);

        await host.AdvanceToAsync(At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, admitted.BidderNumber!.Value, offering.StartPrice, "a1")).Accepted);
        await host.RunLotTimerAsync(At(11, 23, 11, 1));
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Sold, offering.Stage);

        var settled = (await host.Grants.ApplicationsAsync(offering.Id)).Single(a => a.Id == pending.Id);
        Assert.Equal(GrantApplicationState.NotAdmitted, settled.State);
        Assert.Equal(GrantApplication.NotAdmittedReason, settled.Reason);
        Assert.Equal(GrantService.ProcedureActor, settled.DecidedBy);
        Assert.Null(settled.BidderNumber);
        Assert.Equal(GrantApplicationState.Approved, (await host.Grants.ApplicationsAsync(offering.Id)).Single(a => a.Id == admitted.Id).State);
        var record = Assert.Single(await host.TrailAsync("grants.application.not-admitted"));
        Assert.Contains(pending.Id.ToString(), record.Data, StringComparison.Ordinal);
        Assert.Contains(host.Companies[1].Id.ToString(), record.Data, StringComparison.Ordinal);

        var late = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.DecideAsync(host.Staff, pending.Id, approve: true, null));
        Assert.Equal(GrantRules.WrongStage, late.RuleCode);
        var own = Assert.Single(await host.Grants.ApplicationsForAsync(GrantHost.Bidder("bidder2"), offering));
        Assert.Equal(GrantApplicationState.NotAdmitted, own.State);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Close_ApplicationsStillPending_TheirUsersAreToldTheyWereNotAdmitted_WithTheReason_InTheirLanguage(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        host.ReadsEnglish("bidder3");
        var offering = await GrantWalkTests.AnnouncedAsync(host, host.MineralAuction(), TradeTypes.MineralRights, null);
        var (admitted, account1) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        await host.Grants.ApplyAsync(GrantHost.Bidder("bidder2"), offering.Id, host.Companies[1].Id);
        await host.Grants.ApplyAsync(GrantHost.Bidder("bidder3"), offering.Id, host.Companies[2].Id);
        await host.PayAsync(offering, host.Companies[0], account1, offering.Deposit);
        admitted = await host.Grants.DecideAsync(host.Staff, admitted.Id, approve: true, null);
        await host.AdvanceToAsync(At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(offering.LotId!.Value, admitted.BidderNumber!.Value, offering.StartPrice, "a1")).Accepted);
        await host.RunLotTimerAsync(At(11, 23, 11, 1));

        await host.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();

        await using var db = host.Database.Database.Create();
        var told = await db.Set<Notification>().AsNoTracking().Where(n => n.Template == GrantNotificationRules.NotAdmitted).OrderBy(n => n.UserId).ToListAsync();
        Assert.Equal(["bidder2", "bidder3"], told.Select(n => n.UserId));
        var chinese = told[0];
        Assert.Equal($"竞买申请未获准参加竞价：{offering.ProjectCode}", chinese.Title);
        Assert.Contains("未获准参加竞价，原因：竞价结束时竞买资格尚未确认。", chinese.Body, StringComparison.Ordinal);
        Assert.Contains("2026-11-23 11:00", chinese.Body, StringComparison.Ordinal);
        Assert.Equal($"/grants/{offering.Id}", chinese.Link);
        var english = told[1];
        Assert.Equal($"Bidding application not admitted: {offering.ProjectCode}", english.Title);
        Assert.Contains("not admitted to it. Reason: eligibility was not confirmed before the bidding closed.", english.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("竞价结束时", english.Body, StringComparison.Ordinal);
    }
}
