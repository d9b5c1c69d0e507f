using Trading.Workflow.Domain.Accounts;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>
/// Recipients from the platform's one account directory (<see cref="IUserDirectory"/>): the email and phone number of
/// the account named by user name (how the engine and the trail name users) or by account id (how market members are
/// kept), and the accounts holding a role. The language comes from the user's preference, which the recorder reads.
/// </summary>
public sealed class DirectoryRecipients(IUserDirectory users) : INotificationRecipientDirectory
{
    public async ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var account = await users.FindByUserNameAsync(userId, cancellationToken)
                      ?? (await users.FindByAccountIdsAsync([userId], cancellationToken)).FirstOrDefault();
        return account is null
            ? new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null)
            : new NotificationRecipient(account.UserName, NotificationLanguage.Chinese, account.Email, account.Phone, account.DisplayName);
    }

    public async ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
        [.. (await users.InRoleAsync(role, centreId, cancellationToken)).Select(a => a.UserName)];
}
