using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Domain.Tests.Market;

public sealed class UnifiedSocialCreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")] // the example printed in GB 32100-2015
    [InlineData("91440300708461136T")]
    [InlineData("91110000802100433B")]
    public void Parse_AcceptsPublishedCodes(string text)
    {
        var code = UnifiedSocialCreditCode.Parse(text);

        Assert.Equal(text, code.Value);
    }

    [Fact]
    public void Parse_NormalisesSpacesAndCase()
    {
        var code = UnifiedSocialCreditCode.Parse(" 91350100m000100y43 ");

        Assert.Equal("91350100M000100Y43", code.Value);
        Assert.Equal("350100", code.DivisionCode);
    }

    [Theory]
    [InlineData("91350100M000100Y44", MarketRules.CreditCodeCheck)] // last character changed
    [InlineData("91350100M000010Y43", MarketRules.CreditCodeCheck)] // two characters swapped
    [InlineData("91350100M000100Y4", MarketRules.CreditCodeLength)]
    [InlineData("91350100M0001O0Y43", MarketRules.CreditCodeCharacter)] // letter O for zero
    [InlineData("9135A100M000100Y43", MarketRules.CreditCodeDivision)]
    [InlineData("", MarketRules.CreditCodeRequired)]
    [InlineData(null, MarketRules.CreditCodeRequired)]
    public void Parse_RefusesWithTheRuleBroken(string? text, string rule)
    {
        var error = Assert.Throws<DomainRuleException>(() => UnifiedSocialCreditCode.Parse(text));

        Assert.Equal(rule, error.RuleCode);
    }

    [Fact]
    public void CheckCharacter_DetectsEverySingleCharacterChange()
    {
        const string valid = "91350100M000100Y43";
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        for (var position = 0; position < 17; position++)
        {
            foreach (var replacement in alphabet.Where(c => c != valid[position]))
            {
                var changed = valid[..position] + replacement + valid[(position + 1)..];
                Assert.False(UnifiedSocialCreditCode.TryParse(changed, out _, out _, out _) && changed != valid, changed);
            }
        }
    }
}
