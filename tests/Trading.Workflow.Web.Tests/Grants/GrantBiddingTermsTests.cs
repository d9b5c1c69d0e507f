using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// The grantor's bidding terms on the offering form (the price cap and the allowed multiples of the increment), how the
/// summary every page shows states them (the cap is public, the reserve never shown), and the rules' messages in zh and
/// en. The domain's checks are GrantBiddingTermsTests in the domain tests.
/// </summary>
public sealed class GrantBiddingTermsTests : PlatformComponentTest
{
    private sealed class Terms
    {
        public decimal? Cap { get; set; }

        public string Multiples { get; set; } = string.Empty;
    }

    private IRenderedComponent<GrantBiddingTerms> Fields(GrantMode mode, Terms terms) =>
        Render<GrantBiddingTerms>(p => p
            .Add(c => c.Mode, mode)
            .Add(c => c.PriceCap, terms.Cap)
            .Add(c => c.PriceCapChanged, EventCallback.Factory.Create<decimal?>(this, v => terms.Cap = v))
            .Add(c => c.Multiples, terms.Multiples)
            .Add(c => c.MultiplesChanged, EventCallback.Factory.Create<string>(this, v => terms.Multiples = v)));

    private static IElement Input(IRenderedComponent<GrantBiddingTerms> cut, string testId) =>
        cut.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    /// <summary>A draft land listing with a cap of 75,000,000 and multiples 1, 2, 3, 5, 10 (typed in another order).</summary>
    private static GrantOffering CappedListing()
    {
        var offering = GrantSummaryTests.Land();
        offering.Revise(offering.Input with { PriceCap = 75_000_000m, AllowedMultiples = [10, 1, 2, 3, 5] });
        return offering;
    }

    [Fact]
    public void Form_Listing_AsksForTheCapAndTheMultiples_AndHandsBackWhatIsTyped()
    {
        var terms = new Terms();
        var cut = Fields(GrantMode.Listing, terms);
        Assert.Contains("最高限价（元）", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("加价倍数", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("留空为任意整数倍", cut.Markup, StringComparison.Ordinal);

        Input(cut, "grant-cap").Change("75000000");
        Input(cut, "grant-multiples").Change("1,2,5");

        cut.WaitForAssertion(() => Assert.Equal((75_000_000m, "1,2,5"), (terms.Cap, terms.Multiples)));
    }

    [Fact]
    public void Form_InEnglish_LabelsAndHelp()
    {
        Culture("en");
        var markup = Fields(GrantMode.Auction, new Terms()).Markup;
        Assert.Contains("Price cap (CNY)", markup, StringComparison.Ordinal);
        Assert.Contains("Allowed multiples of the increment", markup, StringComparison.Ordinal);
        Assert.Contains("at most 10, each 1 to 100", markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Form_Tender_AsksForNeither()
    {
        var cut = Fields(GrantMode.Tender, new Terms { Cap = 1m, Multiples = "1" });
        Assert.Empty(cut.FindAll("[data-testid=grant-cap]"));
        Assert.Empty(cut.FindAll("[data-testid=grant-multiples]"));
    }

    [Theory]
    [InlineData("", new int[0])]
    [InlineData("1, 2，3、5 10", new[] { 1, 2, 3, 5, 10 })]
    [InlineData("0,-2", new[] { 0, -2 })] // out of range: the domain says why (Grant.MultiplesInvalid)
    public void ParseMultiples_WholeNumbers_Read(string text, int[] expected) =>
        Assert.Equal(expected, Trading.Workflow.Domain.Bidding.LotSettings.ParseMultiples(text));

    [Theory]
    [InlineData("1.5")]
    [InlineData("1,两")]
    public void ParseMultiples_NotWholeNumbers_Null(string text) => Assert.Null(Trading.Workflow.Domain.Bidding.LotSettings.ParseMultiples(text));

    [Fact]
    public void Summary_ShowsTheCapAndTheMultiples_NeverTheReserve_InBothLanguages()
    {
        var offering = CappedListing();
        var cut = Render<GrantSummary>(p => p.Add(c => c.Offering, offering));
        Assert.Equal("¥75,000,000.00", cut.Find("[data-testid=grant-cap]").TextContent.Trim());
        Assert.Equal("1, 2, 3, 5, 10 倍", cut.Find("[data-testid=grant-multiples]").TextContent.Trim());
        Assert.Contains("最高限价（元）", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("底价", cut.Markup, StringComparison.Ordinal);

        Culture("en");
        cut = Render<GrantSummary>(p => p.Add(c => c.Offering, offering));
        Assert.Equal("1, 2, 3, 5, 10 times the increment", cut.Find("[data-testid=grant-multiples]").TextContent.Trim());
        Assert.Contains("Price cap (CNY)", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Reserve", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_WithoutCapOrMultiples_SaysSo_ATenderShowsNeither()
    {
        var offering = GrantSummaryTests.Land();
        var cut = Render<GrantSummary>(p => p.Add(c => c.Offering, offering));
        Assert.Equal("不设", cut.Find("[data-testid=grant-cap]").TextContent.Trim());
        Assert.Equal("任意整数倍", cut.Find("[data-testid=grant-multiples]").TextContent.Trim());

        offering.Revise(offering.Input with { Mode = GrantMode.Tender });
        cut = Render<GrantSummary>(p => p.Add(c => c.Offering, offering));
        Assert.Empty(cut.FindAll("[data-testid=grant-cap]"));
        Assert.Empty(cut.FindAll("[data-testid=grant-multiples]"));
    }

    private string Problem(Exception error) => GrantsWeb.Problem(Services.GetRequiredService<IStringLocalizer<GrantsResource>>(), error);

    [Fact]
    public void Messages_NameTheStartPriceTheCapAndTheBounds_InBothLanguages()
    {
        var input = GrantSummaryTests.Land().Input;
        var cap = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckTerms(input with { PriceCap = 50_000_000m }, GrantLimits.LandDefaults()));
        var multiples = Assert.Throws<DomainRuleException>(() => GrantSchedule.CheckTerms(input with { AllowedMultiples = [1, 1] }, GrantLimits.LandDefaults()));
        var aboveCap = new DomainRuleException(GrantRules.ReserveAboveCap, "log");
        aboveCap.Data[GrantRules.DataPriceCap] = 75_000_000m;

        Assert.Equal("最高限价须高于起始价 ¥50,000,000.00，以元为单位（最多两位小数）。", Problem(cap));
        Assert.Equal("加价倍数须为 1 至 100 的不重复整数，最多 10 个。", Problem(multiples));
        Assert.Equal("底价不能高于最高限价 ¥75,000,000.00，否则竞价无法达到底价。", Problem(aboveCap));
        Assert.Equal("招标方式为一次报价，不设最高限价和加价倍数。", Problem(new DomainRuleException(GrantRules.NotForTender, "log")));
        Culture("en");
        Assert.Equal("The price cap is an amount in yuan (at most two decimals) above the start price of ¥50,000,000.00.", Problem(cap));
        Assert.Equal("The allowed multiples are distinct whole numbers from 1 to 100, at most 10 of them.", Problem(multiples));
        Assert.Equal("The reserve cannot be above the price cap of ¥75,000,000.00: the bidding could never reach it.", Problem(aboveCap));
    }
}
