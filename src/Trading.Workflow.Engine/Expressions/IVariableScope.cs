namespace Trading.Workflow.Engine.Expressions;

/// <summary>
/// What an expression can read. Values are the engine's typed values (see <c>Values/VariableValues</c>):
/// null, string, decimal, bool, DateTimeOffset, DateOnly, IsoDuration, IReadOnlyList&lt;object?&gt;,
/// IReadOnlyDictionary&lt;string, object?&gt;.
/// </summary>
public interface IVariableScope
{
    bool TryGetVariable(string name, out object? value);
}
