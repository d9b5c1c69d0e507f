using System.Globalization;
using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Runtime.Behaviors;

/// <summary>User task: creates the task (name and documentation rendered now) and waits for it to be completed.</summary>
internal sealed class UserTaskBehavior : NodeBehavior
{
    public static readonly UserTaskBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        var definition = (UserTask)node;
        execution.Wait = WaitKind.UserTask;
        var record = instance.Record;
        var task = new UserTaskRecord
        {
            Id = SequentialIds.Next(context.Now),
            InstanceId = record.Id,
            ExecutionId = execution.Id,
            ProcessId = record.ProcessId,
            ProcessVersion = record.ProcessVersion,
            BusinessKey = record.BusinessKey,
            ElementId = node.Id,
            Name = definition.Name is { } name ? context.RenderDisplayText(instance, execution, name, node.Id) : null,
            Documentation = definition.Documentation is { } doc ? context.RenderDisplayText(instance, execution, doc, node.Id) : null,
            Assignee = Text(context, instance, execution, definition.Assignee, node.Id),
            CandidateUsers = List(context, instance, execution, definition.CandidateUsers, node.Id),
            CandidateRoles = List(context, instance, execution, definition.CandidateRoles, node.Id),
            FormKey = definition.FormKey,
            Due = Date(context, instance, execution, definition.DueDate, node.Id),
            FollowUp = Date(context, instance, execution, definition.FollowUpDate, node.Id),
            Priority = Priority(context, instance, execution, definition.Priority, node.Id),
            State = UserTaskState.Open,
            CreatedAt = context.Now,
        };
        if (task.Assignee is null && task.CandidateUsers.Length == 0 && task.CandidateRoles.Length == 0
            && definition.Assignee is null && definition.CandidateUsers is null && definition.CandidateRoles is null)
        {
            // The model names nobody (a Camunda model as drawn): offered to the host's default roles to claim.
            task.CandidateRoles = context.DefaultCandidateRoles;
        }

        record.Tasks.Add(task);
        context.History(instance, HistoryEventType.TaskCreated, execution, node, taskId: task.Id, details: task.Assignee, elementName: task.Name);
        return ValueTask.CompletedTask;
    }

    private static string? Text(CommandContext context, LoadedInstance instance, ExecutionRecord execution, string? text, string elementId)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return context.LiteralOrExpression(instance, execution, text.Trim(), elementId) switch
        {
            null => null,
            string s => s.Length == 0 ? null : s,
            var other => VariableValues.Format(other),
        };
    }

    private static string[] List(CommandContext context, LoadedInstance instance, ExecutionRecord execution, string? text, string elementId)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var value = context.LiteralOrExpression(instance, execution, text.Trim(), elementId);
        var result = new List<string>();
        switch (value)
        {
            case string s:
                foreach (var part in s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    result.Add(part);
                }

                break;
            case IReadOnlyList<object?> list:
                foreach (var item in list)
                {
                    if (item is not null)
                    {
                        result.Add(VariableValues.Format(item));
                    }
                }

                break;
            case null:
                break;
            default:
                result.Add(VariableValues.Format(value));
                break;
        }

        return [.. result];
    }

    private static DateTimeOffset? Date(CommandContext context, LoadedInstance instance, ExecutionRecord execution, string? text, string elementId)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = context.LiteralOrExpression(instance, execution, text.Trim(), elementId);
        return value is null ? null : context.Services.TimerMath.First(TimerKind.Date, value, context.Now, elementId).Due;
    }

    private static int Priority(CommandContext context, LoadedInstance instance, ExecutionRecord execution, string? text, string elementId)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return context.Services.Options.DefaultTaskPriority;
        }

        return context.LiteralOrExpression(instance, execution, text.Trim(), elementId) switch
        {
            decimal d => (int)d,
            string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
            _ => throw new WorkflowDefinitionException($"节点 {elementId} 的优先级 {text} 不是整数", $"The priority '{text}' of '{elementId}' is not an integer.", elementId),
        };
    }
}

/// <summary>Service, send and business-rule tasks: call the handler registered under the task's name, then continue.</summary>
internal sealed class ServiceTaskBehavior : NodeBehavior
{
    public static readonly ServiceTaskBehavior Instance = new();

    public override async ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        var task = (ServiceTask)node;

        // A send task without any implementation passes, as in Camunda 7: the message leaves the process unmodelled.
        var passesWithoutHandler = task is SendTask && task.ImplementationKind == ImplementationKind.None;
        if (await CallHandlerAsync(context, instance, execution, node, task.Handler, (task as SendTask)?.Message?.Name, passesWithoutHandler))
        {
            context.Leave(instance, execution, node);
        }
    }

    /// <summary>
    /// Runs the handler <paramref name="name"/> for the node (service-like tasks, and message throw and end events that
    /// name one). Returns false when the handler raised a BPMN error, which has been thrown from the node instead.
    /// </summary>
    internal static async ValueTask<bool> CallHandlerAsync(
        CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, string? name, string? messageName, bool passesWithoutHandler)
    {
        var handler = name is null ? null : context.ResolveHandler(name);
        if (handler is null)
        {
            if (!context.Services.Options.UnknownHandlersAreNoOps && !(name is null && passesWithoutHandler))
            {
                throw new WorkflowDefinitionException(
                    $"节点 {node.Id} 的处理器 {name ?? "（未指定）"} 未注册",
                    $"The handler '{name ?? "(none)"}' of '{node.Id}' is not registered.",
                    node.Id);
            }

            if (name is not null || !passesWithoutHandler)
            {
                context.Services.Log.UnknownHandlerNoOp(node.Id, name ?? "");
            }

            return true;
        }

        var record = instance.Record;
        var handlerContext = new ServiceTaskContext(
            new HandlerVariables(context, instance, execution),
            record.Id,
            record.ProcessId,
            record.ProcessVersion,
            record.BusinessKey,
            node.Id,
            node.Name,
            name!,
            node.ExtensionAttributes,
            messageName,
            context.HandlerServices,
            await context.Session.GetTransactionAsync(context.CancellationToken),
            context.CancellationToken);
        try
        {
            await handler.ExecuteAsync(handlerContext);
        }
        catch (BpmnError error)
        {
            context.ThrowError(instance, execution, error.ErrorCode, error.ErrorMessage, node.Id);
            return false;
        }
        catch (Exception error) when (error is not (WorkflowException or OperationCanceledException))
        {
            throw new WorkflowHandlerException(node.Id, name!, error);
        }

        return true;
    }

    private sealed class HandlerVariables(CommandContext context, LoadedInstance instance, ExecutionRecord execution) : IHandlerVariableAccess
    {
        public bool TryGet(string name, out object? value) => Variables.TryGet(instance, execution, name, out value);

        public void Set(string name, object? value, bool local) => context.SetVariable(instance, execution, name, value, local);

        public IReadOnlyDictionary<string, object?> GetAll() => Variables.All(instance, execution);
    }
}

/// <summary>Receive task: waits for its message.</summary>
internal sealed class ReceiveTaskBehavior : NodeBehavior
{
    public static readonly ReceiveTaskBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        if (triggered)
        {
            context.Leave(instance, execution, node);
            return ValueTask.CompletedTask;
        }

        var receive = (ReceiveTask)node;
        execution.Wait = WaitKind.ReceiveTask;
        context.CreateSubscription(instance, execution, node, EventKind.Message, MessageName(receive), receive.CorrelationKey, TriggerPurpose.Catch);
        return ValueTask.CompletedTask;
    }

    public static string MessageName(ReceiveTask receive) =>
        receive.Message?.Name
        ?? throw new WorkflowDefinitionException($"接收任务 {receive.Id} 没有引用消息", $"The receive task '{receive.Id}' names no message.", receive.Id);
}

/// <summary>Embedded sub-process: a scope whose start nodes get tokens; it completes when its last token ends.</summary>
internal sealed class SubProcessBehavior : NodeBehavior
{
    public static readonly SubProcessBehavior Instance = new();

    public override ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        context.EnterSubProcessScope(instance, execution, (SubProcess)node);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Call activity: starts the called process as a child instance and waits for it to end.</summary>
internal sealed class CallActivityBehavior : NodeBehavior
{
    public static readonly CallActivityBehavior Instance = new();

    public override async ValueTask ExecuteAsync(CommandContext context, LoadedInstance instance, ExecutionRecord execution, FlowNode node, bool triggered)
    {
        var call = (CallActivity)node;
        var calledText = call.CalledElement
            ?? throw new WorkflowDefinitionException($"调用活动 {node.Id} 没有指定被调用流程", $"The call activity '{node.Id}' names no called process.", node.Id);
        var calledId = CommandContext.IsExpression(calledText)
            ? VariableValues.Format(context.EvaluateValue(instance, execution, calledText, node.Id))
            : calledText;
        var definition = await context.Services.Definitions.GetForStartAsync(
            calledId, call.Binding == CallBinding.Version ? call.BoundVersion : null, context.CancellationToken);

        var businessKey = call.BusinessKeyExpression is { } keyText
            ? VariableValues.Format(context.LiteralOrExpression(instance, execution, keyText, node.Id))
            : instance.Record.BusinessKey;
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var mapping in call.In)
        {
            if (mapping.AllVariables)
            {
                foreach (var (name, value) in Variables.All(instance, execution))
                {
                    variables[name] = value;
                }
            }
            else if (mapping.Target is { } target)
            {
                variables[target] = context.MappedValue(instance, execution, mapping, node.Id);
            }
        }

        var start = definition.Model.Compiled?.InitialNode ?? CompiledProcess.For(definition.Model).InitialNode
            ?? throw new WorkflowDefinitionException($"流程 {calledId} 没有开始事件", $"The process '{calledId}' has no start event.", node.Id);
        var child = context.CreateInstance(definition, businessKey, variables, instance, execution);
        execution.Wait = WaitKind.CalledInstance;
        execution.CalledInstanceId = child.Record.Id;
        context.StartInstance(child, start);
    }
}
