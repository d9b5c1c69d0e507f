namespace Trading.Workflow.Engine.Values;

/// <summary>A value that is not one of the engine's variable types, or JSON that is not a typed variable document.</summary>
public sealed class VariableValueException(string messageZh, string messageEn, Exception? inner = null)
    : ArgumentException($"{messageZh} / {messageEn}", inner)
{
    public string MessageZh { get; } = messageZh;

    public string MessageEn { get; } = messageEn;
}
