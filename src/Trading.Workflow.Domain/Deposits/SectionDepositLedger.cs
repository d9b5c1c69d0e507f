namespace Trading.Workflow.Domain.Deposits;

public enum MovementKind
{
    /// <summary>Money arrived from the bank (matched to a participant, or in suspense until matched).</summary>
    Received,

    /// <summary>A payment in suspense assigned to a participant: moves money between holders, not in or out.</summary>
    Matched,

    Refunded,

    Forfeited,

    /// <summary>The winner's deposit counted towards the price (land, assets).</summary>
    ConvertedToPrice,
}

/// <summary>One line of a section's ledger. Amounts are yuan with two decimals and always positive.</summary>
public sealed record DepositMovement(
    long Sequence, MovementKind Kind, Guid? ParticipantId, decimal Amount, string Reference, DateTimeOffset At, string By,
    string? PayerAccount = null, bool PayerIsNotBasicAccount = false, Guid? FromSuspense = null);

public enum RefundState
{
    /// <summary>Decided, not yet accepted by the bank; retrying sends the same instruction again.</summary>
    Pending,

    /// <summary>The bank confirmed the transfer: the ledger records it once.</summary>
    Confirmed,
}

/// <summary>
/// A refund sent to the bank. Its id is the idempotency key the bank adapter passes on: a retry after a time-out
/// resends this instruction, never a new one, so the bank pays it at most once.
/// </summary>
public sealed record RefundInstruction(
    Guid Id, Guid ParticipantId, decimal Principal, decimal Interest, string ToAccount, DateOnly DecidedOn, RefundState State, int Attempts);

/// <summary>
/// Bank deposit interest on a refunded deposit (条例 57 "银行同期存款利息"), counted the way Chinese banks count
/// demand-deposit interest:
/// <list type="bullet">
/// <item>rate: the configured annual rate (<c>Deposits:InterestRates</c> per trade type, or the section's own; default
/// for engineering tenders the PBoC demand-deposit benchmark 0.35%);</item>
/// <item>days: from the day the money arrived to the day the refund is decided, both as China Standard Time dates,
/// counting the arrival day and not the refund day (算头不算尾); money refunded on the day it arrived earns nothing;</item>
/// <item>daily rate: annual rate / 360 (人民币存款计息 360-day year);</item>
/// <item>each receipt on its own (a deposit paid in two transfers counts each from its own arrival), each rounded to
/// the fen half away from zero (四舍五入), then added.</item>
/// </list>
/// </summary>
public sealed record InterestPolicy(decimal AnnualRate)
{
    public const decimal DaysInYear = 360m;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public static readonly InterestPolicy None = new(0m);

    /// <summary>Interest on <paramref name="principal"/> from the date it arrived to the refund date.</summary>
    public decimal On(decimal principal, DateOnly from, DateOnly to)
    {
        var days = Days(from, to);
        return decimal.Round(principal * AnnualRate * days / DaysInYear, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>Interest days: the arrival day counted, the refund day not; never negative.</summary>
    public static int Days(DateOnly from, DateOnly to) => Math.Max(0, to.DayNumber - from.DayNumber);

    /// <summary>The China Standard Time date of an instant: interest days are bank days in China.</summary>
    public static DateOnly ChinaDate(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(ChinaStandardTime).DateTime);
}

/// <summary>
/// The deposits of one section (保证金台账). Every yuan received is, at any moment, held for one participant, in
/// suspense, refunded, forfeited or converted to the price: <see cref="TotalReceived"/> always equals the sum of those.
/// Bank transaction ids make receipts idempotent; refund instructions make refunds idempotent.
/// </summary>
public sealed class SectionDepositLedger
{
    private readonly List<DepositMovement> _movements = [];
    private readonly List<RefundInstruction> _refunds = [];

    public SectionDepositLedger(Guid sectionId, decimal requiredAmount)
    {
        SectionId = sectionId;
        RequiredAmount = requiredAmount;
    }

    /// <summary>
    /// Rebuilds a ledger from its stored movements (in sequence) and its open or paid refund instructions, so every
    /// change to a persisted section goes through the same rules as a new one.
    /// </summary>
    public static SectionDepositLedger Restore(
        Guid sectionId, decimal requiredAmount, IEnumerable<DepositMovement> movements, IEnumerable<RefundInstruction> refunds)
    {
        var ledger = new SectionDepositLedger(sectionId, requiredAmount);
        ledger._movements.AddRange(movements.OrderBy(m => m.Sequence));
        ledger._refunds.AddRange(refunds);
        return ledger;
    }

    public Guid SectionId { get; }

    public decimal RequiredAmount { get; }

    public IReadOnlyList<DepositMovement> Movements => _movements;

    public IReadOnlyList<RefundInstruction> Refunds => _refunds;

    public decimal TotalReceived => Sum(MovementKind.Received);

    public decimal InSuspense =>
        _movements.Where(m => m.Kind == MovementKind.Received && m.ParticipantId is null).Sum(m => m.Amount) - Sum(MovementKind.Matched);

    /// <summary>What the platform holds for <paramref name="participantId"/> now.</summary>
    public decimal HeldFor(Guid participantId) =>
        _movements.Where(m => m.ParticipantId == participantId).Sum(m => m.Kind switch
        {
            MovementKind.Received or MovementKind.Matched => m.Amount,
            _ => -m.Amount,
        });

    public bool IsPaid(Guid participantId) => HeldFor(participantId) >= RequiredAmount;

    /// <summary>
    /// Records a payment the bank reported. The same bank transaction reported again returns the first record and
    /// changes nothing; a payment from an account other than the participant's basic account is recorded and flagged.
    /// </summary>
    public DepositMovement Receive(
        string bankTransactionId, decimal amount, string payerAccount, Guid? participantId, string? participantBasicAccount,
        DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bankTransactionId);
        var existing = _movements.FirstOrDefault(m => m.Kind == MovementKind.Received && m.Reference == bankTransactionId);
        if (existing is not null)
        {
            return existing.Amount == amount && existing.ParticipantId == participantId
                ? existing
                : throw new DomainRuleException(DepositRules.TransactionReused,
                    $"Bank transaction {bankTransactionId} was already recorded with other details.");
        }

        RequirePositive(amount);
        var flagged = participantId is not null && participantBasicAccount is not null
            && !string.Equals(Digits(payerAccount), Digits(participantBasicAccount), StringComparison.Ordinal);
        return Add(new DepositMovement(0, MovementKind.Received, participantId, amount, bankTransactionId, at, "bank",
            Digits(payerAccount), flagged));
    }

    /// <summary>Staff assign a payment that arrived in suspense (unknown reference) to its participant.</summary>
    public DepositMovement Match(string bankTransactionId, Guid participantId, string? participantBasicAccount, DateTimeOffset at, string by)
    {
        var receipt = _movements.FirstOrDefault(m => m.Kind == MovementKind.Received && m.Reference == bankTransactionId)
            ?? throw new DomainRuleException(DepositRules.PaymentUnknown, $"No payment {bankTransactionId} was received for this section.");
        if (receipt.ParticipantId is not null || _movements.Any(m => m.Kind == MovementKind.Matched && m.Reference == bankTransactionId))
        {
            throw new DomainRuleException(DepositRules.PaymentAlreadyMatched, $"Payment {bankTransactionId} is already assigned.");
        }

        var flagged = participantBasicAccount is not null
            && !string.Equals(receipt.PayerAccount, Digits(participantBasicAccount), StringComparison.Ordinal);
        return Add(new DepositMovement(0, MovementKind.Matched, participantId, receipt.Amount, bankTransactionId, at, by,
            receipt.PayerAccount, flagged));
    }

    /// <summary>
    /// Decides the refund of everything held for a participant, with interest per <paramref name="interest"/> counted
    /// from each receipt. Asking again while the refund is pending returns the same instruction.
    /// </summary>
    public RefundInstruction RequestRefund(Guid participantId, string toAccount, InterestPolicy interest, DateOnly on)
    {
        var pending = _refunds.FirstOrDefault(r => r.ParticipantId == participantId && r.State == RefundState.Pending);
        if (pending is not null)
        {
            return pending;
        }

        var held = HeldFor(participantId);
        if (held <= 0)
        {
            throw new DomainRuleException(DepositRules.NothingHeld, "Nothing is held for this participant: the deposit was refunded, forfeited or never paid.");
        }

        var receipts = _movements.Where(m => m.ParticipantId == participantId && m.Kind is MovementKind.Received or MovementKind.Matched);
        var interestDue = receipts.Sum(m => interest.On(m.Amount, InterestPolicy.ChinaDate(m.At), on));
        var instruction = new RefundInstruction(Guid.NewGuid(), participantId, held, interestDue, Digits(toAccount), on, RefundState.Pending, 0);
        _refunds.Add(instruction);
        return instruction;
    }

    /// <summary>Counts one more attempt to send a pending instruction (the adapter timed out or failed).</summary>
    public RefundInstruction RecordAttempt(Guid instructionId)
    {
        var index = IndexOfRefund(instructionId);
        var instruction = _refunds[index];
        if (instruction.State != RefundState.Pending)
        {
            throw new DomainRuleException(DepositRules.RefundSettled, "This refund was already confirmed by the bank.");
        }

        return _refunds[index] = instruction with { Attempts = instruction.Attempts + 1 };
    }

    /// <summary>The bank confirmed the transfer; confirming again (a duplicate callback) changes nothing.</summary>
    public RefundInstruction Confirm(Guid instructionId, DateTimeOffset at)
    {
        var index = IndexOfRefund(instructionId);
        var instruction = _refunds[index];
        if (instruction.State == RefundState.Confirmed)
        {
            return instruction;
        }

        Add(new DepositMovement(0, MovementKind.Refunded, instruction.ParticipantId, instruction.Principal, instruction.Id.ToString("N"), at, "bank"));
        return _refunds[index] = instruction with { State = RefundState.Confirmed };
    }

    /// <summary>Keeps a participant's deposit (withdrawal after the deadline, a winner who refuses to sign, ...).</summary>
    public DepositMovement Forfeit(Guid participantId, string reason, DateTimeOffset at, string by) =>
        Settle(MovementKind.Forfeited, participantId, reason, at, by);

    public DepositMovement ConvertToPrice(Guid participantId, string contractReference, DateTimeOffset at, string by) =>
        Settle(MovementKind.ConvertedToPrice, participantId, contractReference, at, by);

    private DepositMovement Settle(MovementKind kind, Guid participantId, string reference, DateTimeOffset at, string by)
    {
        if (_refunds.Any(r => r.ParticipantId == participantId && r.State == RefundState.Pending))
        {
            throw new DomainRuleException(DepositRules.RefundInProgress, "A refund of this deposit is already with the bank.");
        }

        var held = HeldFor(participantId);
        return held > 0
            ? Add(new DepositMovement(0, kind, participantId, held, reference, at, by))
            : throw new DomainRuleException(DepositRules.NothingHeld, "Nothing is held for this participant.");
    }

    private DepositMovement Add(DepositMovement movement)
    {
        var numbered = movement with { Sequence = _movements.Count + 1 };
        _movements.Add(numbered);
        return numbered;
    }

    private int IndexOfRefund(Guid instructionId)
    {
        var index = _refunds.FindIndex(r => r.Id == instructionId);
        return index >= 0 ? index : throw new DomainRuleException(DepositRules.RefundUnknown, $"No refund instruction {instructionId} exists for this section.");
    }

    private decimal Sum(MovementKind kind) => _movements.Where(m => m.Kind == kind).Sum(m => m.Amount);

    private static void RequirePositive(decimal amount)
    {
        if (amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            throw new DomainRuleException(DepositRules.AmountNotPositive, "A deposit amount is a positive number of yuan with at most two decimals.");
        }
    }

    private static string Digits(string account) => string.Concat(account.Where(char.IsAsciiDigit));
}
