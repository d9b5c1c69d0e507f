using System.Globalization;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Market;

namespace Trading.Workflow.Web.Market;

/// <summary>
/// Market rule codes, statuses and qualification kinds in the user's language (Resources/MarketResource.tsv). Other
/// parts that show an eligibility answer (<see cref="IParticipationEligibility"/>) use <see cref="Problem"/>.
/// </summary>
public static class MarketText
{
    /// <summary>The message of a rule code (market or document rules, key <c>Rule.&lt;code&gt;</c>); the code itself when none is known.</summary>
    public static string Rule(this IStringLocalizer<MarketResource> text, string ruleCode)
    {
        var message = text[$"Rule.{ruleCode}"];
        return message.ResourceNotFound ? ruleCode : message.Value;
    }

    public static string Rule(this IStringLocalizer<MarketResource> text, DomainRuleException exception) => text.Rule(exception.RuleCode);

    /// <summary>Why an entity may not take part, in the user's language, naming the qualification and its expiry, or the bar and its last day.</summary>
    public static string Problem(this IStringLocalizer<MarketResource> text, EligibilityProblem problem) => problem.RuleCode switch
    {
        MarketRules.QualificationMissing => text[$"Rule.{problem.RuleCode}", text.Kind(problem.Qualification ?? string.Empty)],
        MarketRules.QualificationExpired => text[$"Rule.{problem.RuleCode}", text.Kind(problem.Qualification ?? string.Empty),
            problem.ExpiredOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty],
        MarketRules.Barred when problem.BarredUntil is { } until => text[$"Rule.{problem.RuleCode}.Until", problem.Decision ?? string.Empty,
            until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
        _ => text.Rule(problem.RuleCode),
    };

    /// <summary>A qualification kind's name: a known code in the user's language, otherwise the words registered.</summary>
    public static string Kind(this IStringLocalizer<MarketResource> text, string kind)
    {
        var name = text[$"Qualification.Kind.{kind}"];
        return name.ResourceNotFound ? kind : name.Value;
    }

    public static string Status(this IStringLocalizer<MarketResource> text, VerificationStatus status) => text[$"Market.Status.{status}"];

    public static string KindOf(this IStringLocalizer<MarketResource> text, EntityKind kind) => text[$"Market.Kind.{kind}"];

    /// <summary>A time shown to users: China Standard Time, minutes.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";
}
