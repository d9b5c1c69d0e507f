using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Workflow.Domain.Notifications.Channels;
using Trading.Workflow.Domain.Notifications.Rules;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>Registration of the notifications part and the seams other parts use to add rules and templates.</summary>
public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// The notification store and schema, the trail dispatcher, the delivery sender, the logging SMS/voice channels,
    /// email through SMTP when <c>Notifications:Smtp:Host</c> is set (logged otherwise), and the rules and templates
    /// for the trail actions the kernel writes. The host runs <see cref="TrailNotificationDispatcher"/> and
    /// <see cref="NotificationDeliverySender"/> on a timer and replaces <see cref="INotificationRecipientDirectory"/>.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddTradingSchemaModule("notifications", "Trading.Workflow.Domain.Notifications.Schema");
        // The host binds the options to configuration (section Notifications) and validates them at start.
        services.AddOptions<NotificationOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationEvents>();
        services.TryAddSingleton<NotificationTemplates>();
        services.TryAddSingleton<NotificationRuleSet>();
        services.TryAddSingleton<INotificationRecipientDirectory, NoAddressRecipientDirectory>();
        services.TryAddSingleton<NotificationRecorder>();
        services.TryAddSingleton<TrailNotificationDispatcher>();
        services.TryAddSingleton<TaskNotifications>();
        services.TryAddSingleton<NotificationDeliverySender>();
        services.TryAddSingleton<NotificationCenter>();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, LoggingSmsChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, LoggingVoiceChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationChannel, EmailChannel>());
        services.TryAddSingleton<LoggingEmailChannel>();
        services.TryAddSingleton<SmtpEmailChannel>();

        services.AddKernelNotificationRules();
        return services;
    }

    /// <summary>
    /// Adds a rule for trail records of <paramref name="action"/> (e.g. <c>market.entity.approved</c>): the delegate
    /// returns who is told and with which template. Register the template it uses with <see cref="AddNotificationTemplate"/>.
    /// </summary>
    public static IServiceCollection AddNotificationRule(
        this IServiceCollection services,
        string action,
        Func<NotificationRuleContext, CancellationToken, ValueTask<IReadOnlyList<NotificationRequest>>> map)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentNullException.ThrowIfNull(map);
        services.AddSingleton<INotificationRule>(new DelegateNotificationRule(action, map));
        return services;
    }

    /// <summary>Adds a rule class (resolved from DI as a singleton; it reads the database through the context).</summary>
    public static IServiceCollection AddNotificationRule<TRule>(this IServiceCollection services)
        where TRule : class, INotificationRule
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationRule, TRule>());
        return services;
    }

    /// <summary>Adds a template in Chinese and English; <c>{name}</c> placeholders are filled from the rule's values.</summary>
    public static IServiceCollection AddNotificationTemplate(this IServiceCollection services, NotificationTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        services.AddSingleton(template);
        return services;
    }
}

/// <summary>Knows every user's id and nothing else: Chinese, no addresses, no role members (the host replaces it).</summary>
internal sealed class NoAddressRecipientDirectory : INotificationRecipientDirectory
{
    public ValueTask<NotificationRecipient> FindAsync(string userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new NotificationRecipient(userId, NotificationLanguage.Chinese, null, null));

    public ValueTask<IReadOnlyList<string>> UsersInRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>([]);
}
