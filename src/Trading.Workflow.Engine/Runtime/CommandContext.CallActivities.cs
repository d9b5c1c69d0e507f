using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

// Call activities: starting called instances and resuming their callers.
internal sealed partial class CommandContext
{
    // ---------------------------------------------------------------- call activities

    public void ResumeCaller(LoadedInstance child)
    {
        if (child.Record.ParentInstanceId is not { } parentId || Loaded(parentId) is not { } caller || caller.Record.IsEnded)
        {
            return;
        }

        if (child.Record.ParentExecutionId is not { } executionId || caller.Find(executionId) is not { } callExecution)
        {
            return;
        }

        var callActivity = (CallActivity)NodeOf(caller, callExecution);
        var childRoot = child.Root;
        foreach (var mapping in callActivity.Out)
        {
            if (mapping.AllVariables)
            {
                foreach (var (name, childValue) in Variables.All(child, childRoot))
                {
                    SetVariable(caller, callExecution, name, childValue, mapping.Local);
                }

                continue;
            }

            var value = MappedValue(child, childRoot, mapping, callActivity.Id);
            if (mapping.Target is { } target)
            {
                SetVariable(caller, Parent(caller, callExecution), target, value, mapping.Local);
            }
        }

        callExecution.CalledInstanceId = null;
        EnqueueLeave(caller, callExecution, callActivity);
    }

    public object? MappedValue(LoadedInstance instance, ExecutionRecord execution, VariableMapping mapping, string elementId)
    {
        if (mapping.SourceExpression is { } expression)
        {
            return EvaluateValue(instance, execution, expression, elementId);
        }

        if (mapping.Source is { } source)
        {
            return Variables.TryGet(instance, execution, source, out var value) ? value : throw new UnknownVariableException(source, elementId);
        }

        return null;
    }

    private void ApplyInputMappings(LoadedInstance instance, ExecutionRecord execution, Activity activity)
    {
        foreach (var mapping in activity.InputMappings)
        {
            if (mapping.Target is { } target)
            {
                SetVariable(instance, execution, target, MappedValue(instance, execution, mapping, activity.Id), local: true);
            }
        }
    }

    private void ApplyOutputMappings(LoadedInstance instance, ExecutionRecord execution, Activity activity)
    {
        var parent = Parent(instance, execution);
        foreach (var mapping in activity.OutputMappings)
        {
            if (mapping.Target is { } target)
            {
                SetVariable(instance, parent, target, MappedValue(instance, execution, mapping, activity.Id), mapping.Local);
            }
        }
    }
}
