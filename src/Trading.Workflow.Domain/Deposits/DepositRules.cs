namespace Trading.Workflow.Domain.Deposits;

/// <summary>Rule codes raised by the deposit ledger; the web app maps each to a localized message.</summary>
public static class DepositRules
{
    public const string AmountNotPositive = "Deposit.AmountNotPositive";
    public const string TransactionReused = "Deposit.TransactionReused";
    public const string NothingHeld = "Deposit.NothingHeld";
    public const string RefundUnknown = "Deposit.RefundUnknown";
    public const string RefundSettled = "Deposit.RefundSettled";
    public const string RefundInProgress = "Deposit.RefundInProgress";
    public const string PaymentUnknown = "Deposit.PaymentUnknown";
    public const string PaymentAlreadyMatched = "Deposit.PaymentAlreadyMatched";
    public const string PaymentOtherSection = "Deposit.PaymentOtherSection";
    public const string NoFormAccepted = "Deposit.NoFormAccepted";
    public const string InterestRateInvalid = "Deposit.InterestRateInvalid";
    public const string TermsIncomplete = "Deposit.TermsIncomplete";
    public const string AmountFixed = "Deposit.AmountFixed";
    public const string SectionUnknown = "Deposit.SectionUnknown";

    /// <summary>The section's project has ended (completed or terminated): nothing more is paid into it.</summary>
    public const string ProjectEnded = "Deposit.ProjectEnded";
    public const string EntityUnknown = "Deposit.EntityUnknown";
    public const string NoBasicAccount = "Deposit.NoBasicAccount";
    public const string RefundAccountUnclear = "Deposit.RefundAccountUnclear";
    public const string GuaranteeIncomplete = "Deposit.GuaranteeIncomplete";
    public const string GuaranteeNotAccepted = "Deposit.GuaranteeNotAccepted";
    public const string GuaranteeAmountTooLow = "Deposit.GuaranteeAmountTooLow";
    public const string GuaranteeNotValidNow = "Deposit.GuaranteeNotValidNow";
    public const string GuaranteeEndsTooEarly = "Deposit.GuaranteeEndsTooEarly";
    public const string GuaranteeWrongBeneficiary = "Deposit.GuaranteeWrongBeneficiary";
    public const string GuaranteeDuplicate = "Deposit.GuaranteeDuplicate";
    public const string NoForfeitureAccount = "Deposit.NoForfeitureAccount";
    public const string ForfeitureReasonRequired = "Deposit.ForfeitureReasonRequired";
    public const string ForfeitureGroundNotMet = "Deposit.ForfeitureGroundNotMet";

    /// <summary>The bidder is admitted to a sale that has not closed (<see cref="IDepositRefundGuard"/>).</summary>
    public const string RefundDuringSale = "Deposit.RefundDuringSale";

    /// <summary>The bidder won: its deposit becomes part of the price, never refunded by hand (<see cref="IDepositRefundGuard"/>).</summary>
    public const string RefundWinner = "Deposit.RefundWinner";
}
