using System.Text.Json;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Domain.Trail;

namespace Trading.Workflow.Domain.Notifications;

/// <summary>
/// One notification a rule asks for: who receives it, which template, the values for its placeholders, where it links
/// to, and (when not the template's default) the external channels it also goes out through.
/// </summary>
public sealed record NotificationRequest(
    string UserId,
    string Template,
    IReadOnlyDictionary<string, string>? Values = null,
    string? Link = null,
    IReadOnlyList<string>? Channels = null);

/// <summary>
/// What a rule sees: the trail record (its action, subject, actor and centre), its data as JSON, the trading database
/// (inside the dispatcher's transaction; read only) and the application's services.
/// </summary>
public sealed class NotificationRuleContext(AuditEntry entry, TradingDbContext db, IServiceProvider services)
{
    private JsonElement? _data;

    public AuditEntry Entry { get; } = entry;

    public TradingDbContext Db { get; } = db;

    public IServiceProvider Services { get; } = services;

    /// <summary>The record's data (an empty object when it has none).</summary>
    public JsonElement Data => _data ??= Parse(Entry.Data);

    /// <summary>A string (or number, as text) property of the data, or null.</summary>
    public string? Value(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var p)
            ? p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>An amount of the data as a message shows it (160,000.00), or null; text that is no number stays as it is.</summary>
    public string? Money(string name) =>
        Value(name) is { } text && decimal.TryParse(text, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var amount)
            ? amount.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture)
            : Value(name);

    /// <summary>A moment of the data in China Standard Time (2026-12-10 08:00), or null; text that is no time stays as it is.</summary>
    public string? Time(string name) =>
        Value(name) is { } text && text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)
            : Value(name);

    /// <summary>A Guid property of the data, or null.</summary>
    public Guid? Id(string name) => Guid.TryParse(Value(name), out var id) ? id : null;

    /// <summary>
    /// Every user acting for the market entities (none when the market part is not registered), except the user who
    /// acted: nobody is told of what they did themselves.
    /// </summary>
    public async Task<IReadOnlyList<string>> MembersExceptActorAsync(IEnumerable<Guid?> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (Services.GetService(typeof(Market.IEntityMembership)) is not Market.IEntityMembership membership)
        {
            return [];
        }

        var users = new List<string>();
        foreach (var entity in entities.OfType<Guid>().Distinct())
        {
            users.AddRange(await membership.MembersOfAsync(entity, cancellationToken));
        }

        return [.. users.Where(u => u != Entry.Actor).Distinct(StringComparer.Ordinal)];
    }

    private static JsonElement Parse(string data)
    {
        if (string.IsNullOrWhiteSpace(data))
        {
            return JsonDocument.Parse("{}").RootElement.Clone();
        }

        using var document = JsonDocument.Parse(data);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// Turns trail records of one action into notifications. A part registers its rules with
/// <see cref="NotificationsServiceCollectionExtensions.AddNotificationRule"/>; the dispatcher calls every rule whose
/// <see cref="Action"/> equals the record's action (or <c>*</c> for every action).
/// </summary>
public interface INotificationRule
{
    /// <summary>The trail action this rule handles (<c>market.entity.approved</c>), or <c>*</c>.</summary>
    string Action { get; }

    ValueTask<IReadOnlyList<NotificationRequest>> MapAsync(NotificationRuleContext context, CancellationToken cancellationToken);
}

/// <summary>A rule given as a delegate.</summary>
public sealed class DelegateNotificationRule(
    string action,
    Func<NotificationRuleContext, CancellationToken, ValueTask<IReadOnlyList<NotificationRequest>>> map) : INotificationRule
{
    public string Action { get; } = action;

    public ValueTask<IReadOnlyList<NotificationRequest>> MapAsync(NotificationRuleContext context, CancellationToken cancellationToken) =>
        map(context, cancellationToken);
}

/// <summary>The registered rules by action.</summary>
public sealed class NotificationRuleSet(IEnumerable<INotificationRule> rules)
{
    private readonly ILookup<string, INotificationRule> _byAction = rules.ToLookup(r => r.Action, StringComparer.Ordinal);

    public IEnumerable<INotificationRule> For(string action) => _byAction[action].Concat(_byAction["*"]);

    public IReadOnlyCollection<string> Actions => _byAction.Select(g => g.Key).ToList();
}
