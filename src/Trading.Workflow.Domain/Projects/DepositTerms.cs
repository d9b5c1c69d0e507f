using Trading.Workflow.Domain.Trades;

namespace Trading.Workflow.Domain.Projects;

/// <summary>
/// How a participant may pay a section's deposit (保证金的形式). Stored as the sum of the flags: never renumber.
/// </summary>
[Flags]
public enum DepositForms
{
    None = 0,

    /// <summary>Transfer from the participant's basic account (现金/转账, 从基本账户转出).</summary>
    Transfer = 1,

    /// <summary>Cheque (支票).</summary>
    Cheque = 2,

    /// <summary>Bank draft (汇票).</summary>
    BankDraft = 4,

    /// <summary>Paper bank guarantee (银行保函).</summary>
    BankGuarantee = 8,

    /// <summary>Electronic guarantee (电子保函) of a bank, guarantor or insurer.</summary>
    ElectronicGuarantee = 16,
}

/// <summary>
/// The legal frame of a trade type's deposits: the cap as a share of the section's estimated price or budget, and
/// the forms the law admits. Engineering: ≤2% of the estimated price, cash from the basic account or guarantees
/// (条例 26). Government procurement: ≤2% of the budget, non-cash only (政府采购法实施条例 33). Land, mineral, asset
/// and environmental-rights trades: the amount is set by the grantor or transferor, no statutory cap.
/// </summary>
public sealed record DepositTerms(decimal? CapRate, DepositForms Allowed)
{
    public const DepositForms AllForms =
        DepositForms.Transfer | DepositForms.Cheque | DepositForms.BankDraft | DepositForms.BankGuarantee | DepositForms.ElectronicGuarantee;

    public static DepositTerms For(string tradeType) => tradeType switch
    {
        TradeTypes.EngineeringConstruction => new(0.02m, AllForms),
        TradeTypes.GovernmentProcurement => new(0.02m, AllForms & ~DepositForms.Transfer),
        _ when TradeTypes.IsRegistrable(tradeType) => new(null, AllForms),
        _ => throw new DomainRuleException(ProjectRules.TradeTypeUnknown, $"'{tradeType}' is not a trade type of the catalog."),
    };

    /// <summary>The largest deposit a section of this estimated price may ask, or null when the law sets none.</summary>
    public decimal? CapFor(decimal estimatedPrice) =>
        CapRate is { } rate ? decimal.Round(estimatedPrice * rate, 2, MidpointRounding.ToZero) : null;

    /// <summary>The single forms of a set, in flag order.</summary>
    public static IReadOnlyList<DepositForms> Split(DepositForms forms) =>
        [.. Enum.GetValues<DepositForms>().Where(f => f != DepositForms.None && forms.HasFlag(f))];
}
