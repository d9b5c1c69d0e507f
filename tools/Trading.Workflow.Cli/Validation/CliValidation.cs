using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Timers;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Cli.Validation;

/// <summary>The validator wired to the engine's real expression and timer parsers.</summary>
public static class CliValidation
{
    /// <param name="knownHandlers">Handler names to accept; null skips the handler check.</param>
    /// <param name="knownProcessIds">Processes call activities may call besides those of the validated file.</param>
    public static ValidationContext CreateContext(IReadOnlySet<string>? knownHandlers, IReadOnlySet<string> knownProcessIds) => new()
    {
        KnownHandlers = knownHandlers,
        KnownProcessIds = knownProcessIds,
        ExpressionSyntaxCheck = CheckExpression,
        TimerSyntaxCheck = CheckTimer,
    };

    private static string? CheckExpression(string text) =>
        ExpressionEngine.Default.TryCompile(text, out _, out var error) ? null : $"{error.MessageZh} / {error.MessageEn}";

    private static string? CheckTimer(string text) =>
        TimerDefinition.TryParse(text, out _, out var error) ? null : error.ToString();
}
