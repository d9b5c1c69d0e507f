namespace Trading.Workflow.Domain.Deposits;

/// <summary>An entity's registered basic account (基本账户): where refunds go and what payments are checked against.</summary>
public sealed record BasicAccount(Guid EntityId, string EntityName, string Bank, string AccountName, string AccountNumber);

/// <summary>A market entity a user acts for; a natural person pays from its own account, an organisation from its basic account.</summary>
public sealed record DepositorEntity(Guid EntityId, string Name, bool NaturalPerson = false);

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

    /// <summary>
    /// The verified name of a natural person, or null for an organisation or an unknown entity: a deposit paid from an
    /// account in that name is the person's own, not a payment to flag. Lookups that know no natural persons answer null.
    /// </summary>
    Task<string?> NaturalPersonNameAsync(Guid entityId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
