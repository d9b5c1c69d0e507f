namespace Trading.Workflow.Domain.Deposits;

/// <summary>
/// Why a bidder's deposit must stay where it is for now: <see cref="RuleCode"/> names the rule (the web maps it to a
/// localized sentence), <see cref="Subject"/> the sale it stays for (its title, the sentence's <c>{0}</c>),
/// <see cref="Message"/> is English for the log.
/// </summary>
public sealed record DepositRefundHold(string RuleCode, string Subject, string Message)
{
    /// <summary>The key of <see cref="Subject"/> in the data of the exception a refused refund throws.</summary>
    public const string DataSubject = "subject";

    public DomainRuleException ToException()
    {
        var error = new DomainRuleException(RuleCode, Message);
        error.Data[DataSubject] = Subject;
        return error;
    }
}

/// <summary>
/// A part that sells with deposits (the grants, the bidding engine, later state assets or environmental rights) says
/// whether a deposit it still relies on may be refunded: e.g. the bidder is admitted to a sale that has not closed, or it
/// won and its deposit becomes part of the price. <see cref="DepositService"/> asks every registered guard before a
/// refund is decided (inside the refund's transaction, under <see cref="DepositSectionLock"/>), so the deposits depend on
/// none of these parts. A guard that knows nothing of the section answers null.
/// </summary>
public interface IDepositRefundGuard
{
    /// <summary>
    /// Why the entity's deposit in the section may not be refunded now, or null when nothing here holds it (the refund
    /// path). By default the batched form asked about the one bidder.
    /// </summary>
    async Task<DepositRefundHold?> HoldAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken) =>
        (await HoldsAsync(sectionId, [entityId], cancellationToken)).GetValueOrDefault(entityId);

    /// <summary>
    /// The same answer for many bidders of one section at once (a page listing them), in a fixed number of queries
    /// whatever their number: only the held ones appear.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, DepositRefundHold>> HoldsAsync(Guid sectionId, IReadOnlyCollection<Guid> entityIds, CancellationToken cancellationToken);
}

/// <summary>
/// A part that admits bidders on the strength of their deposits hears when one stops being held (its refund decided, or
/// it was forfeited), after that change committed, and withdraws what relied on it (the bidding engine: the bidder's
/// admission to the section's open lots). <see cref="DepositService"/> tells every registered listener.
/// </summary>
public interface IDepositReleaseListener
{
    Task ReleasedAsync(Guid sectionId, Guid entityId, CancellationToken cancellationToken);
}
