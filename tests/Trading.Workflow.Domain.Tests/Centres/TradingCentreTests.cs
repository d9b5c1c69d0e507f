using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Centres;

namespace Trading.Workflow.Domain.Tests.Centres;

public sealed class TradingCentreTests
{
    private static TradingCentre Province() => TradingCentre.CreateProvince("440000", "广东省公共资源交易中心", "Guangdong Centre");

    private static TradingCentre Prefecture(TradingCentre province) =>
        TradingCentre.Create("440100", "广州市公共资源交易中心", "Guangzhou Centre", CentreLevel.Prefecture, province);

    [Fact]
    public void CreateProvince_WithValidValues_HasNoParentAndProvinceLevel()
    {
        var centre = Province();

        Assert.Equal(CentreLevel.Province, centre.Level);
        Assert.Null(centre.ParentId);
        Assert.NotEqual(Guid.Empty, centre.Id);
    }

    [Fact]
    public void Create_PrefectureUnderProvince_RecordsParentId()
    {
        var province = Province();

        var prefecture = Prefecture(province);

        Assert.Equal(province.Id, prefecture.ParentId);
    }

    [Fact]
    public void Create_CountyUnderPrefecture_RecordsParentId()
    {
        var prefecture = Prefecture(Province());

        var county = TradingCentre.Create("440106", "天河区公共资源交易中心", "Tianhe Centre", CentreLevel.County, prefecture);

        Assert.Equal(prefecture.Id, county.ParentId);
    }

    [Fact]
    public void Create_CountyUnderProvince_ThrowsParentLevelMismatch()
    {
        var province = Province();

        var error = Assert.Throws<DomainRuleException>(
            () => TradingCentre.Create("440106", "天河区", "Tianhe", CentreLevel.County, province));

        Assert.Equal(CentreRules.ParentLevelMismatch, error.RuleCode);
    }

    [Fact]
    public void Create_PrefectureUnderPrefecture_ThrowsParentLevelMismatch()
    {
        var prefecture = Prefecture(Province());

        var error = Assert.Throws<DomainRuleException>(
            () => TradingCentre.Create("440200", "韶关市", "Shaoguan", CentreLevel.Prefecture, prefecture));

        Assert.Equal(CentreRules.ParentLevelMismatch, error.RuleCode);
    }

    [Fact]
    public void Create_PrefectureWithoutParent_ThrowsParentRequired()
    {
        var error = Assert.Throws<DomainRuleException>(
            () => TradingCentre.Create("440100", "广州市", "Guangzhou", CentreLevel.Prefecture, parent: null));

        Assert.Equal(CentreRules.ParentRequired, error.RuleCode);
    }

    [Fact]
    public void Create_ProvinceWithParent_ThrowsProvinceHasParent()
    {
        var other = Province();

        var error = Assert.Throws<DomainRuleException>(
            () => TradingCentre.Create("450000", "广西", "Guangxi", CentreLevel.Province, other));

        Assert.Equal(CentreRules.ProvinceHasParent, error.RuleCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void CreateProvince_WithBlankCode_ThrowsCodeRequired(string code)
    {
        var error = Assert.Throws<DomainRuleException>(() => TradingCentre.CreateProvince(code, "省中心", "Province"));

        Assert.Equal(CentreRules.CodeRequired, error.RuleCode);
    }

    [Theory]
    [InlineData("44 00")]
    [InlineData("广东")]
    [InlineData("A23456789012345678901234567890123")]
    public void CreateProvince_WithInvalidCode_ThrowsCodeInvalid(string code)
    {
        var error = Assert.Throws<DomainRuleException>(() => TradingCentre.CreateProvince(code, "省中心", "Province"));

        Assert.Equal(CentreRules.CodeInvalid, error.RuleCode);
    }

    [Fact]
    public void CreateProvince_TrimsAndUppercasesCode()
    {
        var centre = TradingCentre.CreateProvince("  demo-gd ", "省中心", "Province");

        Assert.Equal("DEMO-GD", centre.Code);
    }

    [Fact]
    public void CreateProvince_WithBlankChineseName_ThrowsNameZhRequired()
    {
        var error = Assert.Throws<DomainRuleException>(() => TradingCentre.CreateProvince("440000", " ", "Province"));

        Assert.Equal(CentreRules.NameZhRequired, error.RuleCode);
    }

    [Fact]
    public void Rename_WithBlankEnglishName_ThrowsNameEnRequiredAndKeepsOldNames()
    {
        var centre = Province();

        var error = Assert.Throws<DomainRuleException>(() => centre.Rename("新名称", ""));

        Assert.Equal(CentreRules.NameEnRequired, error.RuleCode);
        Assert.Equal("广东省公共资源交易中心", centre.NameZh);
    }

    [Fact]
    public void Rename_WithTooLongName_ThrowsNameTooLong()
    {
        var centre = Province();

        var error = Assert.Throws<DomainRuleException>(() => centre.Rename(new string('中', TradingCentre.MaxNameLength + 1), "Name"));

        Assert.Equal(CentreRules.NameTooLong, error.RuleCode);
    }

    [Fact]
    public void DisplayName_ReturnsNameInRequestedLanguage()
    {
        var centre = Province();

        Assert.Equal("Guangdong Centre", centre.DisplayName(english: true));
        Assert.Equal("广东省公共资源交易中心", centre.DisplayName(english: false));
    }

    [Theory]
    [InlineData(CentreLevel.Province, null)]
    [InlineData(CentreLevel.Prefecture, CentreLevel.Province)]
    [InlineData(CentreLevel.County, CentreLevel.Prefecture)]
    public void ParentLevelOf_ReturnsLevelDirectlyAbove(CentreLevel level, CentreLevel? expected)
    {
        Assert.Equal(expected, TradingCentre.ParentLevelOf(level));
    }
}
