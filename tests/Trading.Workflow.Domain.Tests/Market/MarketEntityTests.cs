using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Domain.Tests.Market;

public sealed class MarketEntityTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(8));
    private const string CreditCode = "91350100M000100Y43";
    private const string RepresentativeId = "350102198001010003";

    private static readonly Qualification GeneralContracting = new(
        "construction.general-contracting", "一级", "D135012345", "福建省住房和城乡建设厅", new DateOnly(2027, 6, 30), [new ScannedDocument(new string('a', 64), "资质证书.pdf")]);

    private static EntityProfile Profile(string name = "演示建设集团有限公司", params Qualification[] qualifications) =>
        EntityProfile.Create(EntityKind.Organisation, name, CreditCode, "张三", "福州市鼓楼区演示路1号", "350102",
            new BankAccount("演示银行福州分行", name, "6222 0000 1111 2222"), qualifications.Length == 0 ? [GeneralContracting] : qualifications,
            [new Contact("李四", "13800000000", null)], Today, RepresentativeId);

    private static EntityProfile Organisation(string? representativeId) =>
        EntityProfile.Create(EntityKind.Organisation, "公司", CreditCode, "张三", "地址", "350102",
            new BankAccount("银行", "公司", "12345678"), [], [], Today, representativeId);

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Create_Organisation_WithoutTheRepresentativesIdNumber_IsRefused(string? number)
    {
        var error = Assert.Throws<DomainRuleException>(() => Organisation(number));

        Assert.Equal(MarketRules.LegalRepresentativeIdRequired, error.RuleCode);
    }

    [Theory]
    [InlineData("350102198001010004", MarketRules.ResidentIdCheck)]
    [InlineData("35010219800101000", MarketRules.ResidentIdFormat)]
    [InlineData("350102202701010001", MarketRules.ResidentIdBirthDate)]
    public void Create_Organisation_WithAnInvalidRepresentativesIdNumber_IsRefused(string number, string rule)
    {
        var error = Assert.Throws<DomainRuleException>(() => Organisation(number));

        Assert.Equal(rule, error.RuleCode);
    }

    [Fact]
    public void Create_Organisation_NormalisesTheRepresentativesIdNumberAndMasksIt()
    {
        var profile = Organisation(" 350102 19800101002x ");

        Assert.Equal("35010219800101002X", profile.LegalRepresentativeIdNumber);
        Assert.Equal("3501**********002X", profile.MaskedLegalRepresentativeId());
    }

    [Fact]
    public void Create_NaturalPerson_KeepsNoRepresentativesIdNumber()
    {
        var profile = EntityProfile.Create(EntityKind.NaturalPerson, "王小明", "11010519491231002X", null, "", "110105", null, [], [], Today,
            RepresentativeId);

        Assert.Null(profile.LegalRepresentativeIdNumber);
        Assert.Null(profile.MaskedLegalRepresentativeId());
    }

    private static MarketEntity Registered() => MarketEntity.Register(EntityKind.Organisation, Profile(), "firm.admin", Now);

    private static readonly QualificationRequirement NeedsGeneralContracting = new("construction.general-contracting", ["一级", "特级"]);

    [Fact]
    public void Register_WaitsForVerificationAndCannotTakePart()
    {
        var entity = Registered();

        Assert.Null(entity.Verified);
        Assert.Equal(SubmissionState.Pending, entity.SubmissionState);
        var eligibility = entity.CheckEligibility(Today, []);
        Assert.Equal(MarketRules.NotVerified, Assert.Single(eligibility.Problems).RuleCode);
        Assert.True(Assert.Single(entity.Members).IsAdministrator);
    }

    [Fact]
    public void Approve_MakesTheEntityEligible()
    {
        var entity = Registered();

        entity.Approve("staff", Now);

        Assert.True(entity.CheckEligibility(Today, [NeedsGeneralContracting]).IsEligible);
        Assert.Equal("staff", entity.VerifiedBy);
        Assert.Null(entity.Submitted);
    }

    [Fact]
    public void Return_NeedsAReasonAndKeepsTheSubmissionForCorrection()
    {
        var entity = Registered();

        Assert.Equal(MarketRules.ReturnReasonRequired, Assert.Throws<DomainRuleException>(() => entity.Return("staff", " ")).RuleCode);
        entity.Return("staff", "营业执照扫描件不清晰");

        Assert.Equal(SubmissionState.Returned, entity.SubmissionState);
        Assert.Equal("营业执照扫描件不清晰", entity.ReturnReason);
        Assert.Equal(MarketRules.NothingToVerify, Assert.Throws<DomainRuleException>(() => entity.Approve("staff", Now)).RuleCode);
    }

    [Fact]
    public void SubmitChange_KeepsTheVerifiedProfileInForceUntilApprovedAndThenInTheHistory()
    {
        var entity = Registered();
        entity.Approve("staff", Now);

        entity.SubmitChange(Profile("演示建设集团股份有限公司"), "firm.admin", Now);

        Assert.Equal("演示建设集团有限公司", entity.DisplayName);
        entity.Approve("staff2", Now.AddDays(1));
        Assert.Equal("演示建设集团股份有限公司", entity.Verified!.Name);
        var previous = Assert.Single(entity.History);
        Assert.Equal("演示建设集团有限公司", previous.Profile.Name);
        Assert.Equal(Now.AddDays(1), previous.SupersededAt);
    }

    [Fact]
    public void SubmitChange_AnotherCreditCode_IsRefused()
    {
        var entity = Registered();
        var other = EntityProfile.Create(EntityKind.Organisation, "别的公司", "91440300708461136T", "王五", "深圳", "440300",
            new BankAccount("银行", "别的公司", "12345678"), [], [], Today, RepresentativeId);

        Assert.Equal(MarketRules.IdentifierImmutable, Assert.Throws<DomainRuleException>(() => entity.SubmitChange(other, "firm.admin", Now)).RuleCode);
    }

    [Fact]
    public void SubmitChange_ByANonMember_IsRefused()
    {
        var entity = Registered();

        Assert.Throws<DomainRuleException>(() => entity.SubmitChange(Profile(), "stranger", Now));
    }

    [Fact]
    public void CheckEligibility_ExpiredQualification_SaysSinceWhen()
    {
        var expired = GeneralContracting with { ValidUntil = new DateOnly(2026, 11, 30) };
        var entity = MarketEntity.Register(EntityKind.Organisation, Profile(qualifications: expired), "firm.admin", Now);
        entity.Approve("staff", Now);

        var problem = Assert.Single(entity.CheckEligibility(Today, [NeedsGeneralContracting]).Problems);

        Assert.Equal(MarketRules.QualificationExpired, problem.RuleCode);
        Assert.Equal(new DateOnly(2026, 11, 30), problem.ExpiredOn);
    }

    [Fact]
    public void CheckEligibility_WrongGradeOrMissingKind_ReportsEachRequirement()
    {
        var second = GeneralContracting with { Grade = "二级" };
        var entity = MarketEntity.Register(EntityKind.Organisation, Profile(qualifications: second), "firm.admin", Now);
        entity.Approve("staff", Now);

        var problems = entity.CheckEligibility(Today, [NeedsGeneralContracting, new QualificationRequirement("safety-licence", [])]).Problems;

        Assert.Equal([MarketRules.QualificationMissing, MarketRules.QualificationMissing], problems.Select(p => p.RuleCode));
    }

    [Fact]
    public void Members_OnlyAdministratorsInviteAndTheLastOneStays()
    {
        var entity = Registered();

        entity.Invite("firm.admin", "firm.clerk", asAdministrator: false, Now);

        Assert.Equal(MarketRules.NotAMemberAdministrator,
            Assert.Throws<DomainRuleException>(() => entity.Invite("firm.clerk", "someone", false, Now)).RuleCode);
        Assert.Equal(MarketRules.AlreadyAMember,
            Assert.Throws<DomainRuleException>(() => entity.Invite("firm.admin", "firm.clerk", false, Now)).RuleCode);
        Assert.Equal(MarketRules.LastAdministrator,
            Assert.Throws<DomainRuleException>(() => entity.RemoveMember("firm.admin", "firm.admin")).RuleCode);
        entity.RemoveMember("firm.admin", "firm.clerk");
        Assert.False(entity.IsMember("firm.clerk"));
    }

    [Theory]
    [InlineData("1234", MarketRules.BankAccountNumber)]
    [InlineData("6222-abc-1111", MarketRules.BankAccountNumber)]
    public void Profile_BadBankAccount_IsRefused(string number, string rule)
    {
        var error = Assert.Throws<DomainRuleException>(() => EntityProfile.Create(EntityKind.Organisation, "公司", CreditCode, "张三", "地址", "350102",
            new BankAccount("银行", "公司", number), [], [], Today, RepresentativeId));

        Assert.Equal(rule, error.RuleCode);
    }

    [Fact]
    public void Profile_NaturalPerson_UsesTheResidentIdAndNeedsNoRepresentativeOrAccount()
    {
        var profile = EntityProfile.Create(EntityKind.NaturalPerson, "王小明", "11010519491231002x", null, "", "110105", null, [], [], Today);

        Assert.Equal("11010519491231002X", profile.Identifier);
        Assert.Null(profile.LegalRepresentative);
    }

    [Fact]
    public void Profile_SameCertificateTwice_IsRefused()
    {
        var error = Assert.Throws<DomainRuleException>(() => Profile(qualifications: [GeneralContracting, GeneralContracting]));

        Assert.Equal(MarketRules.QualificationDuplicate, error.RuleCode);
    }

    [Fact]
    public void Status_FollowsRegistrationVerificationAndChanges()
    {
        var entity = Registered();
        Assert.Equal(VerificationStatus.PendingVerification, entity.Status);

        entity.Return("staff", "缺少营业执照");
        Assert.Equal(VerificationStatus.Returned, entity.Status);
        entity.SubmitChange(Profile(), "firm.admin", Now);
        entity.Approve("staff", Now);
        Assert.Equal(VerificationStatus.Verified, entity.Status);
        entity.SubmitChange(Profile("改名公司"), "firm.admin", Now);
        Assert.Equal(VerificationStatus.VerifiedChangePending, entity.Status);
        entity.Return("staff", "名称与执照不符");
        Assert.Equal(VerificationStatus.VerifiedChangeReturned, entity.Status);
    }

    [Fact]
    public void CheckEligibility_Returned_SaysSoWithTheReason()
    {
        var entity = Registered();
        entity.Return("staff", "缺少营业执照");

        var problem = Assert.Single(entity.CheckEligibility(Today, []).Problems);

        Assert.Equal(MarketRules.Returned, problem.RuleCode);
    }

    [Fact]
    public void CheckEligibility_WhileAChangeWaits_TheVerifiedProfileCounts()
    {
        var entity = Registered();
        entity.Approve("staff", Now);

        entity.SubmitChange(Profile(qualifications: GeneralContracting with { Grade = "二级", Number = "X2" }), "firm.admin", Now);

        Assert.True(entity.CheckEligibility(Today, [NeedsGeneralContracting]).IsEligible);
    }

    [Fact]
    public void Approve_AndReturn_EachBumpTheVersion()
    {
        var entity = Registered();
        var before = entity.Version;

        entity.Return("staff", "请补充");
        entity.SubmitChange(Profile(), "firm.admin", Now);
        entity.Approve("staff", Now);

        Assert.Equal(before + 3, entity.Version);
    }

    [Theory]
    [InlineData("35010", MarketRules.RegionFormat)]
    [InlineData("35O102", MarketRules.RegionFormat)]
    [InlineData("", MarketRules.RegionRequired)]
    public void Profile_BadRegion_IsRefused(string region, string rule)
    {
        var error = Assert.Throws<DomainRuleException>(() => EntityProfile.Create(EntityKind.Organisation, "公司", CreditCode, "张三", "地址", region,
            new BankAccount("银行", "公司", "12345678"), [], [], Today, RepresentativeId));

        Assert.Equal(rule, error.RuleCode);
    }

    [Theory]
    [InlineData("", "13800000000", null, MarketRules.ContactIncomplete)]
    [InlineData("李四", "138-abc", null, MarketRules.ContactPhone)]
    [InlineData("李四", "13800000000", "not-an-address", MarketRules.ContactEmail)]
    public void Profile_BadContact_IsRefused(string name, string phone, string? email, string rule)
    {
        var error = Assert.Throws<DomainRuleException>(() => EntityProfile.Create(EntityKind.Organisation, "公司", CreditCode, "张三", "地址", "350102",
            new BankAccount("银行", "公司", "12345678"), [], [new Contact(name, phone, email)], Today, RepresentativeId));

        Assert.Equal(rule, error.RuleCode);
    }

    [Fact]
    public void Profile_QualificationWithoutIssuer_IsRefused()
    {
        var error = Assert.Throws<DomainRuleException>(() => Profile(qualifications: GeneralContracting with { Issuer = " " }));

        Assert.Equal(MarketRules.QualificationIncomplete, error.RuleCode);
    }

    [Fact]
    public void RemoveMember_NotAMember_ReportsFalse()
    {
        var entity = Registered();

        Assert.False(entity.RemoveMember("firm.admin", "nobody"));
    }
}
