namespace Trading.Workflow.Domain.Market;

/// <summary>
/// Whether a market entity may take part in a trade (报名/投标/竞买) at a moment, and every reason it may not, as rule
/// codes (<see cref="MarketRules"/>) the web turns into messages in Chinese and English:
/// <list type="bullet">
/// <item><see cref="MarketRules.EntityNotFound"/>: no such entity;</item>
/// <item><see cref="MarketRules.NotVerified"/>: registered, never verified yet;</item>
/// <item><see cref="MarketRules.Returned"/>: never verified, returned by staff for correction;</item>
/// <item><see cref="MarketRules.QualificationMissing"/> (<see cref="EligibilityProblem.Qualification"/> names the kind):
/// the verified profile holds no qualification of a required kind (and grade);</item>
/// <item><see cref="MarketRules.QualificationExpired"/> (with <see cref="EligibilityProblem.ExpiredOn"/>): it holds
/// one, but every one of them expired before the day;</item>
/// <item><see cref="MarketRules.Barred"/> (with <see cref="EligibilityProblem.BarredUntil"/> and the decision number): a
/// sanction in force on the day bars it (<c>Domain/Credit</c>, 取消投标资格).</item>
/// </list>
/// Only the verified profile counts: a change waiting for verification neither helps nor harms. Registered by
/// <c>AddMarketEntities()</c>.
/// </summary>
public interface IParticipationEligibility
{
    /// <summary>
    /// Checks the entity against qualification kinds (codes of <see cref="QualificationKinds"/> or the wording
    /// registered), any grade accepted. The day is <paramref name="at"/> in China Standard Time (UTC+08:00): a
    /// certificate valid until 30 June is valid all of that day in China.
    /// </summary>
    Task<Eligibility> CheckAsync(Guid entityId, IReadOnlyCollection<string> requiredQualificationKinds, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The same check with accepted grades per kind (an empty grade list accepts any grade).</summary>
    Task<Eligibility> CheckAsync(Guid entityId, IReadOnlyCollection<QualificationRequirement> requirements, DateTimeOffset at, CancellationToken cancellationToken = default);
}
