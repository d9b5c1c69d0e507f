namespace Trading.Workflow.Domain.Deposits;

public enum ScheduledRefundState
{
    /// <summary>Waiting for the refund timer (or for a retry after the bank or the basic account failed).</summary>
    Pending,

    /// <summary>The refund instruction is decided; the timer sends it again until the bank accepts or pays it.</summary>
    Instructed,

    /// <summary>The bank accepted or paid the refund.</summary>
    Done,

    /// <summary>Nothing was held for the bidder when the timer ran (no deposit paid, or already refunded or forfeited).</summary>
    NothingHeld,
}

/// <summary>
/// A refund the platform owes by a date (条例 35: a bid withdrawn before the deadline, deposit refunded within 5 日 of
/// the written notice). Written in the transaction of the act that makes it owed, so it cannot be lost; carried out by
/// the refund timer (<see cref="DepositService.RunDueRefundsAsync"/>) through the section's ledger and the bank
/// adapter, retried on every tick until the bank has it, and reported once in the trail if it is still open when due.
/// </summary>
public sealed class ScheduledRefund
{
    public const int MaxErrorLength = 500;

    private ScheduledRefund()
    {
    }

    public Guid Id { get; private set; }

    public Guid SectionId { get; private set; }

    public Guid EntityId { get; private set; }

    /// <summary>Why it is owed, e.g. <c>bid-withdrawn</c>.</summary>
    public string Reason { get; private set; } = string.Empty;

    /// <summary>The record that made it owed (the withdrawn bid).</summary>
    public Guid? SourceId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = string.Empty;

    /// <summary>When the timer first takes it.</summary>
    public DateTimeOffset RunAt { get; private set; }

    /// <summary>When it must have been instructed by (the statutory limit).</summary>
    public DateTimeOffset DueAt { get; private set; }

    public ScheduledRefundState State { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }

    public string? LastError { get; private set; }

    public Guid? InstructionId { get; private set; }

    public DateTimeOffset? SettledAt { get; private set; }

    public bool OverdueReported { get; private set; }

    /// <summary>Optimistic concurrency: two nodes' timers never both settle the same row.</summary>
    public int Version { get; private set; }

    public bool IsOpen => State is ScheduledRefundState.Pending or ScheduledRefundState.Instructed;

    public static ScheduledRefund Create(Guid sectionId, Guid entityId, string reason, Guid? sourceId, DateTimeOffset runAt, DateTimeOffset dueAt, DateTimeOffset now, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return new ScheduledRefund
        {
            Id = Guid.NewGuid(),
            SectionId = sectionId,
            EntityId = entityId,
            Reason = reason,
            SourceId = sourceId,
            CreatedAt = now,
            CreatedBy = actor,
            RunAt = runAt.ToUniversalTime(),
            DueAt = dueAt.ToUniversalTime(),
            State = ScheduledRefundState.Pending,
            Version = 1,
        };
    }

    public void Instructed(Guid instructionId, DateTimeOffset now)
    {
        InstructionId = instructionId;
        State = ScheduledRefundState.Instructed;
        Attempted(now, null);
    }

    public void Settled(ScheduledRefundState state, DateTimeOffset now)
    {
        State = state;
        SettledAt = now;
        LastError = null;
        Version++;
    }

    /// <summary>The bank refused the instruction for good: the timer decides a new one (after the basic account is fixed).</summary>
    public void Reopen(DateTimeOffset now, string error)
    {
        State = ScheduledRefundState.Pending;
        InstructionId = null;
        Attempted(now, error);
    }

    public void Attempted(DateTimeOffset now, string? error)
    {
        Attempts++;
        LastAttemptAt = now;
        LastError = error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;
        Version++;
    }

    public void ReportOverdue() => OverdueReported = true;
}
