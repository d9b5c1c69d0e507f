using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

// Variables and expressions.
internal sealed partial class CommandContext
{
    // ---------------------------------------------------------------- variables

    public void SetVariables(LoadedInstance instance, ExecutionRecord execution, IReadOnlyDictionary<string, object?> variables)
    {
        foreach (var (name, value) in variables)
        {
            SetVariable(instance, execution, name, value, local: false);
        }
    }

    /// <summary>Sets a variable: locally, or where it already exists, else on the process (Camunda's setVariable). Recorded in history.</summary>
    public void SetVariable(LoadedInstance instance, ExecutionRecord execution, string name, object? value, bool local)
    {
        object? normalized;
        try
        {
            normalized = VariableValues.NormalizeOwned(value);
        }
        catch (VariableValueException e)
        {
            throw new InvalidVariableException(name, e.MessageZh, e.MessageEn, e);
        }

        var target = local ? execution : Variables.Owner(instance, execution, name) ?? instance.Root;
        var vars = target.Variables ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        if (vars.TryGetValue(name, out var old))
        {
            if (VariableValues.DeepEquals(old, normalized))
            {
                return;
            }

            vars[name] = normalized;
            History(instance, HistoryEventType.VariableUpdated, target, null, variableName: name, oldValue: old, newValue: normalized);
            return;
        }

        vars[name] = normalized;
        History(instance, HistoryEventType.VariableCreated, target, null, variableName: name, newValue: normalized);
    }

    // ---------------------------------------------------------------- expressions

    /// <summary>Attribute text holding an expression (JUEL <c>${...}</c>/<c>#{...}</c> or FEEL after a leading '='), not a literal.</summary>
    public static bool IsExpression(string text) =>
        text.Contains("${", StringComparison.Ordinal) || text.Contains("#{", StringComparison.Ordinal) || text.TrimStart().StartsWith('=');

    public object? EvaluateValue(LoadedInstance instance, ExecutionRecord execution, string expression, string? elementId)
    {
        try
        {
            return VariableValues.Normalize(_services.Expressions.Evaluate(expression, new ExecutionVariableScope(instance, execution)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw MapExpressionError(e, expression, elementId);
        }
    }

    public bool EvaluateCondition(LoadedInstance instance, ExecutionRecord execution, string expression, string? elementId) =>
        EvaluateValue(instance, execution, expression, elementId) switch
        {
            bool b => b,
            var other => throw new WorkflowExpressionException(expression, elementId, new InvalidOperationException($"The condition gave {VariableValues.TypeName(other)}, not a boolean.")),
        };

    /// <summary>A literal, or the value of an expression when the text holds one.</summary>
    public object? LiteralOrExpression(LoadedInstance instance, ExecutionRecord execution, string text, string elementId) =>
        IsExpression(text) ? EvaluateValue(instance, execution, text, elementId) : text;

    /// <summary>
    /// Renders the <c>${...}</c> parts of a task's name or documentation. Text shown to people never stops a
    /// procedure: when it cannot be rendered (a variable not set yet, a wrong property) the raw text is kept,
    /// as the task must still be created, and the reason is logged.
    /// </summary>
    public string RenderDisplayText(LoadedInstance instance, ExecutionRecord execution, string template, string elementId)
    {
        if (!IsExpression(template))
        {
            return template;
        }

        try
        {
            return _services.Expressions.Render(template, new ExecutionVariableScope(instance, execution));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _services.Log.DisplayTextNotRendered(instance.Record.Id, elementId, template, e);
            return template;
        }
    }

    private static WorkflowException MapExpressionError(Exception error, string expression, string? elementId) => error switch
    {
        WorkflowException workflow => workflow,
        ExpressionException { Code: ExpressionErrorCode.UnknownVariable } unknown => new UnknownVariableException(unknown.VariableName ?? "?", elementId),
        _ => new WorkflowExpressionException(expression, elementId, error),
    };
}
