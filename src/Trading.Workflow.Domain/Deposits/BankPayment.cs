namespace Trading.Workflow.Domain.Deposits;

public enum PaymentMatch
{
    /// <summary>Paid into a bidder's sub-account (or assigned by staff): counts for that bidder.</summary>
    Matched,

    /// <summary>The reference names a section but no bidder: held in the section's suspense until staff assign it.</summary>
    InSuspense,

    /// <summary>The reference names no section: waits, outside every ledger, for staff to assign it.</summary>
    Unmatched,
}

/// <summary>
/// A payment the bank reported (到账通知), recorded once per bank transaction id. A payment from an account that is not
/// the bidder's registered basic account (基本账户) counts, and is flagged for supervisors.
/// </summary>
public sealed class BankPayment
{
    private BankPayment()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The bank that reported it (its code in configuration); transaction ids are unique per bank.</summary>
    public string BankCode { get; private set; } = string.Empty;

    public string BankTransactionId { get; private set; } = string.Empty;

    public decimal Amount { get; private set; }

    public string PayerName { get; private set; } = string.Empty;

    /// <summary>The payer's account number, digits only.</summary>
    public string PayerAccount { get; private set; } = string.Empty;

    public string PayerBank { get; private set; } = string.Empty;

    /// <summary>The sub-account or reference the payer gave, digits only (empty when none).</summary>
    public string Reference { get; private set; } = string.Empty;

    /// <summary>When the bank says the money arrived.</summary>
    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>When the platform recorded the callback (server time).</summary>
    public DateTimeOffset RecordedAt { get; private set; }

    public PaymentMatch Match { get; private set; }

    public Guid? SectionId { get; private set; }

    public Guid? EntityId { get; private set; }

    /// <summary>Who assigned it: "bank" when the sub-account matched, else the staff member.</summary>
    public string? MatchedBy { get; private set; }

    public DateTimeOffset? MatchedAt { get; private set; }

    /// <summary>The payer's account is not the entity's registered basic account (or the entity has none on record).</summary>
    public bool Flagged { get; private set; }

    /// <summary>The payment's reference in the section's ledger: transaction ids are unique per bank only.</summary>
    public string LedgerReference => $"{BankCode}:{BankTransactionId}";

    public static BankPayment Record(string bankCode, BankDeposit deposit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return new BankPayment
        {
            Id = Guid.NewGuid(),
            BankCode = bankCode,
            BankTransactionId = deposit.TransactionId,
            Amount = deposit.Amount,
            PayerName = deposit.PayerName,
            PayerAccount = Digits(deposit.PayerAccount),
            PayerBank = deposit.PayerBank,
            Reference = SubAccountNumber.Normalize(deposit.Reference),
            ReceivedAt = deposit.ReceivedAt,
            RecordedAt = now,
            Match = PaymentMatch.Unmatched,
        };
    }

    /// <summary>The same transaction reported again carries the same facts, or it is not the same transaction.</summary>
    public bool SameAs(BankDeposit deposit) =>
        deposit.Amount == Amount && Digits(deposit.PayerAccount) == PayerAccount && SubAccountNumber.Normalize(deposit.Reference) == Reference;

    public void MatchTo(Guid sectionId, Guid entityId, bool flagged, string by, DateTimeOffset at)
    {
        if (Match == PaymentMatch.Matched)
        {
            throw new DomainRuleException(DepositRules.PaymentAlreadyMatched, $"Payment {BankTransactionId} is already assigned.");
        }

        if (SectionId is { } section && section != sectionId)
        {
            throw new DomainRuleException(DepositRules.PaymentOtherSection, $"Payment {BankTransactionId} arrived for another section.");
        }

        Match = PaymentMatch.Matched;
        SectionId = sectionId;
        EntityId = entityId;
        Flagged = flagged;
        MatchedBy = by;
        MatchedAt = at;
    }

    public void HoldInSuspense(Guid sectionId)
    {
        Match = PaymentMatch.InSuspense;
        SectionId = sectionId;
    }

    internal static string Digits(string? account) => string.Concat((account ?? string.Empty).Where(char.IsAsciiDigit));
}

/// <summary>A deposit as the bank reports it in its callback.</summary>
public sealed record BankDeposit(
    string TransactionId, decimal Amount, string PayerName, string PayerAccount, string PayerBank, string? Reference, DateTimeOffset ReceivedAt);
