namespace Trading.Workflow.Domain.Centres;

/// <summary>Rule codes raised by <see cref="TradingCentre"/>; the web app maps each to a localized message.</summary>
public static class CentreRules
{
    public const string CodeRequired = "Centre.CodeRequired";
    public const string CodeInvalid = "Centre.CodeInvalid";
    public const string NameZhRequired = "Centre.NameZhRequired";
    public const string NameEnRequired = "Centre.NameEnRequired";
    public const string NameTooLong = "Centre.NameTooLong";
    public const string ProvinceHasParent = "Centre.ProvinceHasParent";
    public const string ParentRequired = "Centre.ParentRequired";
    public const string ParentLevelMismatch = "Centre.ParentLevelMismatch";
}
