using System.Globalization;
using Trading.Workflow.Engine.Tests.Parsing;
using Trading.Workflow.Engine.Validation;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Tests.Validation;

/// <summary>
/// A validation context with stand-in syntax checks: the expression and timer engines belong to other parts
/// of the engine, so these only model "parses or not" well enough to exercise the validator.
/// </summary>
internal sealed class ValidationTestContext
{
    public int ExpressionChecks { get; private set; }

    public int TimerChecks { get; private set; }

    public ValidationContext Create(IEnumerable<string>? handlers = null, IEnumerable<string>? processes = null) => new()
    {
        KnownHandlers = (handlers ?? ["complianceCheck", "sendReminder", "publishNotice", "NotifyDelegate"]).ToHashSet(StringComparer.Ordinal),
        KnownProcessIds = (processes ?? ["bid-opening", "deployed-elsewhere"]).ToHashSet(StringComparer.Ordinal),
        ExpressionSyntaxCheck = CheckExpression,
        TimerSyntaxCheck = CheckTimer,
    };

    public static IReadOnlyList<ValidationProblem> Validate(string fileName, ValidationContext? context = null) =>
        BpmnValidator.Validate(TestFiles.ParseValidationFile(fileName), context ?? new ValidationTestContext().Create());

    private string? CheckExpression(string text)
    {
        ExpressionChecks++;
        return text.Count(c => c == '(') != text.Count(c => c == ')') || text.Count(c => c == '{') != text.Count(c => c == '}')
            ? "unbalanced brackets"
            : null;
    }

    private string? CheckTimer(string text)
    {
        TimerChecks++;
        var parses = IsoDuration.TryParse(text, out _)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            || (text.StartsWith('R') && text.Contains('/', StringComparison.Ordinal));
        return parses ? null : "not an ISO 8601 date, duration or cycle";
    }
}
