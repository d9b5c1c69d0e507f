using Trading.Workflow.Engine.Expressions;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>
/// Evaluates a condition, mapping, collection, timer or template expression (JUEL <c>${...}</c> or FEEL) against the
/// variables in scope. An unknown variable is an error (<see cref="ExpressionException"/> with
/// <see cref="ExpressionErrorCode.UnknownVariable"/> or <see cref="UnknownVariableException"/>), never a silent null.
/// </summary>
public interface IExpressionEvaluator
{
    object? Evaluate(string expression, IVariableScope scope);

    /// <summary>Renders text with embedded <c>${...}</c> parts (task names, documentation).</summary>
    string Render(string template, IVariableScope scope);
}

/// <summary>The engine's expression language (Expressions/), with the engine's clock and working-day calendar.</summary>
public sealed class ExpressionEngineEvaluator(ExpressionEngine engine, EvaluationContext context) : IExpressionEvaluator
{
    public object? Evaluate(string expression, IVariableScope scope) => engine.Compile(expression).Evaluate(scope, context);

    public string Render(string template, IVariableScope scope) => engine.CompileTemplate(template).Render(scope, context);
}
