namespace Trading.Workflow.Engine.Validation;

public enum ValidationSeverity
{
    /// <summary>The definition cannot be used until this is fixed.</summary>
    Error,

    /// <summary>The definition can be used, but probably does not do what its author meant.</summary>
    Warning,
}

/// <summary>
/// One problem in a BPMN definition, located by element and process, described in Chinese and English.
/// <see cref="LineNumber"/> is set when the problem was found while parsing and the element has no usable id.
/// </summary>
public sealed record ValidationProblem(
    string? ElementId,
    string? ProcessId,
    string Code,
    ValidationSeverity Severity,
    string MessageZh,
    string MessageEn,
    int? LineNumber = null)
{
    public override string ToString() => $"{Severity} {Code} [{ProcessId}/{ElementId}]: {MessageEn}";
}

public static class ValidationProblemExtensions
{
    public static bool HasErrors(this IEnumerable<ValidationProblem> problems) =>
        problems.Any(p => p.Severity == ValidationSeverity.Error);
}
