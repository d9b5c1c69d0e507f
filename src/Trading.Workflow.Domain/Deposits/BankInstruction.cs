namespace Trading.Workflow.Domain.Deposits;

public enum InstructionKind
{
    /// <summary>Pay a bidder's deposit back to its basic account, with interest where the trade's rule says so.</summary>
    Refund,

    /// <summary>Transfer a forfeited deposit to the forfeiture (non-tax income) account.</summary>
    Forfeiture,
}

public enum InstructionState
{
    /// <summary>Decided; not known to have reached the bank (never sent, or the last attempt timed out).</summary>
    Decided,

    /// <summary>The bank accepted it and will pay it.</summary>
    Accepted,

    /// <summary>The bank paid it: for a refund, the ledger has its line.</summary>
    Paid,

    /// <summary>The bank refused it for good (closed account, wrong name): nothing was paid; staff decide again.</summary>
    Rejected,
}

/// <summary>
/// A transfer the platform asks its bank to make (退款/罚没指令). Its <see cref="Id"/> is the idempotency key: every
/// attempt sends the same id, and before sending again the platform asks the bank whether it has it, so a refund whose
/// first attempt timed out is never paid twice.
/// </summary>
public sealed class BankInstruction
{
    private BankInstruction()
    {
    }

    public Guid Id { get; private set; }

    public InstructionKind Kind { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid EntityId { get; private set; }

    public decimal Principal { get; private set; }

    public decimal Interest { get; private set; }

    public decimal Total => Principal + Interest;

    public string ToAccount { get; private set; } = string.Empty;

    public string ToName { get; private set; } = string.Empty;

    public string ToBank { get; private set; } = string.Empty;

    public DateOnly DecidedOn { get; private set; }

    public DateTimeOffset DecidedAt { get; private set; }

    public string DecidedBy { get; private set; } = string.Empty;

    public InstructionState State { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The bank's reference for the transfer, once it paid.</summary>
    public string? BankReference { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    public static BankInstruction ForRefund(Guid sectionId, RefundInstruction refund, string toName, string toBank, DateTimeOffset now, string by)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return new BankInstruction
        {
            Id = refund.Id,
            Kind = InstructionKind.Refund,
            SectionId = sectionId,
            EntityId = refund.ParticipantId,
            Principal = refund.Principal,
            Interest = refund.Interest,
            ToAccount = refund.ToAccount,
            ToName = toName,
            ToBank = toBank,
            DecidedOn = refund.DecidedOn,
            DecidedAt = now,
            DecidedBy = by,
            State = InstructionState.Decided,
        };
    }

    public static BankInstruction ForForfeiture(
        Guid sectionId, Guid entityId, decimal amount, string toAccount, string toName, string toBank, DateTimeOffset now, string by) => new()
        {
            Id = Guid.NewGuid(),
            Kind = InstructionKind.Forfeiture,
            SectionId = sectionId,
            EntityId = entityId,
            Principal = amount,
            ToAccount = string.Concat(toAccount.Where(char.IsAsciiDigit)),
            ToName = toName,
            ToBank = toBank,
            DecidedOn = DateOnly.FromDateTime(now.UtcDateTime),
            DecidedAt = now,
            DecidedBy = by,
            State = InstructionState.Decided,
        };

    public bool IsOpen => State is InstructionState.Decided or InstructionState.Accepted;

    /// <summary>The ledger's view of a refund: pending until paid (a rejected one is no longer the ledger's).</summary>
    public RefundInstruction ToLedgerRefund() =>
        new(Id, EntityId, Principal, Interest, ToAccount, DecidedOn, State == InstructionState.Paid ? RefundState.Confirmed : RefundState.Pending, Attempts);

    public BankInstructionMessage ToMessage() =>
        new(Id, Kind, SectionId, EntityId, Principal, Interest, ToAccount, ToName, ToBank, DecidedAt);

    /// <summary>Counted before the adapter is called, so a crash mid-send still makes the next attempt ask first.</summary>
    public void CountAttempt(DateTimeOffset at)
    {
        Attempts++;
        LastAttemptAt = at;
    }

    public void Failed(string error) => LastError = error.Length > 500 ? error[..500] : error;

    public void AcceptedByBank()
    {
        if (State == InstructionState.Decided)
        {
            State = InstructionState.Accepted;
            LastError = null;
        }
    }

    public void MarkPaid(string bankReference, DateTimeOffset at)
    {
        State = InstructionState.Paid;
        BankReference = bankReference;
        PaidAt = at;
        LastError = null;
    }

    public void MarkRejected(string reason)
    {
        State = InstructionState.Rejected;
        LastError = reason.Length > 500 ? reason[..500] : reason;
    }
}
