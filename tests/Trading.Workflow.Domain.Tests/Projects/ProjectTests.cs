using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Tests.Projects;

public sealed class ProjectTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly Guid Centre = Guid.NewGuid();
    private static readonly PartyRef Owner = new(Guid.NewGuid(), "演示市第一中学");
    private static readonly PartyRef Agency = new(Guid.NewGuid(), "演示招标代理有限公司");
    private const string Letter = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private const string Code = "530100-GC-2026-00017";

    private static ProjectDetails Details(PartyRef? agency = null, string? letter = null, string method = TradeMethods.OpenTender) =>
        new(method, "演示学校教学楼新建工程", Owner, agency, letter, StateFunded: true, "530102", "房屋建筑");

    private static Project Register(params SectionDraft[] sections) => Project.Register(
        Code, Centre, TradeTypes.EngineeringConstruction, Details(),
        sections.Length == 0 ? [new("施工", 8_600_000m)] : sections, "tenderee", Now);

    private static string RuleOf(Action action) => Assert.Throws<DomainRuleException>(action).RuleCode;

    [Fact]
    public void Code_FormatsAndParsesBack()
    {
        var code = ProjectCode.Format("530100", TradeTypes.EngineeringConstruction, 2026, 17);

        Assert.Equal(Code, code);
        Assert.Equal(("530100", TradeTypes.EngineeringConstruction, 2026, 17), ProjectCode.Parse(code));
        Assert.Equal("530100-GC-2026-00017-03", ProjectCode.Section(code, 3));
    }

    [Theory]
    [InlineData("530100-GC-2026-00017-03", "530100-GC-2026-00017", "03")]
    [InlineData("530100-GC-2026-00017-03", "530100-GC-2026-00018", "530100-GC-2026-00017-03")]
    [InlineData("530100-GC-2026-00017", "530100-GC-2026-00017", "530100-GC-2026-00017")]
    [InlineData("530100-GC-2026-0001703", "530100-GC-2026-00017", "530100-GC-2026-0001703")]
    public void SectionNumber_IsTheEndOfTheProjectsSectionCode_AndAnyOtherCodeWhole(string sectionCode, string projectCode, string expected) =>
        Assert.Equal(expected, ProjectCode.SectionNumber(sectionCode, projectCode));

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
        Assert.Equal(ProjectRules.CodeFormat, RuleOf(() => ProjectCode.Parse(text)));
    }

    [Fact]
    public void Register_NumbersSectionsUnderTheProjectCodeAndSumsTheirPrices()
    {
        var project = Register(new("一标段：主体结构", 5_000_000m), new("二标段：室外工程", 1_200_000.456m));

        Assert.Equal(["530100-GC-2026-00017-01", "530100-GC-2026-00017-02"], project.Sections.Select(s => s.Code));
        Assert.All(project.Sections, s => Assert.Equal(project.Id, s.ProjectId));
        Assert.Equal(6_200_000.46m, project.EstimatedPrice);
        Assert.Equal(ProjectState.Draft, project.State);
        Assert.Equal(("演示市第一中学", Owner.EntityId), (project.OwnerName, project.OwnerEntityId));
    }

    [Fact]
    public void Register_WithoutSections_IsRefused()
    {
        Assert.Equal(ProjectRules.SectionRequired, RuleOf(() => Project.Register(
            Code, Centre, TradeTypes.EngineeringConstruction, Details(), [], "tenderee", Now)));
    }

    [Fact]
    public void Register_AnAgencyWithoutItsLetter_IsRefused()
    {
        Assert.Equal(ProjectRules.AgencyLetterRequired, RuleOf(() => Project.Register(
            Code, Centre, TradeTypes.EngineeringConstruction, Details(Agency), [new("施工", 1m)], "agency", Now)));
    }

    [Fact]
    public void Register_AnAgencyWithItsLetter_KeepsTheLetterHash()
    {
        var project = Project.Register(Code, Centre, TradeTypes.EngineeringConstruction, Details(Agency, Letter.ToUpperInvariant()),
            [new("施工", 1m)], "agency", Now);

        Assert.Equal((Agency.EntityId, Agency.Name, Letter), (project.AgencyEntityId, project.AgencyName, project.AgencyLetterSha256));
    }

    [Theory]
    [InlineData("not-a-hash", ProjectRules.AgencyLetterInvalid)]
    [InlineData("", ProjectRules.AgencyLetterRequired)]
    public void Register_AnAgencyWithABadLetter_IsRefused(string letter, string rule)
    {
        Assert.Equal(rule, RuleOf(() => Project.Register(
            Code, Centre, TradeTypes.EngineeringConstruction, Details(Agency, letter), [new("施工", 1m)], "agency", Now)));
    }

    [Fact]
    public void Register_TheOwnerAsItsOwnAgency_IsRefused()
    {
        Assert.Equal(ProjectRules.AgencyIsOwner, RuleOf(() => Project.Register(
            Code, Centre, TradeTypes.EngineeringConstruction, Details(Owner, Letter), [new("施工", 1m)], "agency", Now)));
    }

    [Fact]
    public void Register_ACodeOfAnotherTradeType_IsRefused()
    {
        Assert.Equal(ProjectRules.CodeFormat, RuleOf(() => Project.Register(
            "530100-TD-2026-00017", Centre, TradeTypes.EngineeringConstruction, Details(), [new("施工", 1m)], "tenderee", Now)));
    }

    [Fact]
    public void Register_AMethodOfAnotherTradeType_IsRefused()
    {
        Assert.Equal(ProjectRules.MethodUnknown, RuleOf(() => Project.Register(
            Code, Centre, TradeTypes.EngineeringConstruction, Details(method: TradeMethods.Listing), [new("施工", 1m)], "tenderee", Now)));
    }

    [Theory]
    [InlineData("5301")]
    [InlineData("53010A")]
    [InlineData("")]
    public void Register_ARegionThatIsNoDivisionCode_IsRefused(string region)
    {
        Assert.Equal(ProjectRules.RegionInvalid, RuleOf(() => Project.Register(
            Code, Centre, TradeTypes.EngineeringConstruction, Details() with { RegionCode = region }, [new("施工", 1m)], "tenderee", Now)));
    }

    [Fact]
    public void Register_WithoutOwner_IsRefused()
    {
        Assert.Equal(ProjectRules.OwnerRequired, RuleOf(() => Project.Register(
            Code, Centre, TradeTypes.EngineeringConstruction, Details() with { Owner = new(Guid.Empty, "x") }, [new("施工", 1m)], "tenderee", Now)));
    }

    [Theory]
    [InlineData(0, ProjectRules.PriceNotPositive)]
    [InlineData(-1, ProjectRules.PriceNotPositive)]
    [InlineData(2_000_000_000_000, ProjectRules.PriceTooLarge)]
    public void Register_ImplausiblePrice_IsRefused(decimal price, string rule)
    {
        Assert.Equal(rule, RuleOf(() => Register(new SectionDraft("施工", price))));
    }

    [Fact]
    public void Deposit_EngineeringAboveTwoPercent_IsRefusedAndAtTheCapAccepted()
    {
        Assert.Equal(ProjectRules.DepositAboveCap, RuleOf(() => Register(new SectionDraft("施工", 8_600_000m, 172_000.01m, DepositForms.Transfer))));

        var project = Register(new SectionDraft("施工", 8_600_000m, 172_000m, DepositForms.Transfer | DepositForms.ElectronicGuarantee));

        Assert.Equal(172_000m, project.Sections[0].DepositAmount);
        Assert.Equal(DepositForms.Transfer | DepositForms.ElectronicGuarantee, project.Sections[0].DepositForms);
    }

    [Fact]
    public void Deposit_WithoutAForm_IsRefused()
    {
        Assert.Equal(ProjectRules.DepositFormRequired, RuleOf(() => Register(new SectionDraft("施工", 1_000_000m, 10_000m))));
    }

    [Fact]
    public void Deposit_NoneAsked_ClearsTheForms()
    {
        var project = Register(new SectionDraft("施工", 1_000_000m, 0m, DepositForms.Cheque));

        Assert.Equal((0m, DepositForms.None), (project.Sections[0].DepositAmount, project.Sections[0].DepositForms));
    }

    [Fact]
    public void Deposit_ProcurementInCash_IsRefused()
    {
        var details = Details() with { Method = TradeMethods.OpenTender };

        Assert.Equal(ProjectRules.DepositFormNotAllowed, RuleOf(() => Project.Register("530100-ZC-2026-00001", Centre, TradeTypes.GovernmentProcurement,
            details, [new("办公设备", 500_000m, 10_000m, DepositForms.Transfer)], "tenderee", Now)));
        Assert.Equal(DepositForms.ElectronicGuarantee, Project.Register("530100-ZC-2026-00001", Centre, TradeTypes.GovernmentProcurement,
            details, [new("办公设备", 500_000m, 10_000m, DepositForms.ElectronicGuarantee)], "tenderee", Now).Sections[0].DepositForms);
    }

    [Fact]
    public void Deposit_LandHasNoStatutoryCap()
    {
        var project = Project.Register("530100-TD-2026-00001", Centre, TradeTypes.LandRights, Details(method: TradeMethods.Listing),
            [new("地块一", 10_000_000m, 5_000_000m, DepositForms.Transfer)], "grantor", Now);

        Assert.Null(project.DepositTerms.CapRate);
        Assert.Equal(5_000_000m, project.Sections[0].DepositAmount);
    }

    [Fact]
    public void Revise_ChangesKeepsAddsRemovesAndRenumbersSections()
    {
        var project = Register(new("一标段", 1_000m), new("二标段", 2_000m), new("三标段", 3_000m));
        var second = project.Sections[1].Id;
        var revision = project.Revision;

        project.Revise(Details() with { Name = "改名后的项目" },
            [new SectionEdit(second, new("二标段（改）", 2_500m)), new SectionEdit(null, new("新标段", 500m))], Now.AddHours(1));

        Assert.Equal("改名后的项目", project.Name);
        Assert.Equal([(second, "530100-GC-2026-00017-01", "二标段（改）"), (project.Sections[1].Id, "530100-GC-2026-00017-02", "新标段")],
            project.Sections.Select(s => (s.Id, s.Code, s.Subject)));
        Assert.Equal(3_000m, project.EstimatedPrice);
        Assert.Equal(revision + 1, project.Revision);
        Assert.Equal(Now.AddHours(1), project.UpdatedAt);
    }

    [Fact]
    public void Revise_ARefusedEdit_ChangesNothing()
    {
        var project = Register(new("一标段", 1_000m), new("二标段", 2_000m));
        var before = project.Sections.Select(s => (s.Id, s.Code, s.Subject, s.EstimatedPrice)).ToList();

        Assert.Equal(ProjectRules.PriceNotPositive, RuleOf(() => project.Revise(Details() with { Name = "新名称" },
            [new SectionEdit(project.Sections[0].Id, new("一标段（改）", 1_500m)), new SectionEdit(null, new("坏标段", 0m))], Now)));

        Assert.Equal("演示学校教学楼新建工程", project.Name);
        Assert.Equal(before, project.Sections.Select(s => (s.Id, s.Code, s.Subject, s.EstimatedPrice)));
    }

    [Fact]
    public void Revise_ASectionOfAnotherProject_IsRefused()
    {
        var project = Register();

        Assert.Equal(ProjectRules.SectionUnknown, RuleOf(() => project.Revise(Details(), [new SectionEdit(Guid.NewGuid(), new("施工", 1m))], Now)));
    }

    [Fact]
    public void Submit_EndsTheDraftAndLinksTheInstance()
    {
        var project = Register();
        var instance = Guid.NewGuid();

        project.Submit("engineering-construction.open-tender", instance, Now);

        Assert.Equal(ProjectState.Submitted, project.State);
        Assert.Equal(("engineering-construction.open-tender", instance, Now), (project.ProcessId, project.ProcessInstanceId, project.SubmittedAt));
        Assert.Equal(ProjectRules.NotDraft, RuleOf(() => project.Revise(Details(), [new SectionEdit(null, new("追加", 1m))], Now)));
        Assert.Equal(ProjectRules.NotDraft, RuleOf(() => project.Submit("engineering-construction.open-tender", instance, Now)));
    }

    [Fact]
    public void CompleteOrTerminate_OnlyARunningProject_AndSaysItIsNotRunning()
    {
        var project = Register();
        Assert.Equal(ProjectRules.NotRunning, RuleOf(() => project.Complete(Now)));
        Assert.Equal(ProjectRules.NotRunning, RuleOf(() => project.Terminate(Now)));

        project.Submit("engineering-construction.open-tender", Guid.NewGuid(), Now);
        project.Terminate(Now);

        Assert.Equal(ProjectState.Terminated, project.State);
        Assert.Equal(ProjectRules.NotRunning, RuleOf(() => project.Complete(Now)));
        Assert.Equal(ProjectRules.NotRunning, RuleOf(() => project.Terminate(Now)));
    }

    [Fact]
    public void TradeTypes_ProcessIdPrefix_NamesTheType()
    {
        Assert.Equal(TradeTypes.EngineeringConstruction, TradeTypes.Of("engineering-construction.open-tender"));
        Assert.Equal(TradeTypes.Other, TradeTypes.Of("camunda-import"));
        Assert.Equal(TradeTypes.Other, TradeTypes.Of("unknown.process"));
    }

    [Fact]
    public void TradeMethods_EveryRegistrableTypeHasMethods()
    {
        Assert.All(TradeTypes.Registrable, t => Assert.NotEmpty(TradeMethods.Of(t)));
        Assert.Empty(TradeMethods.Of(TradeTypes.Other));
    }
}
