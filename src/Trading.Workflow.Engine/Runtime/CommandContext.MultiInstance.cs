using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Expressions;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime;

// Multi-instance bodies and their instances.
internal sealed partial class CommandContext
{
    // ---------------------------------------------------------------- multi-instance

    private void StartMultiInstance(LoadedInstance instance, ExecutionRecord body, Activity activity, MultiInstanceLoop loop)
    {
        body.Kind = ExecutionKind.MultiInstanceBody;
        body.Wait = WaitKind.Scope;
        body.ActivityStartedAt = Now;
        History(instance, HistoryEventType.ActivityStarted, body, activity, elementType: "multiInstanceBody");
        var (count, collection) = ResolveLoop(instance, body, activity, loop);
        if (activity.BoundaryEvents.Count > 0)
        {
            CreateBoundaryTriggers(instance, body, activity);
        }

        body.Variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["nrOfInstances"] = (decimal)count,
            ["nrOfCompletedInstances"] = 0m,
            ["nrOfActiveInstances"] = (decimal)(loop.IsSequential ? Math.Min(1, count) : count),
        };
        if (count == 0)
        {
            EnqueueLeave(instance, body, activity);
            return;
        }

        if (loop.IsSequential)
        {
            StartItem(instance, body, activity, loop, 0, collection);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            StartItem(instance, body, activity, loop, i, collection);
        }
    }

    private (int Count, IReadOnlyList<object?>? Collection) ResolveLoop(LoadedInstance instance, ExecutionRecord body, Activity activity, MultiInstanceLoop loop)
    {
        if (loop.Collection is { } collectionText)
        {
            object? value;
            if (IsExpression(collectionText))
            {
                value = EvaluateValue(instance, body, collectionText, activity.Id);
            }
            else if (!Variables.TryGet(instance, body, collectionText, out value))
            {
                throw new UnknownVariableException(collectionText, activity.Id);
            }

            if (value is not IReadOnlyList<object?> list)
            {
                throw new WorkflowStateException(
                    $"节点 {activity.Id} 的多实例集合 {collectionText} 不是列表",
                    $"The multi-instance collection '{collectionText}' of '{activity.Id}' is not a list.");
            }

            return (list.Count, list);
        }

        if (loop.LoopCardinality is { } cardinality)
        {
            var value = IsExpression(cardinality) ? EvaluateValue(instance, body, cardinality, activity.Id) : VariableValues.Normalize(decimal.Parse(cardinality, System.Globalization.CultureInfo.InvariantCulture));
            if (value is decimal d && d >= 0 && d == decimal.Truncate(d))
            {
                return ((int)d, null);
            }

            throw new WorkflowStateException(
                $"节点 {activity.Id} 的多实例数量 {cardinality} 不是非负整数",
                $"The loop cardinality '{cardinality}' of '{activity.Id}' is not a non-negative integer.");
        }

        throw new WorkflowDefinitionException(
            $"节点 {activity.Id} 的多实例既没有集合也没有数量",
            $"The multi-instance activity '{activity.Id}' has neither a collection nor a loop cardinality.",
            activity.Id);
    }

    private void StartItem(LoadedInstance instance, ExecutionRecord body, Activity activity, MultiInstanceLoop loop, int index, IReadOnlyList<object?>? collection)
    {
        var item = NewExecution(instance, body, ExecutionKind.MultiInstanceItem, activity.Id);
        item.LoopCounter = index;
        item.Variables = new Dictionary<string, object?>(StringComparer.Ordinal) { ["loopCounter"] = (decimal)index };
        if (collection is not null && loop.ElementVariable is { } elementVariable)
        {
            item.Variables[elementVariable] = collection[index];
        }

        Enqueue(new Op(OpKind.Enter, instance, item, activity));
    }

    private void MultiInstanceItemCompleted(LoadedInstance instance, ExecutionRecord item, Activity activity)
    {
        var loop = activity.MultiInstance!;
        if (activity.OutputMappings.Count > 0)
        {
            ApplyOutputMappings(instance, item, activity);
        }

        History(instance, HistoryEventType.ActivityCompleted, item, activity);
        var body = Parent(instance, item);
        var vars = body.Variables!;
        var total = (int)(decimal)vars["nrOfInstances"]!;
        var completed = (int)(decimal)vars["nrOfCompletedInstances"]! + 1;
        var active = (int)(decimal)vars["nrOfActiveInstances"]! - 1;
        vars["nrOfCompletedInstances"] = (decimal)completed;
        vars["nrOfActiveInstances"] = (decimal)active;
        var done = loop.CompletionCondition is { } condition && EvaluateCondition(instance, item, condition, activity.Id);
        RemoveExecution(instance, item);
        if (done)
        {
            foreach (var other in instance.Children(body))
            {
                CancelExecution(instance, other);
            }

            EnqueueLeave(instance, body, activity);
            return;
        }

        if (!loop.IsSequential)
        {
            if (active <= 0)
            {
                EnqueueLeave(instance, body, activity);
            }

            return;
        }

        if (completed < total)
        {
            vars["nrOfActiveInstances"] = 1m;
            var collection = loop.Collection is null ? null : ResolveLoop(instance, body, activity, loop).Collection;
            StartItem(instance, body, activity, loop, completed, collection);
            return;
        }

        EnqueueLeave(instance, body, activity);
    }
}
