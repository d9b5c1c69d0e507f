using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Credit;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Participations;
using Trading.Workflow.Domain.Tests.SealedBids;
using Trading.Workflow.Domain.Tests.Warnings;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Domain.Warnings;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Credit;

/// <summary>
/// Credit records on a real database: recorded and revoked by supervisors only, with the trail and the subject's
/// notification, never edited; a barring sanction in force refused by participation, sealed bids and live bidding.
/// </summary>
public sealed class CreditServiceTests
{
    // SealedBidsHost.Start is 2026-12-02 10:00 in China.
    private static readonly DateOnly Today = new(2026, 12, 2);

    private static CreditViewer Supervisor => new("supervisor", "supervisor-id", [PlatformRoles.Supervisor], null);

    private static CreditRecordInput Bar(Guid entityId, DateOnly from, DateOnly until, Guid? warningId = null) =>
        new(CreditSubjectKind.MarketEntity, entityId, CreditRecordKind.Sanction, CreditCategory.CollusiveBidding, "《招标投标法实施条例》第六十七条",
            "演监罚〔2026〕1号", "与其他投标人串通投标", new DateOnly(2026, 12, 1), true, from, until, warningId);

    private static CreditService Credit(WarningsHost host) => host.Bids.Services.GetRequiredService<CreditService>();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Record_AndRevoke_BySupervisor_GoOnTheTrail_AndNotifyTheEntitysUsers(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        var bidder = await host.BidderAsync("bidder", "张一", "13800000001");

        var record = await Credit(host).RecordAsync(Supervisor, Bar(bidder.EntityId, Today, Today.AddYears(1)));
        var revoked = await Credit(host).RevokeAsync(Supervisor, record.Id, record.Version, "决定被行政复议撤销");

        Assert.Equal(("测试1号建设有限公司", CreditRecordKind.Sanction, "supervisor"), (record.SubjectName, record.Kind, record.IssuedBy));
        Assert.StartsWith("91350100M000100Y4", record.SubjectCode, StringComparison.Ordinal);
        Assert.Equal(host.Bids.Projects.Province.Id, record.CentreId);
        Assert.Equal(("supervisor", "决定被行政复议撤销"), (revoked.RevokedBy, revoked.RevocationReason));
        var recorded = Assert.Single(await host.TrailAsync(CreditService.RecordedAction));
        Assert.Contains(bidder.EntityId.ToString(), recorded.Data, StringComparison.Ordinal);
        Assert.Single(await host.TrailAsync(CreditService.RevokedAction));

        await host.Bids.Services.GetRequiredService<TrailNotificationDispatcher>().DispatchAsync();
        await using var db = host.Bids.Projects.Database.Database.Create();
        var notes = await db.Set<Notification>().AsNoTracking().Where(n => n.UserId == "bidder" && n.Template.StartsWith("credit.")).ToListAsync();
        Assert.Equal([CreditNotificationRules.BarTemplate, CreditNotificationRules.RevokedTemplate], notes.Select(n => n.Template).Order(StringComparer.Ordinal));
        Assert.Contains("演监罚〔2026〕1号", notes.Single(n => n.Template == CreditNotificationRules.BarTemplate).Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Record_RefusesNonSupervisors_BadPeriods_AndARecordIsNeverEditedOrDeleted(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        var bidder = await host.BidderAsync("bidder", "张一", "13800000001");
        var staff = new CreditViewer("staff", "staff-id", [PlatformRoles.Staff], host.Bids.Projects.City.Id);

        async Task<string> Refused(CreditViewer viewer, CreditRecordInput input) =>
            (await Assert.ThrowsAsync<DomainRuleException>(() => Credit(host).RecordAsync(viewer, input))).RuleCode;

        Assert.Equal(CreditRules.SupervisorOnly, await Refused(staff, Bar(bidder.EntityId, Today, Today.AddYears(1))));
        Assert.Equal(CreditRules.PeriodInvalid, await Refused(Supervisor, Bar(bidder.EntityId, Today, Today.AddDays(-1))));
        Assert.Equal(CreditRules.PeriodTooLong, await Refused(Supervisor, Bar(bidder.EntityId, Today, Today.AddYears(3))));
        Assert.Equal(CreditRules.PeriodRequired, await Refused(Supervisor, Bar(bidder.EntityId, Today, Today) with { BarUntil = null }));
        Assert.Equal(CreditRules.DecisionNumberRequired, await Refused(Supervisor, Bar(bidder.EntityId, Today, Today) with { DecisionNumber = " " }));
        Assert.Equal(CreditRules.GoodRecordCannotBar, await Refused(Supervisor, Bar(bidder.EntityId, Today, Today) with { Kind = CreditRecordKind.GoodRecord }));
        Assert.Equal(CreditRules.SubjectNotFound, await Refused(Supervisor, Bar(Guid.NewGuid(), Today, Today)));
        Assert.Equal(CreditRules.WarningNotConfirmed, await Refused(Supervisor, Bar(bidder.EntityId, Today, Today, Guid.NewGuid())));
        Assert.Empty(await host.TrailAsync(CreditService.RecordedAction));

        var record = await Credit(host).RecordAsync(Supervisor, Bar(bidder.EntityId, Today, Today.AddYears(3).AddDays(-1)));
        Assert.Equal(CreditRules.SupervisorOnly,
            (await Assert.ThrowsAsync<DomainRuleException>(() => Credit(host).RevokeAsync(staff, record.Id, record.Version, "x"))).RuleCode);
        Assert.Equal(CreditRules.RevocationReasonRequired,
            (await Assert.ThrowsAsync<DomainRuleException>(() => Credit(host).RevokeAsync(Supervisor, record.Id, record.Version, " "))).RuleCode);

        // The database itself refuses an edit of the decision or a deletion.
        await using var db = host.Bids.Projects.Database.Database.Create();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Set<CreditRecord>().Where(r => r.Id == record.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.DecisionNumber, "改")));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Set<CreditRecord>().Where(r => r.Id == record.Id).ExecuteDeleteAsync());
        Assert.Equal("演监罚〔2026〕1号", (await db.Set<CreditRecord>().AsNoTracking().SingleAsync(r => r.Id == record.Id)).DecisionNumber);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ABarInForce_IsAnEligibilityProblem_WithItsLastDay_OnlyWithinItsDays_AndNotOnceRevoked(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        var bidder = await host.BidderAsync("bidder", "张一", "13800000001");
        var eligibility = host.Bids.Services.GetRequiredService<IParticipationEligibility>();
        var record = await Credit(host).RecordAsync(Supervisor, Bar(bidder.EntityId, Today.AddDays(1), Today.AddDays(30)));

        // Not yet: the bar starts tomorrow (China days).
        Assert.True((await eligibility.CheckAsync(bidder.EntityId, Array.Empty<string>(), SealedBidsHost.Start)).IsEligible);
        var barred = await eligibility.CheckAsync(bidder.EntityId, Array.Empty<string>(), SealedBidsHost.Start.AddDays(1));
        var problem = Assert.Single(barred.Problems);
        Assert.Equal((MarketRules.Barred, Today.AddDays(30), "演监罚〔2026〕1号"), (problem.RuleCode, problem.BarredUntil, problem.Decision));
        // The last day is included; the day after it is free again.
        Assert.False((await eligibility.CheckAsync(bidder.EntityId, Array.Empty<string>(), SealedBidsHost.Start.AddDays(30))).IsEligible);
        Assert.True((await eligibility.CheckAsync(bidder.EntityId, Array.Empty<string>(), SealedBidsHost.Start.AddDays(31))).IsEligible);

        // Participation (every trade type's registration) refuses the barred entity.
        host.Bids.Clock.Advance(TimeSpan.FromDays(2));
        var second = host.Bids.Project.Sections.OrderBy(s => s.Number).Last();
        var refused = await Assert.ThrowsAsync<DomainRuleException>(() =>
            host.Bids.Participations.EnsureAsync(second.Id, bidder.EntityId, ParticipationOrigin.DocumentsDownloaded, "bidder"));
        Assert.Equal(ParticipationRules.NotEligible, refused.RuleCode);
        Assert.Contains(MarketRules.Barred, refused.Message, StringComparison.Ordinal);

        await Credit(host).RevokeAsync(Supervisor, record.Id, record.Version, "撤销");
        Assert.True((await eligibility.CheckAsync(bidder.EntityId, Array.Empty<string>(), SealedBidsHost.Start.AddDays(2))).IsEligible);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ABarRecordedAfterJoining_StopsTheNextSealedBid_AndTheNextLiveBid(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.Bids.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var bidder = await host.BidderAsync("bidder", "张一", "13800000001");
        await host.SubmitAsync(bidder);
        var bidding = host.Bids.Services.GetRequiredService<IBiddingEligibility>();
        Assert.DoesNotContain(MarketRules.Barred, await bidding.ProblemsAsync(host.SectionId, bidder.EntityId));

        await Credit(host).RecordAsync(Supervisor, Bar(bidder.EntityId, Today, Today.AddYears(1)));

        var refused = await Assert.ThrowsAsync<DomainRuleException>(() => host.SubmitAsync(bidder, version: 2));
        Assert.Equal(MarketRules.Barred, refused.RuleCode);
        Assert.Contains(MarketRules.Barred, await bidding.ProblemsAsync(host.SectionId, bidder.EntityId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AConfirmedWarning_LeadsToASanctionOnItsBidders_AndThePublishedListShowsOnlyWhatTheLawPublishes(DatabaseProvider provider)
    {
        await using var host = await WarningsHost.StartAsync(provider);
        await host.Bids.SetDeadlineAsync(SealedBidsHost.Start.AddDays(20));
        var a = await host.BidderAsync("bidder", "张三", "13800000001");
        var b = await host.BidderAsync("bidder2", "张三", "13800000002");
        await host.ComputeAsync();
        var warning = (await host.StoredAsync()).First();
        var open = Bar(a.EntityId, Today, Today.AddYears(1), warning.Id);
        Assert.Equal(CreditRules.WarningNotConfirmed, (await Assert.ThrowsAsync<DomainRuleException>(() => Credit(host).RecordAsync(Supervisor, open))).RuleCode);
        await host.Warnings.ReviewAsync(host.Supervisor, warning.Id, warning.Version, confirm: true, "移交调查");

        var record = await Credit(host).RecordAsync(Supervisor, open);
        var other = await Credit(host).RecordAsync(Supervisor, Bar(b.EntityId, Today, Today.AddYears(1)) with { DecisionNumber = "演监罚〔2026〕2号" });
        await Credit(host).RevokeAsync(Supervisor, other.Id, other.Version, "内部原因不公开");
        await Credit(host).RecordAsync(Supervisor, Bar(b.EntityId, Today, Today) with { Kind = CreditRecordKind.GoodRecord, BarsParticipation = false, Category = CreditCategory.Commendation });

        Assert.Equal(warning.Id, record.WarningId);
        var published = await Credit(host).PublishedAsync();
        Assert.Equal(2, published.Count);
        var shown = published.Single(p => p.Id == record.Id);
        Assert.Equal(("测试1号建设有限公司", CreditCategory.CollusiveBidding, "演监罚〔2026〕1号", Today.AddYears(1), "测试省中心", false),
            (shown.SubjectName, shown.Category, shown.DecisionNumber, shown.BarUntil, shown.CentreNameZh, shown.Revoked));
        Assert.True(published.Single(p => p.Id == other.Id).Revoked);
        // Nothing internal: the published shape carries no reason, no revocation reason and no user name.
        Assert.DoesNotContain(typeof(PublicSanction).GetProperties(), p => p.Name is "Reason" or "RevocationReason" or "IssuedBy" or "RevokedBy");
    }
}
