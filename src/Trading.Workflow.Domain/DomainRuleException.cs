namespace Trading.Workflow.Domain;

/// <summary>
/// A business rule of the trading domain was broken. <see cref="RuleCode"/> is stable so the UI can
/// show the message in the user's language; <see cref="Exception.Message"/> is English for the log.
/// </summary>
public sealed class DomainRuleException(string ruleCode, string message) : Exception(message)
{
    public string RuleCode { get; } = ruleCode;
}
