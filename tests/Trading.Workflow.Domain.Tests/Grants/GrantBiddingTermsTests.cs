using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Bidding;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Notices;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Domain.Tests.Grants;

/// <summary>
/// The grantor's bidding terms beside the start price and the increment: the price cap (最高限价) and the allowed
/// multiples of the increment, checked when the offering is saved by the bidding engine's own rules, stored, published on
/// the notice (the cap is public, the reserve never) and handed to the engine in the lot's settings.
/// </summary>
public sealed class GrantBiddingTermsTests
{
    private static readonly GrantLimits Land = GrantLimits.LandDefaults();

    /// <summary>A land listing: start 50,000,000, increment 500,000 (the host's).</summary>
    private static GrantOfferingInput Listing(decimal? cap = null, IReadOnlyList<int>? multiples = null, GrantMode mode = GrantMode.Listing) => new(
        "宗地", Guid.NewGuid(), "530102", mode, new GrantParcel("位置", 100m, "住宅", 70, "容积率 2.0"),
        50_000_000m, 500_000m, 10_000_000m, GrantHost.At(12, 2, 17), GrantHost.At(11, 23), GrantHost.At(12, 4, 10), cap, multiples);

    private static GrantOffering Draft(GrantOfferingInput input) =>
        GrantOffering.Draft(Guid.NewGuid(), Guid.NewGuid(), "G-PROV-TD-2026-0001", Guid.NewGuid(), TradeTypes.LandRights, "测试局", input, GrantHost.Start, "grantor");

    [Theory]
    [InlineData(50_000_000)] // at the start price
    [InlineData(40_000_000)]
    [InlineData(60_000_000.001)] // not in fen
    public void Cap_NotAnAmountInFenAboveTheStartPrice_Refused(double cap)
    {
        var error = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckTerms(Listing((decimal)cap), Land));
        Assert.Equal(GrantRules.CapInvalid, error.RuleCode);
        Assert.Equal(50_000_000m, error.Data[GrantRules.DataStartPrice]);
    }

    [Fact]
    public void Cap_OneFenAboveTheStart_Accepted_NoWholeNumberOfIncrementsNeeded()
    {
        // The engine takes a bid at the cap exactly, whatever the steps (LotBook.JudgeAscending), so the cap need not be on the grid.
        GrantSchedule.CheckTerms(Listing(50_000_000.01m), Land);
        Assert.Empty(GrantService.LotSettingsOf(Draft(Listing(50_000_000.01m)), Land).Problems());
    }

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { -1, 2 })]
    [InlineData(new[] { 101 })]
    [InlineData(new[] { 1, 2, 2 })]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 })]
    public void Multiples_NotDistinctWholeNumbersFromOneToAHundred_AtMostTen_Refused(int[] multiples)
    {
        var error = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckTerms(Listing(multiples: multiples), Land));
        Assert.Equal(GrantRules.MultiplesInvalid, error.RuleCode);
    }

    [Fact]
    public void Multiples_TheBounds_Accepted_AndStoredAscending()
    {
        GrantSchedule.CheckTerms(Listing(multiples: [100, 1, 2, 3, 4, 5, 6, 7, 8, 9]), Land);
        Assert.Equal([1, 2, 3, 5, 10], Draft(Listing(multiples: [10, 5, 1, 3, 2])).AllowedMultiples);
    }

    [Fact]
    public void Tender_WithACapOrMultiples_Refused()
    {
        Assert.Equal(GrantRules.NotForTender, Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckTerms(Listing(60_000_000m, mode: GrantMode.Tender), Land)).RuleCode);
        Assert.Equal(GrantRules.NotForTender, Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckTerms(Listing(multiples: [1], mode: GrantMode.Tender), Land)).RuleCode);
        GrantSchedule.CheckTerms(Listing(multiples: [], mode: GrantMode.Tender), Land);
    }

    [Theory]
    [InlineData(GrantMode.Listing, BiddingMode.Listing)]
    [InlineData(GrantMode.Auction, BiddingMode.Ascending)]
    public void LotSettings_CarryTheCapTheMultiplesAndTheProvinceWindows(GrantMode mode, BiddingMode expected)
    {
        var limits = new GrantLimits { CapMatchMinutes = 3, SealedRoundMinutes = 7 };
        var settings = GrantService.LotSettingsOf(Draft(Listing(75_000_000m, [1, 2, 3, 5, 10], mode)), limits);
        Assert.Equal(expected, settings.Mode);
        Assert.Equal(75_000_000m, settings.PriceCap);
        Assert.Equal([1, 2, 3, 5, 10], settings.AllowedMultiples);
        Assert.Equal((TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(7)), (settings.CapMatchWindow, settings.SealedRoundLength));
        Assert.Empty(settings.Problems());

        // A demo countdown shortens the windows too, never lengthens them.
        var demo = GrantService.LotSettingsOf(Draft(Listing(75_000_000m, mode: mode)), limits, TimeSpan.FromSeconds(30));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), (demo.CapMatchWindow, demo.SealedRoundLength));
        Assert.Empty(demo.AllowedMultiples);
    }

    [Fact]
    public void LotSettings_WithoutACap_AsBefore_AnyMultiple()
    {
        var settings = GrantService.LotSettingsOf(Draft(Listing()), Land);
        Assert.Null(settings.PriceCap);
        Assert.Empty(settings.AllowedMultiples);
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), (settings.CapMatchWindow, settings.SealedRoundLength));
    }

    [Fact]
    public void Options_CapWindowsOutOfRange_Refused()
    {
        var options = new GrantOptions();
        options.Limits[TradeTypes.MineralRights] = new GrantLimits { TenderNoticeDays = 30, ResultWorkingDays = 5, SealedRoundMinutes = 0 };
        Assert.Contains("CapMatchMinutes/SealedRoundMinutes", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Offering_CapAndMultiples_StoredRevisedOnTheNoticeAndInTheLot_AReserveAboveTheCapRefused(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);
        var input = host.LandListing() with { PriceCap = 75_000_000.5m, AllowedMultiples = [10, 1, 2, 3, 5] };
        var offering = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, input);
        var stored = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(75_000_000.5m, stored.PriceCap);
        Assert.Equal([1, 2, 3, 5, 10], stored.AllowedMultiples);

        // Revised to none and back: the columns follow (NULL and empty text).
        stored = await host.Grants.ReviseAsync(host.Grantor, stored.Id, stored.Version, input with { PriceCap = null, AllowedMultiples = null });
        var cleared = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal((null, 0), (cleared.PriceCap, cleared.AllowedMultiples.Count));
        stored = await host.Grants.ReviseAsync(host.Grantor, stored.Id, stored.Version, input with { PriceCap = 75_000_000m });

        var invalid = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.ReviseAsync(host.Grantor, stored.Id, stored.Version, input with { PriceCap = 49_000_000m }));
        Assert.Equal(GrantRules.CapInvalid, invalid.RuleCode);

        var aboveCap = await Assert.ThrowsAsync<DomainRuleException>(() => host.Grants.SubmitAsync(host.Grantor, stored.Id, stored.Version, 75_000_000.01m));
        Assert.Equal(GrantRules.ReserveAboveCap, aboveCap.RuleCode);
        Assert.Equal(75_000_000m, aboveCap.Data[GrantRules.DataPriceCap]);
        Assert.Empty(await host.Bidding.Store.ListLotsAsync(stored.SectionId));

        var submitted = await host.Grants.SubmitAsync(host.Grantor, stored.Id, stored.Version, 60_000_000m);
        var view = await host.Services.GetRequiredService<BidFeed>().ViewAsync(submitted.LotId!.Value);
        Assert.Equal(75_000_000m, view.PriceCap);
        Assert.Equal([1, 2, 3, 5, 10], view.AllowedMultiples);

        await host.CompleteAsync(await host.InstanceOfAsync(submitted), "reviewOffering", "staff");
        var announced = (await host.Grants.GetAsync(submitted.Id))!;
        await using var db = host.Database.Database.Create();
        var notice = await db.Set<Notice>().AsNoTracking().SingleAsync(n => n.Id == announced.NoticeId);
        Assert.Contains("<tr><th>最高限价（元）/ Price cap (CNY)</th><td>75,000,000.00</td></tr>", notice.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("<td>1, 2, 3, 5, 10 倍 / times the increment</td>", notice.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("5 分钟内以最高限价应价", notice.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("60,000,000", notice.BodyHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Notice_SaysWhetherTheSaleHasAReserve_NeverItsAmount(DatabaseProvider provider)
    {
        await using var host = await GrantHost.StartAsync(provider);

        // Submitted without a reserve (the 2026-12-06 walk): the notice said 本宗设有底价 all the same (39号令 15 wants a
        // sale without one announced as such).
        var without = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing());
        without = await host.Grants.SubmitAsync(host.Grantor, without.Id, without.Version, null);
        Assert.False((await host.Grants.GetAsync(without.Id))!.HasReserve);
        await host.CompleteAsync(await host.InstanceOfAsync(without), "reviewOffering", "staff");

        var with = await host.Grants.CreateAsync(host.Grantor, TradeTypes.LandRights, host.LandListing());
        with = await host.Grants.SubmitAsync(host.Grantor, with.Id, with.Version, 61_234_500m);
        Assert.True((await host.Grants.GetAsync(with.Id))!.HasReserve);
        await host.CompleteAsync(await host.InstanceOfAsync(with), "reviewOffering", "staff");

        await using var db = host.Database.Database.Create();
        async Task<string> BodyAsync(Guid id)
        {
            var noticeId = (await host.Grants.GetAsync(id))!.NoticeId;
            return (await db.Set<Notice>().AsNoTracking().SingleAsync(n => n.Id == noticeId)).BodyHtml;
        }

        var none = await BodyAsync(without.Id);
        Assert.Contains("本宗不设底价，最高报价不低于起始价即可成交。", none, StringComparison.Ordinal);
        Assert.Contains("There is no reserve", none, StringComparison.Ordinal);
        Assert.DoesNotContain("设有底价", none, StringComparison.Ordinal);
        Assert.DoesNotContain("不低于底价", none, StringComparison.Ordinal);

        var confidential = await BodyAsync(with.Id);
        Assert.Contains("本宗设有底价（保密），最高报价不低于底价方可成交。", confidential, StringComparison.Ordinal);
        Assert.Contains("A confidential reserve applies.", confidential, StringComparison.Ordinal);
        Assert.DoesNotContain("61,234,500", confidential, StringComparison.Ordinal);

        // How the sale ends is a term of it, in the notice: the listing's timed phase with its length, the auction's
        // extension (the 2026-12-06 walk found the auction's only in the room).
        Assert.Contains("进入限时竞价（4 分钟，每次报价重新计时）", confidential, StringComparison.Ordinal);
        Assert.Contains("a timed phase of 4 minutes, reset by each bid", confidential, StringComparison.Ordinal);
        var auction = await host.Grants.CreateAsync(host.Grantor, TradeTypes.MineralRights, host.MineralAuction());
        auction = await host.Grants.SubmitAsync(host.Grantor, auction.Id, auction.Version, null);
        await host.CompleteAsync(await host.InstanceOfAsync(auction), "reviewOffering", "staff");
        var extension = await BodyAsync(auction.Id);
        Assert.Contains("竞价截止前 5 分钟内有新报价的，截止时间顺延至该报价后 5 分钟", extension, StringComparison.Ordinal);
        Assert.Contains("A bid in the last 5 minutes moves the end to 5 minutes after it", extension, StringComparison.Ordinal);
        Assert.DoesNotContain("限时竞价", extension, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task MineralAuction_WithACapAndMultiples_TheEngineKeepsThem_TheSealedRoundDecidesTheSale(DatabaseProvider provider)
    {
        // Start 3,000,000, increment 50,000, raises of 1, 2 or 4 increments, cap 3,200,000; the province's windows 5 and 10 minutes.
        await using var host = await GrantHost.StartAsync(provider);
        var offering = await host.Grants.CreateAsync(host.Grantor, TradeTypes.MineralRights, host.MineralAuction() with { PriceCap = 3_200_000m, AllowedMultiples = [1, 2, 4] });
        offering = await host.Grants.SubmitAsync(host.Grantor, offering.Id, offering.Version, reserve: 3_100_000m);
        await host.CompleteAsync(await host.InstanceOfAsync(offering), "reviewOffering", "staff");
        var numbers = new List<int>();
        foreach (var (user, company) in new[] { ("bidder1", host.Companies[0]), ("bidder2", host.Companies[1]) })
        {
            var (application, account) = await host.Grants.ApplyAsync(GrantHost.Bidder(user), offering.Id, company.Id);
            await host.PayAsync(offering, company, account, offering.Deposit);
            numbers.Add((await host.Grants.DecideAsync(host.Staff, application.Id, approve: true, null)).BidderNumber!.Value);
        }

        var lotId = offering.LotId!.Value;
        await host.AdvanceToAsync(GrantHost.At(11, 23, 10, 1));
        Assert.True((await host.Bidding.SubmitAsync(lotId, numbers[0], 3_000_000m, "c1")).Accepted);
        Assert.Equal(BiddingRules.MultipleNotAllowed, (await host.Bidding.SubmitAsync(lotId, numbers[1], 3_150_000m, "c2")).Reason); // 3 increments
        Assert.Equal(BiddingRules.AboveCap, (await host.Bidding.SubmitAsync(lotId, numbers[1], 3_250_000m, "c3")).Reason);
        Assert.True((await host.Bidding.SubmitAsync(lotId, numbers[1], 3_100_000m, "c4")).Accepted); // 2 increments

        // The cap reached at 10:03: the other matches it, then one sealed offer each; the higher wins above the cap.
        await host.RunLotTimerAsync(GrantHost.At(11, 23, 10, 3));
        Assert.True((await host.Bidding.SubmitAsync(lotId, numbers[0], 3_200_000m, "c5")).Accepted);
        Assert.Equal(LotPhase.CapMatch, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);
        Assert.True((await host.Bidding.SubmitAsync(lotId, numbers[1], 3_200_000m, "c6")).Accepted);
        await host.RunLotTimerAsync(GrantHost.At(11, 23, 10, 8));
        Assert.Equal(LotPhase.SealedRound, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);
        Assert.True((await host.Bidding.SubmitAsync(lotId, numbers[0], 3_260_000m, "c7")).Accepted);
        Assert.True((await host.Bidding.SubmitAsync(lotId, numbers[1], 3_300_000m, "c8")).Accepted);
        await host.RunLotTimerAsync(GrantHost.At(11, 23, 10, 18));
        Assert.Equal(LotPhase.Closed, (await host.Bidding.Store.FindLotAsync(lotId))!.Phase);

        offering = (await host.Grants.GetAsync(offering.Id))!;
        Assert.Equal(GrantStage.Sold, offering.Stage);
        Assert.Equal((host.Companies[1].Id, 3_300_000m), (offering.WinnerEntityId!.Value, offering.Price!.Value));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Schema_AnOfferingOfVersion1_UpgradesWithoutACapAndWithAnyMultiple(DatabaseProvider provider)
    {
        await using var postgres = provider == DatabaseProvider.PostgreSql ? new PostgresTestDatabase() : null;
        var file = Path.Combine(Path.GetTempPath(), $"tw-grants-{Guid.NewGuid():N}.db");
        if (postgres is not null)
        {
            await postgres.InitializeAsync();
        }

        try
        {
            await using DbConnection connection = postgres is not null ? new NpgsqlConnection(postgres.ConnectionString) : new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync();
            var scripts = new TradingSchemaModule("grants", "Trading.Workflow.Domain.Grants.Schema").ScriptsFor(provider);
            var migrator = new SchemaMigrator(TimeProvider.System, NullLogger<SchemaMigrator>.Instance);
            await migrator.UpgradeAsync(connection, scripts, targetVersion: 1);
            var no = postgres is not null ? "false" : "0";
            await using (var insert = connection.CreateCommand())
            {
                insert.CommandText = $"""
                    INSERT INTO "tr_grant_offerings" ("id", "project_id", "section_id", "project_code", "centre_id", "trade_type", "region_code", "title", "owner_entity_id",
                        "owner_name", "mode", "parcel", "start_price", "increment", "deposit", "application_deadline", "bidding_opens", "bidding_ends", "stage", "demo_schedule",
                        "created_at", "created_by", "version")
                    VALUES ('{Guid.NewGuid()}', '{Guid.NewGuid()}', '{Guid.NewGuid()}', 'P-1', '{Guid.NewGuid()}', 'land-rights', '530102', 't', '{Guid.NewGuid()}',
                        'o', 'Listing', 'p', 50000000, 500000, 10000000, 1, 2, 3, 'Draft', {no}, 1, 'grantor', 1)
                    """;
                await insert.ExecuteNonQueryAsync();
            }

            await migrator.UpgradeAsync(connection, scripts);
            await using var read = connection.CreateCommand();
            read.CommandText = """SELECT "price_cap" IS NULL, "allowed_multiples" FROM "tr_grant_offerings" """;
            await using var row = await read.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            Assert.True(Convert.ToBoolean(row.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(string.Empty, row.GetString(1));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
