namespace Trading.Workflow.Domain.Deposits;

/// <summary>What the platform sends its bank for one instruction; <see cref="Id"/> is the idempotency key.</summary>
public sealed record BankInstructionMessage(
    Guid Id, InstructionKind Kind, Guid SectionId, Guid EntityId, decimal Principal, decimal Interest,
    string ToAccount, string ToName, string ToBank, DateTimeOffset DecidedAt)
{
    public decimal Total => Principal + Interest;
}

public enum BankInstructionStatus
{
    /// <summary>The bank has no instruction with this id: it may be sent (again).</summary>
    Unknown,

    Accepted,

    Paid,

    Rejected,
}

public sealed record BankInstructionReply(BankInstructionStatus Status, string? BankReference = null, string? Reason = null);

/// <summary>
/// The way refund and forfeiture instructions reach the bank. An adapter must be safe to call again with the same id
/// (the bank keeps one transfer per id), and <see cref="QueryAsync"/> tells whether an earlier attempt arrived.
/// A time-out or a lost connection is thrown (<see cref="TimeoutException"/>, <see cref="HttpRequestException"/>,
/// <see cref="IOException"/>); the instruction then stays decided and is asked about before the next attempt.
/// </summary>
public interface IBankAdapter
{
    /// <summary>Short name shown to staff ("file", "http").</summary>
    string Name { get; }

    Task<BankInstructionReply> SendAsync(BankInstructionMessage instruction, CancellationToken cancellationToken);

    Task<BankInstructionReply> QueryAsync(Guid instructionId, CancellationToken cancellationToken);
}
