using Trading.Workflow.Domain.Deposits;
using Trading.Workflow.Domain.Projects;
using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Tests.Deposits;

public sealed class DepositTermsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 12, 2);

    internal static SectionTerms Terms(decimal amount = 20_000m, DepositForms forms = DepositForms.Transfer | DepositForms.ElectronicGuarantee) =>
        new(Guid.NewGuid(), "GC-2026-0001-01", "施工一标段", Guid.NewGuid(), "GC-2026-0001", "城市道路改造工程", Guid.NewGuid(),
            TradeTypes.EngineeringConstruction, amount, forms, "演示市城市建设投资有限公司", new DateOnly(2027, 3, 31));

    private static DepositSection Section(DepositForms forms = DepositForms.Transfer | DepositForms.ElectronicGuarantee) =>
        DepositSection.Create(7, Terms(forms: forms), Now, "staff");

    private static GuaranteeDetails Guarantee(decimal amount = 20_000m, string beneficiary = "演示市城市建设投资有限公司") =>
        new("中国银行演示分行", "BH-2026-0042", amount, new DateOnly(2026, 11, 30), new DateOnly(2027, 4, 30), beneficiary);

    [Fact]
    public void SubAccount_CarriesTheSectionSerialAndACheckDigit()
    {
        var number = SubAccountNumber.Create(7, 3);

        Assert.Equal(SubAccountNumber.Length, number.Length);
        Assert.StartsWith("000000070003", number, StringComparison.Ordinal);
        Assert.True(SubAccountNumber.IsValid(number));
        Assert.Equal(7, SubAccountNumber.SectionSerialOf(number));
    }

    [Fact]
    public void SubAccount_WithOneDigitMistyped_FailsItsCheckButKeepsItsSection()
    {
        var number = SubAccountNumber.Create(12, 45);
        var typo = number[..10] + (char)('0' + ((number[10] - '0' + 1) % 10)) + number[11..];

        Assert.False(SubAccountNumber.IsValid(typo));
        Assert.Equal(12, SubAccountNumber.SectionSerialOf(typo));
    }

    [Fact]
    public void SubAccount_AsTypedWithSpaces_IsNormalized()
    {
        var number = SubAccountNumber.Create(1, 1);

        Assert.True(SubAccountNumber.IsValid(string.Join(' ', number.Chunk(4).Select(c => new string(c)))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100.005)]
    public void Terms_WithAnImpossibleAmount_AreRefused(decimal amount)
    {
        var error = Assert.Throws<DomainRuleException>(() => DepositSection.Create(1, Terms(amount), Now, "staff"));

        Assert.Equal(DepositRules.AmountNotPositive, error.RuleCode);
    }

    [Fact]
    public void Terms_WithoutAnyForm_AreRefused()
    {
        var error = Assert.Throws<DomainRuleException>(() => DepositSection.Create(1, Terms(forms: DepositForms.None), Now, "staff"));

        Assert.Equal(DepositRules.NoFormAccepted, error.RuleCode);
    }

    [Fact]
    public void Guarantee_MatchingTheSection_IsAccepted()
    {
        var guarantee = ElectronicGuarantee.Record(Section(), Guid.NewGuid(), Guarantee(), Today, Now, "bidder");

        Assert.True(guarantee.Accepted);
        Assert.Empty(guarantee.ProblemCodes);
    }

    [Fact]
    public void Guarantee_BeneficiaryWithFullWidthBracketsAndSpaces_IsTheSameName()
    {
        var section = DepositSection.Create(1, Terms() with { Beneficiary = "演示市城投(演示数据)" }, Now, "staff");

        var guarantee = ElectronicGuarantee.Record(section, Guid.NewGuid(), Guarantee(beneficiary: " 演示市城投（演示数据）"), Today, Now, "bidder");

        Assert.True(guarantee.Accepted);
    }

    [Fact]
    public void Guarantee_BelowTheAmountForAnotherBeneficiary_IsRecordedWithBothProblems()
    {
        var guarantee = ElectronicGuarantee.Record(Section(), Guid.NewGuid(), Guarantee(amount: 19_999.99m, beneficiary: "另一家公司"), Today, Now, "bidder");

        Assert.False(guarantee.Accepted);
        Assert.Equal([DepositRules.GuaranteeAmountTooLow, DepositRules.GuaranteeWrongBeneficiary], guarantee.ProblemCodes);
    }

    [Fact]
    public void Guarantee_EndingBeforeTheBidValidity_IsRefused()
    {
        var problems = ElectronicGuarantee.Check(Section(), Guarantee() with { ValidUntil = new DateOnly(2027, 3, 30) }, Today);

        Assert.Equal([DepositRules.GuaranteeEndsTooEarly], problems);
    }

    [Fact]
    public void Guarantee_NotYetValidToday_IsRefused()
    {
        var problems = ElectronicGuarantee.Check(Section(), Guarantee() with { ValidFrom = Today.AddDays(1) }, Today);

        Assert.Equal([DepositRules.GuaranteeNotValidNow], problems);
    }

    [Fact]
    public void Guarantee_ForASectionTakingOnlyTransfers_IsRefused()
    {
        var problems = ElectronicGuarantee.Check(Section(DepositForms.Transfer), Guarantee(), Today);

        Assert.Equal([DepositRules.GuaranteeNotAccepted], problems);
    }

    [Fact]
    public void Interest_ComesFromTheTradeTypeUnlessTheSectionSetsIt()
    {
        var options = new DepositOptions();
        var engineering = Section();
        var land = DepositSection.Create(2, Terms() with { TradeType = TradeTypes.LandRights }, Now, "staff");
        var ownRate = DepositSection.Create(3, Terms() with { InterestRate = 0.01m }, Now, "staff");

        Assert.Equal(0.0035m, options.InterestRateFor(engineering));
        Assert.Equal(0m, options.InterestRateFor(land));
        Assert.Equal(0.01m, options.InterestRateFor(ownRate));
    }

    [Fact]
    public void Options_WithAShortSecretOrUnknownInstructionBank_NameTheSetting()
    {
        var options = new DepositOptions { Banks = { ["boc"] = new BankOptions { Secret = "short" } }, InstructionBank = "icbc" };

        var errors = options.Validate().ToList();

        Assert.Contains(errors, e => e.Contains("Deposits:Banks:boc:Secret", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Deposits:InstructionBank", StringComparison.Ordinal));
    }
}
