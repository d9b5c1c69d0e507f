using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Calendar;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>The grant rules: the 20 日 notice on the calendar, the 10 WD listing, the application deadline, deposits.</summary>
public sealed class GrantRulesTests
{
    private static readonly GrantLimits Land = GrantLimits.LandDefaults();
    private static readonly BusinessCalendar Calendar = BusinessCalendar.Official;

    private static DateTimeOffset At(int month, int day, int hour = 9) => GrantHost.At(month, day, hour);

    private static GrantOfferingInput Listing(DateTimeOffset opens, DateTimeOffset ends, DateTimeOffset? deadline = null, decimal deposit = 1_000_000m) => new(
        "宗地", Guid.NewGuid(), "530102", GrantMode.Listing, new GrantParcel("位置", 100m, "住宅", 70, "容积率 2.0"),
        10_000_000m, 100_000m, deposit, deadline ?? ends.AddDays(-1), opens, ends);

    [Fact]
    public void Notice_TwentyDaysRolledOverTheWeekend_Accepted()
    {
        // Notice Mon 2 Nov: day 20 is Sun 22 Nov, so Mon 23 Nov is the earliest start.
        Assert.Equal(new DateOnly(2026, 11, 23), GrantSchedule.EarliestStart(At(11, 2), 20, Calendar));
        GrantSchedule.CheckDates(Listing(At(11, 23), At(12, 4, 10)), At(11, 2), Land, Calendar);
    }

    [Fact]
    public void Notice_StartOnTheTwentiethDayThatIsASunday_RefusedWithTheEarliestDate()
    {
        var error = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckDates(Listing(At(11, 22), At(12, 4, 10)), At(11, 2), Land, Calendar));
        Assert.Equal(GrantRules.NoticeTooShort, error.RuleCode);
        Assert.Contains("2026-11-23", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Listing_NineWorkingDays_Refused()
    {
        var error = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckDates(Listing(At(11, 23), At(12, 3, 10)), At(11, 2), Land, Calendar));
        Assert.Equal(GrantRules.ListingTooShort, error.RuleCode);
    }

    [Fact]
    public void Listing_OverTheNationalDayHoliday_CountsWorkingDaysOnly()
    {
        // 28 Sep – 12 Oct 2026: 1–7 Oct off, Sat 10 Oct worked; 28, 29, 30 Sep, 8, 9, 10, 12 Oct = 7 WD.
        Assert.Equal(7, GrantSchedule.ListingWorkingDays(At(9, 28), At(10, 12), Calendar));
    }

    [Fact]
    public void Deadline_AfterTheAuctionStarts_Refused()
    {
        var input = Listing(At(11, 23), At(11, 23, 11), deadline: At(11, 23, 10)) with { Mode = GrantMode.Auction };
        var error = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckDates(input, At(11, 2), Land, Calendar));
        Assert.Equal(GrantRules.DeadlineInvalid, error.RuleCode);
    }

    [Fact]
    public void MineralTender_NeedsThirtyDaysNotice()
    {
        var mineral = GrantLimits.MineralDefaults();
        var input = Listing(At(11, 23), At(11, 23, 11), deadline: At(11, 20)) with { Mode = GrantMode.Tender };
        var error = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckDates(input, At(11, 2), mineral, Calendar));
        Assert.Equal(GrantRules.NoticeTooShort, error.RuleCode);
        GrantSchedule.CheckDates(input with { BiddingOpens = At(12, 2), BiddingEnds = At(12, 2, 11) }, At(11, 2), mineral, Calendar);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000_001)]
    [InlineData(0.001)]
    public void Deposit_NotPositiveFenUpToTheStartPrice_Refused(double deposit)
    {
        var error = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckTerms(Listing(At(11, 23), At(12, 4)) with { Deposit = (decimal)deposit }, Land));
        Assert.Equal(GrantRules.DepositInvalid, error.RuleCode);
    }

    [Fact]
    public void Options_LandBelowTheStatute_Refused()
    {
        var options = new GrantOptions();
        options.Limits[TradeTypes.LandRights] = new GrantLimits { NoticeDays = 15, RefundWorkingDays = 7 };
        var failures = options.Validate().ToList();
        Assert.Equal(2, failures.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Submit_NoticeTooShort_RefusedAndNoLotCreated(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing(opens: At(11, 20), ends: At(12, 4, 10)));
        var error = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, 52_000_000m));
        Assert.Equal(GrantRules.NoticeTooShort, error.RuleCode);
        Assert.Empty(await host.Bidding.Store.ListLotsAsync(offering.SectionId));
        Assert.Equal(GrantStage.Draft, (await host.Grants.GetAsync(offering.Id))!.Stage);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Approve_DepositArrivedAfterTheDeadline_Refused(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing());
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, null);
        await host.CompleteAsync(await host.InstanceOfAsync(offering), "reviewOffering", "staff");
        var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder("bidder1"), offering.Id, host.Companies[0].Id);
        var unpaid = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.DecideAsync(host.Staff, application.Id, true, null));
        Assert.Equal(GrantRules.DepositNotArrived, unpaid.RuleCode);
        host.Clock.Set(At(12, 2, 18));
        await host.PayAsync(offering, host.Companies[0], account, offering.Deposit);
        var late = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.DecideAsync(host.Staff, application.Id, true, null));
        Assert.Equal(GrantRules.DepositNotPaid, late.RuleCode);
        var grantor = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.DecideAsync(host.Grantor, application.Id, true, null));
        Assert.Equal(GrantRules.NotAllowed, grantor.RuleCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task DemoSchedule_OnADemoCentre_CompressesTheDatesAndRecordsIt_RefusedElsewhere(DatabaseProvider provider)
    {
        await using (var plain = await GrantHost.StartAsync(provider))
        {
            var offering = await plain.Grants.CreateAsync(plain.Grantor, TradeTypes.LandRights, plain.LandListing());
            var error = await Assert.ThrowsAsync<DomainRuleException>(() => plain.Grants.SubmitAsync(plain.Grantor, offering.Id, offering.Version, null, GrantDemoSchedule.Default));
            Assert.Equal(GrantRules.DemoOnly, error.RuleCode);
        }

        await using var host = await GrantHost.StartAsync(provider, demoCentre: true);
        var demo = await host.Grants.CreateAsync(host.Grantor, TradeTypes.MineralRights, host.MineralAuction());
        demo = await host.Grants.SubmitAsync(host.Grantor, demo.Id, demo.Version, 3_100_000m, GrantDemoSchedule.Default);
        Assert.True(demo.DemoSchedule);
        Assert.Equal(GrantHost.Start.AddMinutes(15), demo.BiddingOpens);
        Assert.Equal(GrantHost.Start.AddMinutes(35), demo.BiddingEnds);
        Assert.Equal(demo.BiddingOpens, demo.ApplicationDeadline);
        Assert.Single(await host.TrailAsync("grants.offering.demo-compressed"));

        // The notice is published at once (the demo skips the 20 日), labelled demo data.
        await host.CompleteAsync(await host.InstanceOfAsync(demo), "reviewOffering", "staff");
        Assert.Equal(GrantStage.Announced, (await host.Grants.GetAsync(demo.Id))!.Stage);
    }
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task DemoNotice_AfterTheDemoApplicationDeadline_RefusedWithTheDeadline_PublishedBefore(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider, demoCentre: true);
        var late = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing());
        late = await host.Grants.SubmitAsync(host.Grantor, late.Id, late.Version, null, new GrantDemoSchedule(TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(2)));
        host.Grants.CheckPublishable(late, late.BiddingOpens.AddSeconds(-1));
        // A listing takes applications into its free period, but its lot does not open unannounced (GrantLotOpeningGate).
        var opened = Assert.Throws<DomainRuleException>(() => host.Grants.CheckPublishable(late, late.ApplicationDeadline.AddSeconds(-1)));
        Assert.Equal(GrantRules.NoticeAfterOpening, opened.RuleCode);

        var error = Assert.Throws<DomainRuleException>(() => host.Grants.CheckPublishable(late, late.ApplicationDeadline));
        Assert.Equal(GrantRules.DemoScheduleLapsed, error.RuleCode);
        Assert.Equal(late.ApplicationDeadline, error.Data[GrantRules.DataDeadline]);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task DemoSchedule_InSeconds_WithACountdown_ShortensTheListingAndItsTimedPhase_OutOfRangeRefused(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider, demoCentre: true);
        var land = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing());
        var tooSoon = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SubmitAsync(host.Grantor, land.Id, land.Version, null,
            new GrantDemoSchedule(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2))));
        Assert.Equal(GrantRules.DemoScheduleInvalid, tooSoon.RuleCode);
        Assert.Equal(GrantStage.Draft, (await host.Grants.GetAsync(land.Id))!.Stage);

        land = await host.Grants.SubmitAsync(host.Grantor, land.Id, land.Version, null,
            new GrantDemoSchedule(TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30)));
        Assert.Equal(GrantHost.Start.AddSeconds(20), land.BiddingOpens);
        Assert.Equal(GrantHost.Start.AddSeconds(140), land.BiddingEnds);
        Assert.Equal(GrantHost.Start.AddSeconds(80), land.ApplicationDeadline); // half the sale before its end, at most 5 minutes

        var limits = GrantLimits.LandDefaults();
        Assert.Equal(TimeSpan.FromSeconds(30), GrantService.LotSettingsOf(land, limits, TimeSpan.FromSeconds(30)).Countdown);
        Assert.Equal(TimeSpan.FromMinutes(4), GrantService.LotSettingsOf(land, limits, TimeSpan.FromMinutes(9)).Countdown); // never beyond the setting
        Assert.Equal(TimeSpan.FromMinutes(4), GrantService.LotSettingsOf(land, limits).Countdown);
        Assert.Contains("Grants:Demo", string.Join(" ", new GrantOptions { Demo = new() { Bidding = TimeSpan.FromSeconds(30) } }.Validate()), StringComparison.Ordinal);
    }
}
