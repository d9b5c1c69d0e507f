namespace Trading.Workflow.Engine.Validation;

/// <summary>
/// What the validator may check against. Every member is optional: null means "do not check this".
/// </summary>
public sealed class ValidationContext
{
    public static ValidationContext Default { get; } = new();

    /// <summary>Handler names registered with the engine; a service, send or business-rule task naming another is an error.</summary>
    public IReadOnlySet<string>? KnownHandlers { get; init; }

    /// <summary>
    /// Ids of processes deployed elsewhere that call activities may call. The executable processes of the
    /// validated file are always known. Null skips the check entirely.
    /// </summary>
    public IReadOnlySet<string>? KnownProcessIds { get; init; }

    /// <summary>
    /// Checks the syntax of an expression as written in the model (FEEL, JUEL <c>${...}</c>, or text with
    /// embedded <c>${...}</c> parts) and returns an error message, or null when it parses.
    /// </summary>
    public Func<string, string?>? ExpressionSyntaxCheck { get; init; }

    /// <summary>
    /// Checks a timer value (ISO 8601 date, duration or cycle, working-day period, cron) and returns an error
    /// message, or null when it parses. Values holding <c>${...}</c> go to <see cref="ExpressionSyntaxCheck"/> instead.
    /// </summary>
    public Func<string, string?>? TimerSyntaxCheck { get; init; }
}
