namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// One stored line of a section's ledger (保证金台账), numbered per section. Lines are only ever added: the ledger is
/// rebuilt from them (<see cref="SectionDepositLedger.Restore"/>) for every change, so the rules that keep it balanced
/// run on stored sections as on new ones.
/// </summary>
public sealed class LedgerEntry
{
    private LedgerEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid SectionId { get; private set; }

    public long Sequence { get; private set; }

    public MovementKind Kind { get; private set; }

    public Guid? EntityId { get; private set; }

    public decimal Amount { get; private set; }

    /// <summary>Interest paid with a refund (paid by the bank on top of the principal, outside the balance).</summary>
    public decimal Interest { get; private set; }

    /// <summary>The bank transaction id, refund instruction id or reason, per kind.</summary>
    public string Reference { get; private set; } = string.Empty;

    public DateTimeOffset At { get; private set; }

    public string By { get; private set; } = string.Empty;

    public string? PayerAccount { get; private set; }

    public bool PayerIsNotBasicAccount { get; private set; }

    public static LedgerEntry From(Guid sectionId, DepositMovement movement, decimal interest = 0m)
    {
        ArgumentNullException.ThrowIfNull(movement);
        return new LedgerEntry
        {
            Id = Guid.NewGuid(),
            SectionId = sectionId,
            Sequence = movement.Sequence,
            Kind = movement.Kind,
            EntityId = movement.ParticipantId,
            Amount = movement.Amount,
            Interest = interest,
            Reference = movement.Reference,
            At = movement.At,
            By = movement.By,
            PayerAccount = movement.PayerAccount,
            PayerIsNotBasicAccount = movement.PayerIsNotBasicAccount,
        };
    }

    public DepositMovement ToMovement() =>
        new(Sequence, Kind, EntityId, Amount, Reference, At, By, PayerAccount, PayerIsNotBasicAccount);
}
