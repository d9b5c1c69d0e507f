using Trading.Workflow.Engine.Expressions;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// Evaluates a condition, mapping, collection, timer or template expression (JUEL <c>${...}</c> or FEEL) against the
/// variables in scope. Must throw <see cref="UnknownVariableException"/> for a variable that does not exist.
/// </summary>
public interface IExpressionEvaluator
{
    object? Evaluate(string expression, IVariableScope scope);
}
