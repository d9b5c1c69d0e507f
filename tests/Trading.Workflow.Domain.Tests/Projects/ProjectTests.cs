using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Tests.Projects;

public sealed class ProjectTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly Guid Centre = Guid.NewGuid();
    private static readonly Guid Owner = Guid.NewGuid();

    private static Project Register(params Project.SectionDraft[] sections) => Project.Register(
        ProjectCode.Format("530100", TradeTypes.EngineeringConstruction, 2026, 17), Centre, TradeTypes.EngineeringConstruction,
        "open-tender", "演示学校教学楼新建工程", Owner, agencyEntityId: null, agencyLetterHash: null, stateFunded: true, "530102",
        "房屋建筑", sections.Length == 0 ? [new("施工", 8_600_000m)] : sections, "tenderee", Now);

    [Fact]
    public void Code_FormatsAndParsesBack()
    {
        var code = ProjectCode.Format("530100", TradeTypes.EngineeringConstruction, 2026, 17);

        Assert.Equal("530100-GC-2026-00017", code);
        Assert.Equal(("530100", TradeTypes.EngineeringConstruction, 2026, 17), ProjectCode.Parse(code));
        Assert.Equal("530100-GC-2026-00017-03", ProjectCode.Section(code, 3));
    }

    [Fact]
    public void Code_ACentreCodeWithHyphens_ParsesBack()
    {
        var code = ProjectCode.Format("DEMO-KM", TradeTypes.LandRights, 2026, 1);

        Assert.Equal(("DEMO-KM", TradeTypes.LandRights, 2026, 1), ProjectCode.Parse(code));
    }

    [Theory]
    [InlineData("DEMO-2026-001")]
    [InlineData("530100-XX-2026-00017")]
    [InlineData("530100-GC-2026-17")]
    [InlineData("")]
    public void Code_SomethingElse_IsRefused(string text)
    {
        Assert.Equal(ProjectRules.CodeFormat, Assert.Throws<DomainRuleException>(() => ProjectCode.Parse(text)).RuleCode);
    }

    [Fact]
    public void Register_NumbersSectionsUnderTheProjectCode()
    {
        var project = Register(new("一标段：主体结构", 5_000_000m), new("二标段：室外工程", 1_200_000.456m));

        Assert.Equal(["530100-GC-2026-00017-01", "530100-GC-2026-00017-02"], project.Sections.Select(s => s.Code));
        Assert.Equal(6_200_000.46m, project.EstimatedPrice);
        Assert.Equal(ProjectState.Draft, project.State);
    }

    [Fact]
    public void Register_WithoutSections_IsRefused()
    {
        var error = Assert.Throws<DomainRuleException>(() => Project.Register("530100-GC-2026-00017", Centre, TradeTypes.EngineeringConstruction,
            "open-tender", "项目", Owner, null, null, false, "530102", "房屋建筑", [], "tenderee", Now));

        Assert.Equal(ProjectRules.SectionRequired, error.RuleCode);
    }

    [Fact]
    public void Register_AnAgencyWithoutItsLetter_IsRefused()
    {
        var error = Assert.Throws<DomainRuleException>(() => Project.Register("530100-GC-2026-00017", Centre, TradeTypes.EngineeringConstruction,
            "open-tender", "项目", Owner, Guid.NewGuid(), null, false, "530102", "房屋建筑", [new("施工", 1m)], "agency", Now));

        Assert.Equal(ProjectRules.AgencyLetterRequired, error.RuleCode);
    }

    [Fact]
    public void Register_ACodeOfAnotherTradeType_IsRefused()
    {
        var error = Assert.Throws<DomainRuleException>(() => Project.Register("530100-TD-2026-00017", Centre, TradeTypes.EngineeringConstruction,
            "open-tender", "项目", Owner, null, null, false, "530102", "房屋建筑", [new("施工", 1m)], "tenderee", Now));

        Assert.Equal(ProjectRules.CodeFormat, error.RuleCode);
    }

    [Theory]
    [InlineData(0, ProjectRules.PriceNotPositive)]
    [InlineData(-1, ProjectRules.PriceNotPositive)]
    [InlineData(2_000_000_000_000, ProjectRules.PriceTooLarge)]
    public void Register_ImplausiblePrice_IsRefused(decimal price, string rule)
    {
        Assert.Equal(rule, Assert.Throws<DomainRuleException>(() => Register(new Project.SectionDraft("施工", price))).RuleCode);
    }

    [Fact]
    public void SetDeposit_AboveTheCap_IsRefusedAndAtTheCapAccepted()
    {
        var section = Register().Sections[0];

        Assert.Equal(ProjectRules.DepositAboveCap, Assert.Throws<DomainRuleException>(() => section.SetDeposit(172_000.01m, 0.02m)).RuleCode);
        section.SetDeposit(172_000m, 0.02m);
        Assert.Equal(172_000m, section.DepositAmount);
    }

    [Fact]
    public void Submit_EndsTheDraftAndLinksTheInstanceOnce()
    {
        var project = Register();
        var instance = Guid.NewGuid();

        project.Submit(Now);
        project.LinkInstance(instance);
        project.LinkInstance(instance);

        Assert.Equal(ProjectState.Active, project.State);
        Assert.Equal(ProjectRules.NotDraft, Assert.Throws<DomainRuleException>(() => project.AddSection("追加", 1m)).RuleCode);
        Assert.Equal(ProjectRules.AlreadyLinked, Assert.Throws<DomainRuleException>(() => project.LinkInstance(Guid.NewGuid())).RuleCode);
    }

    [Fact]
    public void TradeTypes_ProcessIdPrefix_NamesTheType()
    {
        Assert.Equal(TradeTypes.EngineeringConstruction, TradeTypes.Of("engineering-construction.open-tender"));
        Assert.Equal(TradeTypes.Other, TradeTypes.Of("camunda-import"));
        Assert.Equal(TradeTypes.Other, TradeTypes.Of("unknown.process"));
    }
}
