using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Runtime;

/// <summary>The variables visible from an execution: its own, then each enclosing scope's up to the process.</summary>
internal sealed class ExecutionVariableScope(LoadedInstance instance, ExecutionRecord execution) : IVariableScope
{
    public bool TryGetVariable(string name, out object? value) => Variables.TryGet(instance, execution, name, out value);
}

internal static class Variables
{
    public static bool TryGet(LoadedInstance instance, ExecutionRecord execution, string name, out object? value)
    {
        ExecutionRecord? current = execution;
        while (current is not null)
        {
            if (current.Variables is { } vars && vars.TryGetValue(name, out value))
            {
                return true;
            }

            current = current.ParentId is { } parentId ? instance.Find(parentId) : null;
        }

        value = null;
        return false;
    }

    /// <summary>The execution that holds the variable, or null.</summary>
    public static ExecutionRecord? Owner(LoadedInstance instance, ExecutionRecord execution, string name)
    {
        ExecutionRecord? current = execution;
        while (current is not null)
        {
            if (current.Variables is { } vars && vars.ContainsKey(name))
            {
                return current;
            }

            current = current.ParentId is { } parentId ? instance.Find(parentId) : null;
        }

        return null;
    }

    public static Dictionary<string, object?> All(LoadedInstance instance, ExecutionRecord execution)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        ExecutionRecord? current = execution;
        while (current is not null)
        {
            if (current.Variables is { } vars)
            {
                foreach (var (key, value) in vars)
                {
                    result.TryAdd(key, value);
                }
            }

            current = current.ParentId is { } parentId ? instance.Find(parentId) : null;
        }

        return result;
    }
}
