namespace Trading.Workflow.Engine.Expressions;

/// <summary>A variable scope over a dictionary of canonical values (simulation, tests, one-off evaluations).</summary>
public sealed class DictionaryVariableScope(IReadOnlyDictionary<string, object?> variables) : IVariableScope
{
    public static DictionaryVariableScope Empty { get; } = new(new Dictionary<string, object?>());

    public bool TryGetVariable(string name, out object? value) => variables.TryGetValue(name, out value);
}
