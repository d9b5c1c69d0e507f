using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Timers;

namespace Trading.Workflow.Engine.Validation;

/// <summary>
/// The one place that wires <see cref="BpmnValidator"/> to the engine's real expression language and timer syntax,
/// so that deployment, the CLI and the web designer accept and refuse exactly the same models.
/// </summary>
public static class EngineValidation
{
    /// <summary>A context with the real syntax checks; messages come in both languages ("中文 / English").</summary>
    /// <param name="knownHandlers">Registered handler names; null skips the handler check.</param>
    /// <param name="knownProcessIds">Processes deployed elsewhere that call activities may call; null skips the check.</param>
    public static ValidationContext CreateContext(IReadOnlySet<string>? knownHandlers = null, IReadOnlySet<string>? knownProcessIds = null) => new()
    {
        KnownHandlers = knownHandlers,
        KnownProcessIds = knownProcessIds,
        ExpressionSyntaxCheck = CheckExpression,
        TimerSyntaxCheck = CheckTimer,
    };

    /// <summary>Null when the expression compiles, else why not.</summary>
    public static string? CheckExpression(string text) =>
        ExpressionEngine.Default.TryCompile(text, out _, out var error) ? null : $"{error.MessageZh} / {error.MessageEn}";

    /// <summary>Null when the timer value parses (ISO 8601, working-day period, cron), else why not.</summary>
    public static string? CheckTimer(string text) =>
        TimerDefinition.TryParse(text, out _, out var error) ? null : error.ToString();
}
