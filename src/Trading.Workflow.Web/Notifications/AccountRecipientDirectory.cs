using Microsoft.AspNetCore.Identity;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Notifications;

/// <summary>
/// Recipients from the platform's accounts: the email and phone number of the account with that user name (the
/// engine and the trail know users by user name), and the accounts holding a role (of a centre, when given).
/// The language comes from the user's notification preference, which the recorder reads itself.
/// </summary>
public sealed class AccountRecipientDirectory(IServiceScopeFactory scopes) : INotificationRecipientDirectory
{
    public async ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        // The engine names users by user name; trade parts (market members) by account id.
        var user = await users.FindByNameAsync(userId) ?? await users.FindByIdAsync(userId);
        return user is null
            ? new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null)
            : new NotificationRecipient(user.UserName ?? userId, NotificationLanguage.Chinese, user.Email, user.PhoneNumber, user.DisplayName);
    }

    public async ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var members = await users.GetUsersInRoleAsync(role);
        return members
            .Where(u => centreId is null || u.CentreId is null || u.CentreId == centreId)
            .Where(u => u.LockoutEnd is null || u.LockoutEnd <= DateTimeOffset.UtcNow)
            .Select(u => u.UserName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
