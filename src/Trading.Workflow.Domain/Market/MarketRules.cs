namespace Trading.Workflow.Domain.Market;

/// <summary>Rule codes raised by the market-entity model; the web app maps each to a localized message.</summary>
public static class MarketRules
{
    public const string CreditCodeRequired = "Market.CreditCodeRequired";
    public const string CreditCodeLength = "Market.CreditCodeLength";
    public const string CreditCodeCharacter = "Market.CreditCodeCharacter";
    public const string CreditCodeDivision = "Market.CreditCodeDivision";
    public const string CreditCodeCheck = "Market.CreditCodeCheck";
    public const string ResidentIdRequired = "Market.ResidentIdRequired";
    public const string ResidentIdFormat = "Market.ResidentIdFormat";
    public const string ResidentIdBirthDate = "Market.ResidentIdBirthDate";
    public const string ResidentIdCheck = "Market.ResidentIdCheck";
}
