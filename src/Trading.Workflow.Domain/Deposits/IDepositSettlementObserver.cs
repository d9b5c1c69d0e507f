using Trading.Workflow.Domain.Persistence;

namespace Trading.Workflow.Domain.Deposits;

/// <summary>What became final about a deposit (<see cref="DepositSettled.Kind"/>).</summary>
public static class DepositSettlementKinds
{
    /// <summary>The bank paid a refund (principal and interest).</summary>
    public const string RefundPaid = "deposit-refund-paid";

    /// <summary>The bank refused a refund for good: nothing was paid on that instruction.</summary>
    public const string RefundRejected = "deposit-refund-rejected";

    /// <summary>The bank transferred a forfeited deposit to the forfeiture account.</summary>
    public const string ForfeitureTransferred = "deposit-forfeiture-transferred";

    /// <summary>The bank refused the transfer of a forfeited deposit.</summary>
    public const string ForfeitureRejected = "deposit-forfeiture-rejected";

    /// <summary>A refund owed by law found nothing held when the timer ran (refunded or settled otherwise meanwhile).</summary>
    public const string NothingHeld = "deposit-refund-nothing-held";
}

/// <summary>
/// A deposit movement that became final: <see cref="SubjectId"/> is the bank instruction (or, for
/// <see cref="DepositSettlementKinds.NothingHeld"/>, the scheduled refund) it is about; one subject settles once.
/// </summary>
public sealed record DepositSettled(
    string Kind, Guid SubjectId, Guid ProjectId, Guid SectionId, string SectionCode, Guid EntityId,
    decimal Principal, decimal Interest, string? BankReference, string? Reason, DateTimeOffset At, string Actor);

/// <summary>
/// A part that keeps a record of deposits beyond the ledger (the archive) hears, in the transaction that records it,
/// that a refund or forfeiture became final, so its record commits with the fact or not at all. Told once per subject:
/// a repeated bank callback changes nothing and tells no one.
/// </summary>
public interface IDepositSettlementObserver
{
    Task SettledAsync(TradingDbContext db, DepositSettled settled, CancellationToken cancellationToken);
}
