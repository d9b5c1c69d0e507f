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
}
