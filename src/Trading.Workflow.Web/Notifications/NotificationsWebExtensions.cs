using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Notifications;

namespace Trading.Workflow.Web.Notifications;

/// <summary>The web side of notifications: recipients from the accounts, the background worker, task notifications, the bell's poll.</summary>
public static class NotificationsWebExtensions
{
    /// <summary>Needs <c>AddNotifications()</c> (called by the trading kernel) and the platform workflow (<see cref="Workflow.TaskNotifier"/>).</summary>
    public static IServiceCollection AddPlatformNotifications(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<INotificationRecipientDirectory, DirectoryRecipients>());
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => !o.Smtp.IsConfigured || !string.IsNullOrWhiteSpace(o.Smtp.From), "Notifications:Smtp:From is required when Notifications:Smtp:Host is set.")
            .ValidateOnStart();
        services.AddOptions<NotificationBellOptions>().BindConfiguration(NotificationBellOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<NotificationWorker>();
        services.AddSingleton<TaskNotificationObserver>();
        services.AddHostedService(sp => sp.GetRequiredService<TaskNotificationObserver>());
        return services;
    }
}
