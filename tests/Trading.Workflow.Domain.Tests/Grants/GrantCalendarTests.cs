using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// Grants count working days on the platform's calendar: a year after the last one entered counts provisionally (as the
/// web host registers it), and a year the calendar cannot count is refused with <see cref="GrantRules.CalendarYearMissing"/>
/// naming it — at submission, at a termination (its refunds' due date) and at the close (the result's due date) — never
/// the calendar's own exception. The host's calendar holds 2025 and 2026 only and, unless said, counts no later year.
/// </summary>
public sealed class GrantCalendarTests
{
    private static readonly DateTimeOffset Today = new(2026, 12, 6, 10, 0, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset At(int year, int month, int day, int hour = 9, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    // What the web host registers (PlatformWorkflowExtensions): later years counted on the statutory holidays.
    private static void ProvisionalCalendar(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton(sp => new ReloadableBusinessCalendar(sp.GetRequiredService<IHolidayCalendarSource>(), sp.GetRequiredService<TimeProvider>())
        {
            ProvisionalFutureYears = true,
        }));

    private static GrantOfferingInput ListingIn2027(GrantHost host, int endsOn) =>
        host.LandListing(opens: At(2027, 3, 1), ends: At(2027, 3, endsOn, 10)) with { ApplicationDeadline = At(2027, 3, endsOn - 1, 17) };

    private static void AssertMissing2027(DomainRuleException error)
    {
        Assert.Equal(GrantRules.CalendarYearMissing, error.RuleCode);
        Assert.Equal(2027, error.Data[GrantRules.DataYear]);
        Assert.Contains("/administration/calendar", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Submit_ListingIn2027_OnTheProvisionalCalendar_IsCounted(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider, configure: ProvisionalCalendar);
        host.Clock.Set(Today);

        // 1 to 11 March 2027 has 9 working days: refused as too short, which needs 2027 counted.
        var tooShort = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, ListingIn2027(host, 11));
        var error = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SubmitAsync(host.Grantor, tooShort.Id, tooShort.Version, 52_000_000m));
        Assert.Equal(GrantRules.ListingTooShort, error.RuleCode);
        Assert.Contains("has 9", error.Message, StringComparison.Ordinal);

        var offering = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, ListingIn2027(host, 12));
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, 52_000_000m);
        Assert.Equal(GrantStage.Submitted, offering.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Submit_DatesInAYearTheCalendarCannotCount_RefusedNamingTheYear_NothingCreated(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        host.Clock.Set(Today);
        var offering = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, ListingIn2027(host, 12));

        AssertMissing2027(await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, 52_000_000m)));
        Assert.Empty(await host.Bidding.Store.ListLotsAsync(offering.SectionId));
        Assert.Equal(GrantStage.Draft, (await host.Grants.GetAsync(offering.Id))!.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Terminate_RefundsDueInAYearTheCalendarCannotCount_RefusedBeforeTheLotIsCalledOff(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await GrantWalkTests.AnnouncedAsync(host, AuctionOn30December(host), TradeTypes.MineralRights, null);

        // On 28 Dec the refunds would be due 5 working days later, in 2027.
        host.Clock.Set(At(2026, 12, 28));
        AssertMissing2027(await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.TerminateAsync(host.Grantor, offering.Id, "规划调整")));
        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(offering.Id))!.Stage);
        Assert.NotEqual(LotPhase.CalledOff, (await host.Bidding.Store.FindLotAsync(offering.LotId!.Value))!.Phase);
        await using var db = host.Database.Database.Create();
        Assert.False(await db.Set<GrantTerminationRequest>().AnyAsync(r => r.OfferingId == offering.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Close_ResultDueInAYearTheCalendarCannotCount_StepRefusedNamingTheYear_RecordedOnceTheYearIsEntered(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await GrantWalkTests.AnnouncedAsync(host, AuctionOn30December(host), TradeTypes.MineralRights, null);
        var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        await host.PayAsync(offering, host.Companies[0], account, offering.Deposit);
        application = await host.Grants.DecideAsync(host.Staff, application.Id, approve: true, null);
        var lotId = offering.LotId!.Value;
        await host.RunLotTimerAsync(At(2026, 12, 30, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(lotId, application.BidderNumber!.Value, offering.StartPrice, "m1")).Accepted);

        // Closed on 30 Dec: the result is due 5 working days later, in 2027. The close hook's message fails (logged, tried
        // again at the next poll) and so does staff's fallback, with the rule rather than the calendar's exception.
        await host.RunLotTimerAsync(At(2026, 12, 30, 11, 1));
        Assert.Equal(LotPhase.Closed, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);
        Assert.Null((await host.Grants.GetAsync(offering.Id))!.ClosedAt);
        var failed = await Assert.ThrowsAsync<WorkflowHandlerException>(() => host.Grants.CorrelateClosedLotsAsync());
        AssertMissing2027(Assert.IsType<DomainRuleException>(failed.InnerException));

        // An administrator enters 2027: the close is recorded.
        await host.Services.GetRequiredService<ReloadableBusinessCalendar>().SaveYearAsync(ProvisionalHolidays.For(2027), "admin");
        Assert.Equal(1, await host.Grants.CorrelateClosedLotsAsync());
        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Sold, offering.Stage);
        Assert.Equal(2027, offering.ResultDueAt!.Value.ToOffset(TimeSpan.FromHours(8)).Year);
    }

    // A mining-right auction on 30 Dec 2026, 10:00–11:00, applications by 29 Dec 17:00 (notice on 2 Nov).
    private static GrantOfferingInput AuctionOn30December(GrantHost host) =>
        host.MineralAuction() with { ApplicationDeadline = At(2026, 12, 29, 17), BiddingOpens = At(2026, 12, 30, 10), BiddingEnds = At(2026, 12, 30, 11) };
}
