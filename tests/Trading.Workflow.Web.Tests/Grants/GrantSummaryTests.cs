using Bunit;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// The offering's summary as every page shows it (the offering page, staff's review and result tasks, the public page):
/// the parcel or the mineral right, prices, dates and, after the close, the outcome from the bid log; never a reserve.
/// The commands behind the pages are the domain tests' (GrantFullProcedureTests).
/// </summary>
public sealed class GrantSummaryTests : PlatformComponentTest
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A draft land listing: notice 2 Nov 2026, applications until 1 Dec 09:00, listing 23 Nov – 4 Dec (also the apply panel's).</summary>
    internal static GrantOffering Land() => GrantOffering.Draft(Guid.NewGuid(), Guid.NewGuid(), "DEMO-CITY-TD-2026-0001", Guid.NewGuid(), TradeTypes.LandRights, "演示市自然资源和规划局",
        new GrantOfferingInput("环湖东路地块", Guid.NewGuid(), "530102", GrantMode.Listing,
            new GrantParcel("环湖东路以东", 35_000m, "城镇住宅用地", 70, "容积率 ≤2.5"),
            50_000_000m, 500_000m, 10_000_000m, Now.AddDays(29), Now.AddDays(21), Now.AddDays(32)), Now, "grantor");

    private static GrantOffering Mineral() => GrantOffering.Draft(Guid.NewGuid(), Guid.NewGuid(), "DEMO-CITY-KQ-2026-0001", Guid.NewGuid(), TradeTypes.MineralRights, "演示市自然资源和规划局",
        new GrantOfferingInput("石灰岩矿采矿权", Guid.NewGuid(), "530125", GrantMode.Auction,
            new GrantParcel("演示县演示镇", 0.42m, "水泥用石灰岩开采", 10, "30 万吨/年", "石灰岩", "1: 2785000.00, 34560000.00", MineralRightKind.Mining, "820 万吨"),
            3_000_000m, 50_000m, 600_000m, Now.AddDays(18), Now.AddDays(21), Now.AddDays(21).AddHours(1)), Now, "grantor");

    [Fact]
    public void Land_ShowsParcelPricesAndDates_InChinese()
    {
        var cut = Render<GrantSummary>(p => p.Add(c => c.Offering, Land()));
        var text = cut.Find("[data-testid=grant-summary]").TextContent;
        Assert.Contains("环湖东路以东", text, StringComparison.Ordinal);
        Assert.Equal("35,000", cut.Find("[data-testid=grant-area]").TextContent.Trim()); // the area with separators, as the prices
        Assert.Contains("规划条件", text, StringComparison.Ordinal);
        Assert.Contains("50,000,000.00", text, StringComparison.Ordinal);
        Assert.Contains("10,000,000.00", text, StringComparison.Ordinal);
        Assert.Contains("2026-11-23 09:00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("底价", text, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=grant-outcome]"));
    }

    [Fact]
    public void Mineral_ShowsMineralRightKindCoordinatesAndReserves_InEnglish()
    {
        Culture("en");
        var text = Render<GrantSummary>(p => p.Add(c => c.Offering, Mineral())).Find("[data-testid=grant-summary]").TextContent;
        Assert.Contains("Mining right", text, StringComparison.Ordinal);
        Assert.Contains("Area coordinates", text, StringComparison.Ordinal);
        Assert.Contains("820 万吨", text, StringComparison.Ordinal);
        Assert.Contains("Area (km²)", text, StringComparison.Ordinal);
        Assert.Contains("0.42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Reserve (CNY", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sold_ToOneWhoMayReadTheName_ShowsWinnerNumberAndPrice_AndTheResultDue()
    {
        var cut = Render<GrantSummary>(p => p.Add(c => c.Offering, Sold()).Add(c => c.WinnerNamed, true));
        Assert.Equal("演示第二建筑有限公司（竞买号 4821）以 ¥52,500,000.00 竞得", cut.Find("[data-testid=grant-outcome]").TextContent.Trim());
        Assert.Contains("2026-12-18 09:00", cut.Markup, StringComparison.Ordinal);
        // When it closed, not only when it was scheduled to: late bids move an auction's end.
        Assert.Equal(GrantsWeb.Format(Now.AddDays(32)), cut.Find("[data-testid=grant-closed-at]").TextContent.Trim());
        Assert.Contains("竞价实际结束", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(Render<GrantSummary>(p => p.Add(c => c.Offering, Land())).FindAll("[data-testid=grant-closed-at]"));
    }

    [Theory]
    [InlineData("zh-CN", "竞买号 4821 以 ¥52,500,000.00 竞得（竞得人名称在出让结果公示发布后公开）")]
    [InlineData("en", "Won by bidder 4821 at ¥52,500,000.00 (the winner's name is made public with the grant result notice)")]
    public void Sold_ToOthers_ShowsTheNumberAndThePrice_NotTheName(string culture, string expected)
    {
        Culture(culture);
        var cut = Render<GrantSummary>(p => p.Add(c => c.Offering, Sold()));
        Assert.Equal(expected, cut.Find("[data-testid=grant-outcome]").TextContent.Trim());
        Assert.DoesNotContain("演示第二建筑有限公司", cut.Markup, StringComparison.Ordinal);
    }

    private static GrantOffering Sold()
    {
        var offering = Land();
        offering.Submit(Guid.NewGuid(), Now);
        offering.Announce(Guid.NewGuid(), Now);
        offering.RecordSale(Guid.NewGuid(), "演示第二建筑有限公司", 4821, 52_500_000m, Now.AddDays(32), Now.AddDays(46));
        return offering;
    }

    [Fact]
    public void NoSale_ShowsTheReason_InBothLanguages()
    {
        var offering = Land();
        offering.Submit(Guid.NewGuid(), Now);
        offering.Announce(Guid.NewGuid(), Now);
        offering.RecordNoSale(Domain.Bidding.NoSaleReasons.ReserveNotMet, Guid.NewGuid(), Now.AddDays(32));
        Assert.Equal("流拍：最高报价低于底价", Render<GrantSummary>(p => p.Add(c => c.Offering, offering)).Find("[data-testid=grant-outcome]").TextContent.Trim());
        Culture("en");
        Assert.Equal("No sale: best bid below the reserve", Render<GrantSummary>(p => p.Add(c => c.Offering, offering)).Find("[data-testid=grant-outcome]").TextContent.Trim());
    }

    [Theory]
    [InlineData("zh-CN", "2026-12-18 09:00（已于 2026-12-10 09:00 公示）")]
    [InlineData("en", "2026-12-18 09:00 (published 2026-12-10 09:00)")]
    public void ResultPublished_ReadsWhenBesideItsDueDate_WithTheLanguagesOwnSpacing(string culture, string expected)
    {
        Culture(culture);
        var offering = Sold();
        offering.PublishResult(Guid.NewGuid(), Now.AddDays(38));
        var row = Render<GrantSummary>(p => p.Add(c => c.Offering, offering)).FindAll("tr").Single(r => r.TextContent.Contains(expected[..16], StringComparison.Ordinal));
        Assert.Equal(expected, row.QuerySelector("td")!.TextContent.Trim());
    }
}
