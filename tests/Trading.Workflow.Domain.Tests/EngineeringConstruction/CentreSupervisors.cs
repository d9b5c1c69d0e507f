using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Notifications;

namespace Trading.Workflow.Domain.Tests.EngineeringConstruction;

/// <summary>A recipient directory where "supervisor1" supervises <see cref="Centre"/> and "supervisor2" another centre.</summary>
public sealed class CentreSupervisors : INotificationRecipientDirectory
{
    public Guid? Centre { get; set; }

    public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null));

    public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>(role != PlatformRoles.Supervisor ? [] : centreId == Centre ? ["supervisor1"] : ["supervisor2"]);
}
