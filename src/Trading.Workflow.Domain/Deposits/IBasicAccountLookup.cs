namespace Trading.Workflow.Domain.Deposits;

/// <summary>An entity's registered basic account (基本账户): where refunds go and what payments are checked against.</summary>
public sealed record BasicAccount(Guid EntityId, string EntityName, string Bank, string AccountName, string AccountNumber);

/// <summary>A market entity a user acts for.</summary>
public sealed record DepositorEntity(Guid EntityId, string Name);

/// <summary>
/// What the deposits need of the market entities (their own module): the verified basic account of an entity and the
/// entities a user acts for. Implemented over the market tables.
/// </summary>
public interface IBasicAccountLookup
{
    /// <summary>The entity's verified basic account, or null when the entity is unknown or has none verified.</summary>
    Task<BasicAccount?> FindAsync(Guid entityId, CancellationToken cancellationToken);

    /// <summary>The entities the user is a member of (usually one).</summary>
    Task<IReadOnlyList<DepositorEntity>> EntitiesOfUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the entity is a natural person: a person has no 基本账户 (an account of organisations), so its deposit
    /// goes back to the personal account it came from. Lookups that know no natural persons answer false.
    /// </summary>
    Task<bool> IsNaturalPersonAsync(Guid entityId, CancellationToken cancellationToken) => Task.FromResult(false);
}
