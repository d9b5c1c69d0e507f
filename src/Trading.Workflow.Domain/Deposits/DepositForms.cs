namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// The forms a section accepts a deposit in (保证金形式). Engineering tenders take transfers from the bidder's basic
/// account and guarantees; government procurement only non-cash forms (GP条例 33).
/// </summary>
[Flags]
public enum DepositForms
{
    None = 0,

    /// <summary>Bank transfer (or cheque) from the bidder's basic account into its virtual sub-account.</summary>
    Transfer = 1,

    /// <summary>Paper bank guarantee (银行保函), checked by staff.</summary>
    BankGuarantee = 2,

    /// <summary>Electronic guarantee (电子保函) recorded with its issuer, number, amount, validity and beneficiary.</summary>
    ElectronicGuarantee = 4,

    /// <summary>Guarantee insurance (保证保险).</summary>
    GuaranteeInsurance = 8,
}
