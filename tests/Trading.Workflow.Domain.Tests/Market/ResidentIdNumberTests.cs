using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Domain.Tests.Market;

public sealed class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    [Fact]
    public void Parse_AcceptsTheStandardsExampleWithCheckX()
    {
        var number = ResidentIdNumber.Parse("11010519491231002x", Today);

        Assert.Equal("11010519491231002X", number.Value);
        Assert.Equal(new DateOnly(1949, 12, 31), number.BirthDate);
        Assert.Equal("1101**********002X", number.Masked);
    }

    [Theory]
    [InlineData("110105194912310021", MarketRules.ResidentIdCheck)]
    [InlineData("11010519491231002", MarketRules.ResidentIdFormat)]
    [InlineData("1101051949123100AX", MarketRules.ResidentIdFormat)]
    [InlineData("110105194902300025", MarketRules.ResidentIdBirthDate)] // 30 February
    [InlineData("110105203001010028", MarketRules.ResidentIdBirthDate)] // born after today
    [InlineData(" ", MarketRules.ResidentIdRequired)]
    public void Parse_RefusesWithTheRuleBroken(string text, string rule)
    {
        var error = Assert.Throws<DomainRuleException>(() => ResidentIdNumber.Parse(text, Today));

        Assert.Equal(rule, error.RuleCode);
    }
}
