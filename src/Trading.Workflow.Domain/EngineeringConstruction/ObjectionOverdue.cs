using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Notifications;
using Trading.Workflow.Domain.Notifications.Rules;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// An objection the tenderee let pass its answer period (条例 22 to the documents, 条例 54 to the result): the trail record
/// both kinds write and the rule that tells the project's supervisors (of the record's centre) and the objector.
/// </summary>
public static class ObjectionOverdue
{
    internal static object Data(Guid objectionId, Guid entityId, string entityName, DateTimeOffset raisedAt, DateTimeOffset answerDueAt) =>
        new { objectionId, entityId, entityName, raisedAt, answerDueAt };

    internal static async ValueTask<IReadOnlyList<NotificationRequest>> ToSupervisorsAndObjectorAsync(
        NotificationRuleContext context, string template, string link, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["projectCode"] = context.Value("projectCode") ?? string.Empty,
            ["projectName"] = context.Value("projectName") ?? string.Empty,
            ["objector"] = context.Value("entityName") ?? string.Empty,
            ["raisedAt"] = context.Time("raisedAt") ?? string.Empty,
            ["answerDueAt"] = context.Time("answerDueAt") ?? string.Empty,
        };
        var supervisors = await MarketNotificationRules.ToRoleAsync(context, PlatformRoles.Supervisor, template, values, link, cancellationToken);
        var objector = context.Id("entityId") is { } entity
            ? await TenderNotificationRules.ToEntitiesAsync(context, template, [entity], values, cancellationToken, link)
            : [];
        return [.. supervisors, .. objector];
    }
}
