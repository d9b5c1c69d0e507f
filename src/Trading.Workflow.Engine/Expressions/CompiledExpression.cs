using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Expressions;

/// <summary>A parsed expression, immutable and safe to evaluate from many threads at once.</summary>
public sealed class CompiledExpression
{
    private readonly Node _root;
    private readonly ExpressionEngine _engine;

    internal CompiledExpression(string text, ExpressionSyntax syntax, Node root, HashSet<string> variables, ExpressionEngine engine)
    {
        Text = text;
        Syntax = syntax;
        _root = root;
        _engine = engine;
        VariableNames = variables;
    }

    public string Text { get; }

    public ExpressionSyntax Syntax { get; }

    /// <summary>
    /// Names the expression may read from the variable scope (a superset: inside FEEL filters, entries of the
    /// filtered elements are listed too). Names read through existence checks are included.
    /// </summary>
    public IReadOnlyCollection<string> VariableNames { get; }

    /// <summary>The value of the expression, one of the engine's value types.</summary>
    /// <exception cref="ExpressionException">Unknown variable, type error, budget or timeout exceeded, and so on.</exception>
    public object? Evaluate(IVariableScope scope, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(context);
        var frame = Frame.Rent(scope, context, _engine);
        try
        {
            return _root.Evaluate(frame);
        }
        catch (ExpressionException ex)
        {
            throw ex.WithExpression(Text);
        }
        finally
        {
            frame.Return();
        }
    }

    /// <summary>Evaluates a condition (sequence flow, completion condition): the result must be true or false; null is an error too.</summary>
    public bool EvaluateCondition(IVariableScope scope, EvaluationContext context)
    {
        var value = Evaluate(scope, context);
        if (value is bool b)
        {
            return b;
        }

        throw new ExpressionException(ExpressionErrorCode.NotBoolean,
            $"条件的结果必须是 true 或 false，得到{VariableValues.TypeNameZh(value)} {Operators.Show(value)}",
            $"a condition must evaluate to true or false, got the {VariableValues.TypeName(value)} {Operators.Show(value)}").WithExpression(Text);
    }

    /// <summary>The value as text for people: templates render, other values format invariantly; null renders empty.</summary>
    public string Render(IVariableScope scope, EvaluationContext context)
    {
        var value = Evaluate(scope, context);
        return value is null ? "" : VariableValues.Format(value);
    }

    public override string ToString() => Text;
}
