using Microsoft.Extensions.DependencyInjection;

namespace Trading.Workflow.Domain.Notifications.Rules;

/// <summary>The templates for engine tasks and the rules for the kernel's own trail actions.</summary>
public static class KernelNotificationRules
{
    public const string TaskOffered = "task.offered";
    public const string TaskAssigned = "task.assigned";

    public static readonly NotificationTemplate TaskOfferedTemplate = new(
        TaskOffered,
        "新的待办任务：{task}",
        "{subject}的任务“{task}”已提供给您，请在待办中领取并办理。",
        "New task: {task}",
        "The task \"{task}\" of {subjectEn} is offered to you. Claim it in your inbox to work on it.");

    public static readonly NotificationTemplate TaskAssignedTemplate = new(
        TaskAssigned,
        "任务已分配给您：{task}",
        "{subject}的任务“{task}”已分配给您，请及时办理。",
        "Task assigned to you: {task}",
        "The task \"{task}\" of {subjectEn} is assigned to you. Please complete it in time.",
        [NotificationChannels.Email]);

    internal static IServiceCollection AddKernelNotificationRules(this IServiceCollection services)
    {
        services.AddNotificationTemplate(TaskOfferedTemplate);
        services.AddNotificationTemplate(TaskAssignedTemplate);
        services.AddMarketNotificationRules();
        services.AddDepositNotificationRules();
        services.AddProjectNotificationRules();
        return services;
    }
}
