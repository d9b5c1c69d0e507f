namespace Trading.Workflow.Domain.Market;

/// <summary>One entity a user acts for.</summary>
/// <param name="EntityId">The market entity's id (<see cref="MarketEntity.Id"/>).</param>
/// <param name="Name">Its name: the verified one, or the registered one before the first verification.</param>
/// <param name="Identifier">Unified social credit code, or resident ID number for a natural person.</param>
/// <param name="IsAdministrator">Whether the user manages the entity's users (a company's first user is).</param>
/// <param name="IsVerified">Whether a verified profile is in force (the entity may trade on it).</param>
public sealed record EntityMembershipInfo(Guid EntityId, string Name, string Identifier, EntityKind Kind, bool IsAdministrator, bool IsVerified);

/// <summary>
/// Which market entities a platform user acts for. Other parts use it to decide on whose behalf a user works: a
/// bidder's participation, a tenderee's project, the recipients of a notification for an entity. Province-wide: the
/// answer does not depend on the trading centre. Registered by <c>AddMarketEntities()</c>; thread-safe, each call
/// reads the database on its own connection.
/// </summary>
public interface IEntityMembership
{
    /// <summary>The entities <paramref name="userId"/> (an Identity user id) acts for, by name; empty when none.</summary>
    Task<IReadOnlyList<EntityMembershipInfo>> EntitiesOfAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="userId"/> acts for the entity (as administrator or not).</summary>
    Task<bool> IsMemberAsync(Guid entityId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="userId"/> is an administrator of the entity (may invite and remove its users).</summary>
    Task<bool> IsAdministratorAsync(Guid entityId, string userId, CancellationToken cancellationToken = default);

    /// <summary>The user ids acting for the entity (administrators first), e.g. to notify it; empty for an unknown entity.</summary>
    Task<IReadOnlyList<string>> MembersOfAsync(Guid entityId, CancellationToken cancellationToken = default);
}
