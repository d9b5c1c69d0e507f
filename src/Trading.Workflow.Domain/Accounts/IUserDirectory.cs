namespace Trading.Workflow.Domain.Accounts;

/// <summary>
/// A platform account as every part needs it. <see cref="UserName"/> is how the engine, the trail and notifications
/// name users; <see cref="AccountId"/> is the Identity id (how market memberships name them).
/// </summary>
public sealed record UserAccount(
    string UserName, string AccountId, string? DisplayName, string? Email, string? Phone,
    IReadOnlyCollection<string> Roles, Guid? CentreId, bool IsLockedOut);

/// <summary>
/// The one directory of platform accounts (the web's Identity store implements it): the access rules, notification
/// recipients and the market's member lists all read accounts through it, so user name ↔ account id is converted in
/// one place.
/// </summary>
public interface IUserDirectory
{
    /// <summary>The account with this user name; null when there is none.</summary>
    Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default);

    /// <summary>The accounts with these account ids (ids without an account are left out).</summary>
    Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The accounts holding <paramref name="role"/>, not locked out, ordered by user name; with a centre, those of that
    /// centre and those of no centre (province-wide).
    /// </summary>
    Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default);
}
