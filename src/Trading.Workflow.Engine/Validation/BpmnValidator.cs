using Trading.Workflow.Engine.Model;

namespace Trading.Workflow.Engine.Validation;

/// <summary>
/// Checks a parsed definition before it may be used and lists every problem at once. Errors block the
/// definition; warnings do not. Non-executable processes get a single warning and no further checks, as
/// Camunda 7 and Flowable ignore them on deployment. The rules are listed in Model/EXTENSIONS.md.
/// </summary>
public static class BpmnValidator
{
    public static IReadOnlyList<ValidationProblem> Validate(BpmnDefinitions definitions, ValidationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return new ValidationRun(definitions, context ?? ValidationContext.Default).Run();
    }

    /// <summary>
    /// Validates files deployed together as one set: a call activity may call an executable process of any file of
    /// the set, whatever the order; a process id defined by two files of the set is an error on the later one.
    /// Returns each file's problems, in the order of <paramref name="files"/>.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ValidationProblem>> ValidateSet(IReadOnlyList<BpmnDefinitions> files, ValidationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        context ??= ValidationContext.Default;
        var setContext = context;
        if (context.KnownProcessIds is { } known)
        {
            var callable = new HashSet<string>(known, StringComparer.Ordinal);
            callable.UnionWith(files.SelectMany(f => f.Processes).Where(p => p.IsExecutable).Select(p => p.Id));
            setContext = new ValidationContext
            {
                KnownHandlers = context.KnownHandlers,
                KnownProcessIds = callable,
                ExpressionSyntaxCheck = context.ExpressionSyntaxCheck,
                TimerSyntaxCheck = context.TimerSyntaxCheck,
            };
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<ValidationProblem>>(files.Count);
        foreach (var file in files)
        {
            var problems = new List<ValidationProblem>(Validate(file, setContext));
            foreach (var process in file.Processes)
            {
                if (!seen.Add(process.Id))
                {
                    problems.Add(new ValidationProblem(
                        process.Id,
                        process.Id,
                        ValidationCodes.DuplicateProcessInSet,
                        ValidationSeverity.Error,
                        $"流程 '{process.Id}' 在一起部署的多个文件中都有定义。",
                        $"Process '{process.Id}' is defined by more than one of the files deployed together."));
                }
            }

            result.Add(problems);
        }

        return result;
    }
}

internal sealed class ValidationRun
{
    private static readonly HashSet<string> AllowedConditionLanguages = new(StringComparer.OrdinalIgnoreCase)
    {
        "juel", "feel", "uel", "el", "http://www.omg.org/spec/FEEL/20140401", "https://www.omg.org/spec/FEEL/20140401",
    };

    private readonly BpmnDefinitions _definitions;
    private readonly ValidationContext _context;
    private readonly List<ValidationProblem> _problems = [];
    private readonly HashSet<string> _elementsWithParseProblems = new(StringComparer.Ordinal);
    private readonly HashSet<string> _callableProcesses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nonExecutableProcesses = new(StringComparer.Ordinal);
    private string? _processId;

    public ValidationRun(BpmnDefinitions definitions, ValidationContext context)
    {
        _definitions = definitions;
        _context = context;
    }

    public IReadOnlyList<ValidationProblem> Run()
    {
        foreach (var problem in _definitions.ParseProblems)
        {
            _problems.Add(problem);
            if (problem.ElementId is not null && problem.Severity == ValidationSeverity.Error)
            {
                _elementsWithParseProblems.Add(problem.ElementId);
            }
        }

        if (_definitions.Processes.Count == 0)
        {
            Add(ValidationCodes.NoProcess, ValidationSeverity.Error, null, "文件中没有流程（process）。", "The file contains no process.");
        }

        foreach (var process in _definitions.Processes)
        {
            (process.IsExecutable ? _callableProcesses : _nonExecutableProcesses).Add(process.Id);
        }

        if (_context.KnownProcessIds is { } known)
        {
            _callableProcesses.UnionWith(known);
        }

        foreach (var process in _definitions.Processes)
        {
            _processId = process.Id;
            if (!process.IsExecutable)
            {
                Add(
                    ValidationCodes.ProcessNotExecutable,
                    ValidationSeverity.Warning,
                    process.Id,
                    $"流程 '{process.Id}' 不是可执行流程（isExecutable 不为 true），只能查看，不能启动。",
                    $"Process '{process.Id}' is not executable (isExecutable is not true): it can be viewed but not started.");
                continue;
            }

            ValidateScope(process);
        }

        _processId = null;
        return _problems;
    }

    private void ValidateScope(IFlowScope scope)
    {
        ValidateStarts(scope);
        ValidateReachability(scope);
        foreach (var node in scope.Nodes)
        {
            ValidateNode(node);
            if (node is SubProcess subProcess)
            {
                ValidateScope(subProcess);
            }
        }

        foreach (var flow in scope.Flows)
        {
            ValidateFlow(flow);
        }
    }

    private void ValidateStarts(IFlowScope scope)
    {
        switch (scope)
        {
            case ProcessModel process:
                if (process.StartEvents.Count == 0 && process.EventStartEvents.Count == 0)
                {
                    Add(
                        ValidationCodes.NoStartEvent,
                        ValidationSeverity.Error,
                        process.Id,
                        $"流程 '{process.Id}' 没有开始事件。",
                        $"Process '{process.Id}' has no start event.");
                }

                break;
            case SubProcess { TriggeredByEvent: true } eventSubProcess:
                if (eventSubProcess.StartEvents.Count != 0 || eventSubProcess.EventStartEvents.Count != 1)
                {
                    Add(
                        ValidationCodes.EventSubProcessStart,
                        ValidationSeverity.Error,
                        eventSubProcess.Id,
                        $"事件子流程 '{eventSubProcess.Id}' 必须恰好有一个带事件定义（消息、定时、信号或错误）的开始事件。",
                        $"Event sub-process '{eventSubProcess.Id}' must have exactly one start event with an event definition (message, timer, signal or error).");
                }

                break;
            case SubProcess subProcess:
                if (subProcess.StartEvents.Count == 0)
                {
                    Add(
                        ValidationCodes.NoStartEvent,
                        ValidationSeverity.Error,
                        subProcess.Id,
                        $"子流程 '{subProcess.Id}' 没有空开始事件。",
                        $"Sub-process '{subProcess.Id}' has no none start event.");
                }

                foreach (var start in subProcess.EventStartEvents)
                {
                    Add(
                        ValidationCodes.StartEventInvalid,
                        ValidationSeverity.Error,
                        start.Id,
                        $"嵌入式子流程中的开始事件 '{start.Id}' 不能带事件定义，只能是空开始事件。",
                        $"Start event '{start.Id}' in an embedded sub-process cannot have an event definition; only a none start event is allowed.");
                }

                break;
        }

        foreach (var extra in scope.StartEvents.Skip(1))
        {
            Add(
                ValidationCodes.MultipleNoneStartEvents,
                ValidationSeverity.Error,
                extra.Id,
                $"'{scope.Id}' 有多个空开始事件，'{extra.Id}' 是多余的。",
                $"'{scope.Id}' has more than one none start event; '{extra.Id}' is one too many.");
        }
    }

    private void ValidateReachability(IFlowScope scope)
    {
        var starts = scope.StartEvents.Concat(scope.EventStartEvents).ToList();
        if (starts.Count == 0)
        {
            // Already reported as a missing start event; every node would otherwise be reported too.
            return;
        }

        var visited = new HashSet<FlowNode>();
        var queue = new Queue<FlowNode>(starts);
        while (queue.TryDequeue(out var node))
        {
            if (!visited.Add(node))
            {
                continue;
            }

            foreach (var flow in node.Outgoing)
            {
                queue.Enqueue(flow.Target);
            }

            if (node is Activity activity)
            {
                foreach (var boundary in activity.BoundaryEvents)
                {
                    queue.Enqueue(boundary);
                }
            }
        }

        foreach (var node in scope.Nodes)
        {
            if (visited.Contains(node) || node is SubProcess { TriggeredByEvent: true })
            {
                continue;
            }

            if (node is BoundaryEvent boundary && !visited.Contains(boundary.AttachedTo))
            {
                // Reported through the activity it is attached to.
                continue;
            }

            var (zh, en) = Describe(node);
            Add(
                ValidationCodes.Unreachable,
                ValidationSeverity.Error,
                node.Id,
                $"{zh}不可达：从开始事件出发没有顺序流能到达它。",
                $"{en} is unreachable: no path of sequence flows leads to it from a start event.");
        }
    }

    private void ValidateNode(FlowNode node)
    {
        ValidateConnections(node);
        if (node is EventNode eventNode)
        {
            ValidateEvent(eventNode);
        }

        if (node is Activity activity)
        {
            ValidateActivity(activity);
        }

        switch (node)
        {
            case UserTask userTask:
                ValidateUserTask(userTask);
                break;
            case ServiceTask serviceTask:
                ValidateServiceTask(serviceTask);
                break;
            case ReceiveTask receiveTask when receiveTask.Message is null && !_elementsWithParseProblems.Contains(receiveTask.Id):
                Add(
                    ValidationCodes.MessageMissing,
                    ValidationSeverity.Error,
                    receiveTask.Id,
                    $"接收任务 '{receiveTask.Id}' 没有引用消息（messageRef）。",
                    $"Receive task '{receiveTask.Id}' references no message (messageRef).");
                break;
            case ReceiveTask receiveTask:
                CheckExpression(receiveTask.CorrelationKey, receiveTask.Id, "关联键", "correlation key");
                break;
            case ScriptTask scriptTask:
                Add(
                    ValidationCodes.ScriptTaskRefused,
                    ValidationSeverity.Error,
                    scriptTask.Id,
                    $"脚本任务 '{scriptTask.Id}' 被拒绝：出于安全原因，服务器不执行任何脚本；请改用服务任务并指定处理程序。",
                    $"Script task '{scriptTask.Id}' is refused: for security, the server never runs scripts; use a service task with a handler.");
                break;
            case CallActivity callActivity:
                ValidateCallActivity(callActivity);
                break;
            case ComplexGateway or UnsupportedActivity:
                var (zh, en) = Describe(node);
                Add(
                    ValidationCodes.UnsupportedElement,
                    ValidationSeverity.Error,
                    node.Id,
                    $"本引擎不支持{zh}。",
                    $"The engine does not support {en}.");
                break;
            case ExclusiveGateway or InclusiveGateway:
                ValidateConditionalGateway((Gateway)node);
                break;
            case ParallelGateway:
                WarnIgnoredConditions(node, node.Outgoing);
                break;
            case EventBasedGateway eventGateway:
                ValidateEventGateway(eventGateway);
                break;
        }
    }

    private void ValidateConnections(FlowNode node)
    {
        var (zh, en) = Describe(node);
        switch (node)
        {
            case StartEvent start:
                if (start.Incoming.Count > 0)
                {
                    Add(ValidationCodes.StartHasIncoming, ValidationSeverity.Error, node.Id, $"{zh}不能有传入顺序流。", $"{en} cannot have incoming sequence flows.");
                }

                if (start.Outgoing.Count == 0)
                {
                    Add(ValidationCodes.DeadEnd, ValidationSeverity.Error, node.Id, $"{zh}没有传出顺序流，流程无法继续。", $"{en} has no outgoing sequence flow, so nothing can follow it.");
                }

                break;
            case EndEvent when node.Outgoing.Count > 0:
                Add(ValidationCodes.EndHasOutgoing, ValidationSeverity.Error, node.Id, $"{zh}不能有传出顺序流。", $"{en} cannot have outgoing sequence flows.");
                break;
            case Gateway when node.Outgoing.Count == 0:
                Add(ValidationCodes.GatewayNoOutgoing, ValidationSeverity.Error, node.Id, $"{zh}没有传出顺序流。", $"{en} has no outgoing sequence flow.");
                break;
            case IntermediateCatchEvent or IntermediateThrowEvent when node.Outgoing.Count == 0:
                Add(ValidationCodes.DeadEnd, ValidationSeverity.Error, node.Id, $"{zh}没有传出顺序流：令牌会停在这里。", $"{en} has no outgoing sequence flow: the token would stop here.");
                break;
            case BoundaryEvent or Activity when node.Outgoing.Count == 0 && node is not SubProcess { TriggeredByEvent: true }:
                // Legal BPMN: Camunda and Flowable end the path there (implicit end). Worth a look, not a refusal.
                Add(
                    ValidationCodes.ImplicitEnd,
                    ValidationSeverity.Warning,
                    node.Id,
                    $"{zh}没有传出顺序流，执行到此该路径隐式结束；建议连接到结束事件。",
                    $"{en} has no outgoing sequence flow: its path ends there implicitly; consider connecting an end event.");
                break;
            case SubProcess { TriggeredByEvent: true } when node.Incoming.Count > 0 || node.Outgoing.Count > 0:
                Add(
                    ValidationCodes.EventSubProcessConnected,
                    ValidationSeverity.Error,
                    node.Id,
                    $"{zh}不能用顺序流连接：它由事件触发。",
                    $"{en} cannot be connected by sequence flows: it is triggered by its event.");
                break;
        }
    }

    private void ValidateEvent(EventNode node)
    {
        var (zh, en) = Describe(node);
        if (node.Definitions.Count > 1)
        {
            Add(
                ValidationCodes.MultipleEventDefinitions,
                ValidationSeverity.Error,
                node.Id,
                $"{zh}有多个事件定义，本引擎只支持一个。",
                $"{en} has several event definitions; the engine supports one.");
        }

        var inEventSubProcess = node.Scope is SubProcess { TriggeredByEvent: true };
        var inEmbeddedSubProcess = node.Scope is SubProcess { TriggeredByEvent: false };
        if (node.Definitions.Count == 0 && node is IntermediateCatchEvent or BoundaryEvent)
        {
            Add(
                ValidationCodes.CatchEventNoDefinition,
                ValidationSeverity.Error,
                node.Id,
                $"{zh}没有事件定义（定时、消息、信号{(node is BoundaryEvent ? "或错误" : string.Empty)}），无法等待任何东西。",
                $"{en} has no event definition (timer, message, signal{(node is BoundaryEvent ? " or error" : string.Empty)}), so it waits for nothing.");
        }

        foreach (var definition in node.Definitions)
        {
            var kind = DefinitionName(definition);
            var allowed = (node, definition) switch
            {
                (_, UnsupportedEventDefinition) => false,
                // Signal starts run at process level too (BroadcastSignalAsync starts them; BPMN 2.0 §10.5.2).
                (StartEvent, TimerEventDefinition or MessageEventDefinition or SignalEventDefinition) => !inEmbeddedSubProcess,
                (StartEvent, ErrorEventDefinition) => inEventSubProcess,
                (EndEvent, TerminateEventDefinition or ErrorEventDefinition or MessageEventDefinition or SignalEventDefinition) => true,
                (IntermediateCatchEvent, TimerEventDefinition or MessageEventDefinition or SignalEventDefinition) => true,
                (IntermediateThrowEvent, MessageEventDefinition or SignalEventDefinition) => true,
                (BoundaryEvent, TimerEventDefinition or MessageEventDefinition or SignalEventDefinition or ErrorEventDefinition) => true,
                _ => false,
            };

            if (!allowed)
            {
                if (node is StartEvent && inEmbeddedSubProcess)
                {
                    // Reported once as START_EVENT_INVALID for the sub-process.
                    continue;
                }

                Add(
                    ValidationCodes.UnsupportedEvent,
                    ValidationSeverity.Error,
                    node.Id,
                    $"本引擎不支持{zh}上的{kind.Zh}事件定义。",
                    $"The engine does not support {kind.En} event definitions on {en}.");
                continue;
            }

            switch (definition)
            {
                case TimerEventDefinition timer:
                    ValidateTimer(node, timer);
                    break;
                case MessageEventDefinition message:
                    if (message.MessageRef is null)
                    {
                        Add(ValidationCodes.MessageMissing, ValidationSeverity.Error, node.Id, $"{zh}的消息事件定义没有引用消息（messageRef）。", $"The message event definition of {en} references no message (messageRef).");
                    }

                    CheckExpression(message.CorrelationKey, node.Id, "关联键", "correlation key");
                    ValidateMessageSender(node, message, zh, en);
                    break;
                case SignalEventDefinition signal when signal.SignalRef is null:
                    Add(ValidationCodes.SignalMissing, ValidationSeverity.Error, node.Id, $"{zh}的信号事件定义没有引用信号（signalRef）。", $"The signal event definition of {en} references no signal (signalRef).");
                    break;
                case ErrorEventDefinition error when node is EndEvent && error.ErrorRef is null:
                    Add(ValidationCodes.ErrorEndNoError, ValidationSeverity.Error, node.Id, $"{zh}是错误结束事件，但没有引用错误（errorRef），无法确定抛出的错误代码。", $"{en} is an error end event without an errorRef, so there is no error code to throw.");
                    break;
                case ErrorEventDefinition when node is BoundaryEvent { CancelActivity: false } || node is StartEvent { IsInterrupting: false }:
                    Add(ValidationCodes.ErrorBoundaryNonInterrupting, ValidationSeverity.Error, node.Id, $"{zh}捕获错误，必须是中断型的。", $"{en} catches an error, so it must be interrupting.");
                    break;
            }
        }
    }

    private void ValidateTimer(EventNode node, TimerEventDefinition timer)
    {
        if (timer.Value.Length == 0)
        {
            var (zh, en) = Describe(node);
            Add(
                ValidationCodes.TimerEmpty,
                ValidationSeverity.Error,
                node.Id,
                $"{zh}的定时器没有设置时间（timeDate、timeDuration 或 timeCycle）。",
                $"The timer of {en} has no value (timeDate, timeDuration or timeCycle).");
            return;
        }

        CheckTimer(timer.Value, node.Id, "定时器", "timer");
    }

    private void ValidateActivity(Activity activity)
    {
        if (activity.MultiInstance is { } loop)
        {
            if (loop.LoopCardinality is null && loop.Collection is null)
            {
                var (zh, en) = Describe(activity);
                Add(
                    ValidationCodes.MultiInstanceEmpty,
                    ValidationSeverity.Error,
                    activity.Id,
                    $"{zh}是多实例，但既没有实例数（loopCardinality）也没有集合（collection）。",
                    $"{en} is multi-instance but has neither a loop cardinality nor a collection.");
            }

            if (loop.LoopCardinality is { } cardinality && !int.TryParse(cardinality, out _))
            {
                CheckExpression(cardinality, activity.Id, "多实例数量", "loop cardinality");
            }

            CheckExpression(loop.Collection, activity.Id, "多实例集合", "multi-instance collection");
            CheckExpression(loop.CompletionCondition, activity.Id, "完成条件", "completion condition");
        }

        foreach (var mapping in activity.InputMappings.Concat(activity.OutputMappings))
        {
            CheckExpression(mapping.SourceExpression, activity.Id, $"变量映射 '{mapping.Target}' 的", $"mapping '{mapping.Target}'");
        }
    }

    private void ValidateUserTask(UserTask task)
    {
        if (task.Assignee is null && task.CandidateUsers is null && task.CandidateRoles is null)
        {
            // As in Camunda, an imported model runs unchanged: the task goes to the host's default candidate roles.
            Add(
                ValidationCodes.UserTaskNoReceiver,
                ValidationSeverity.Warning,
                task.Id,
                $"用户任务 '{task.Id}' 没有办理人、候选用户或候选角色：运行时作为未分配任务交给默认候选角色（交易中心工作人员）认领。",
                $"User task '{task.Id}' has no assignee, candidate users or candidate roles: at run time it is an unassigned task for the default candidate roles (the centre's staff) to claim.");
        }

        CheckTemplate(task.Name, task.Id, "名称", "name");
        CheckTemplate(task.Documentation, task.Id, "说明", "documentation");
        CheckTemplate(task.DocumentationEn, task.Id, "英文说明", "English documentation");
        CheckTemplate(task.Assignee, task.Id, "办理人", "assignee");
        CheckTemplate(task.CandidateUsers, task.Id, "候选用户", "candidate users");
        CheckTemplate(task.CandidateRoles, task.Id, "候选角色", "candidate roles");
        CheckTemplate(task.FormKey, task.Id, "表单键", "form key");
        if (task.DueDate is { } dueDate)
        {
            CheckTimer(dueDate, task.Id, "到期时间", "due date");
        }

        if (task.FollowUpDate is { } followUpDate)
        {
            CheckTimer(followUpDate, task.Id, "跟进时间", "follow-up date");
        }

        if (task.Priority is { } priority)
        {
            if (HasExpression(priority))
            {
                CheckExpression(priority, task.Id, "优先级", "priority");
            }
            else if (!int.TryParse(priority, out _))
            {
                Add(
                    ValidationCodes.ExpressionInvalid,
                    ValidationSeverity.Error,
                    task.Id,
                    $"用户任务 '{task.Id}' 的优先级 '{priority}' 不是整数也不是表达式。",
                    $"The priority '{priority}' of user task '{task.Id}' is neither an integer nor an expression.");
            }
        }
    }

    private void ValidateServiceTask(ServiceTask task)
    {
        var (zh, en) = Describe(task);
        if (task.Handler is null)
        {
            if (task.ImplementationKind == ImplementationKind.None && _elementsWithParseProblems.Contains(task.Id))
            {
                return;
            }

            var what = task.Implementation is null
                ? ("没有指定处理程序（tw:handler，或 class、delegateExpression、expression、type）", "names no handler (tw:handler, or class, delegateExpression, expression, type)")
                : ($"的实现 '{task.Implementation}' 无法对应到处理程序名称", $"has the implementation '{task.Implementation}', which maps to no handler name");
            Add(ValidationCodes.ServiceNoHandler, ValidationSeverity.Error, task.Id, $"{zh}{what.Item1}。", $"{en} {what.Item2}.");
            return;
        }

        if (_context.KnownHandlers is { } known && !known.Contains(task.Handler))
        {
            Add(
                ValidationCodes.HandlerUnknown,
                ValidationSeverity.Error,
                task.Id,
                $"{zh}的处理程序 '{task.Handler}' 未注册。",
                $"The handler '{task.Handler}' of {en} is not registered.");
        }
    }

    /// <summary>A message throw or end event naming an implementation must name a handler the engine knows.</summary>
    private void ValidateMessageSender(FlowNode node, MessageEventDefinition message, string zh, string en)
    {
        if (message.ImplementationKind == ImplementationKind.None)
        {
            return;
        }

        if (message.Handler is null)
        {
            Add(
                ValidationCodes.ServiceNoHandler,
                ValidationSeverity.Error,
                node.Id,
                $"{zh}的实现 '{message.Implementation}' 无法对应到处理程序名称。",
                $"{en} has the implementation '{message.Implementation}', which maps to no handler name.");
        }
        else if (_context.KnownHandlers is { } known && !known.Contains(message.Handler))
        {
            Add(
                ValidationCodes.HandlerUnknown,
                ValidationSeverity.Error,
                node.Id,
                $"{zh}的处理程序 '{message.Handler}' 未注册。",
                $"The handler '{message.Handler}' of {en} is not registered.");
        }
    }

    private void ValidateCallActivity(CallActivity call)
    {
        var target = call.CalledElement;
        if (target is null)
        {
            Add(
                ValidationCodes.CallNoTarget,
                ValidationSeverity.Error,
                call.Id,
                $"调用活动 '{call.Id}' 没有指定被调用的流程（calledElement）。",
                $"Call activity '{call.Id}' names no process to call (calledElement).");
        }
        else if (HasExpression(target))
        {
            CheckExpression(target, call.Id, "被调用流程", "called element");
        }
        else if (_context.KnownProcessIds is not null && !_callableProcesses.Contains(target))
        {
            var notExecutable = _nonExecutableProcesses.Contains(target);
            Add(
                ValidationCodes.CallUnknownProcess,
                ValidationSeverity.Error,
                call.Id,
                notExecutable
                    ? $"调用活动 '{call.Id}' 调用的流程 '{target}' 不是可执行流程。"
                    : $"调用活动 '{call.Id}' 调用的流程 '{target}' 不存在（既不在本文件中，也未部署）。",
                notExecutable
                    ? $"Call activity '{call.Id}' calls process '{target}', which is not executable."
                    : $"Call activity '{call.Id}' calls process '{target}', which is neither in this file nor deployed.");
        }

        CheckTemplate(call.BusinessKeyExpression, call.Id, "业务键", "business key");
        foreach (var mapping in call.In.Concat(call.Out))
        {
            CheckExpression(mapping.SourceExpression, call.Id, $"变量映射 '{mapping.Target}' 的", $"mapping '{mapping.Target}'");
        }
    }

    private void ValidateConditionalGateway(Gateway gateway)
    {
        if (gateway.Outgoing.Count > 1)
        {
            var (zh, en) = Describe(gateway);
            foreach (var flow in gateway.Outgoing.Where(f => !f.IsDefault && f.Condition is null))
            {
                if (gateway is InclusiveGateway)
                {
                    // Camunda takes such a flow every time; worth a look in the designer, not a refusal.
                    Add(
                        ValidationCodes.ConditionMissing,
                        ValidationSeverity.Warning,
                        flow.Id,
                        $"顺序流 '{flow.Id}' 从{zh}出发，没有条件：每次都会走这条路径。",
                        $"Sequence flow '{flow.Id}' leaves {en} without a condition: it is taken every time.");
                    continue;
                }

                Add(
                    ValidationCodes.ConditionMissing,
                    ValidationSeverity.Error,
                    flow.Id,
                    $"顺序流 '{flow.Id}' 从{zh}出发，既没有条件也不是默认流。",
                    $"Sequence flow '{flow.Id}' leaves {en} with neither a condition nor the default mark.");
            }
        }

        WarnIgnoredConditions(gateway, gateway.Outgoing.Where(f => f.IsDefault));
    }

    private void ValidateEventGateway(EventBasedGateway gateway)
    {
        var (zh, en) = Describe(gateway);
        if (gateway.Outgoing.Count == 1)
        {
            Add(
                ValidationCodes.EventGatewayTarget,
                ValidationSeverity.Error,
                gateway.Id,
                $"{zh}至少需要两条传出顺序流。",
                $"{en} needs at least two outgoing sequence flows.");
        }

        foreach (var flow in gateway.Outgoing)
        {
            var target = flow.Target;
            var valid = target is ReceiveTask
                || (target is IntermediateCatchEvent catchEvent && catchEvent.Definition is TimerEventDefinition or MessageEventDefinition or SignalEventDefinition);
            if (!valid)
            {
                var (targetZh, targetEn) = Describe(target);
                Add(
                    ValidationCodes.EventGatewayTarget,
                    ValidationSeverity.Error,
                    target.Id,
                    $"{zh}之后只能是定时、消息或信号中间捕获事件或接收任务，{targetZh}不行。",
                    $"{en} may only lead to timer, message or signal intermediate catch events or receive tasks, not to {targetEn}.");
            }
        }

        WarnIgnoredConditions(gateway, gateway.Outgoing);
    }

    private void WarnIgnoredConditions(FlowNode source, IEnumerable<SequenceFlow> flows)
    {
        var (zh, en) = Describe(source);
        foreach (var flow in flows.Where(f => f.Condition is not null))
        {
            Add(
                ValidationCodes.ConditionIgnored,
                ValidationSeverity.Warning,
                flow.Id,
                $"顺序流 '{flow.Id}'（从{zh}出发）的条件不会被计算：{(flow.IsDefault ? "默认流" : "这种网关的传出流")}总是被选取。",
                $"The condition of sequence flow '{flow.Id}' (leaving {en}) is never evaluated: {(flow.IsDefault ? "a default flow" : "every outgoing flow of this gateway")} is always taken.");
        }
    }

    private void ValidateFlow(SequenceFlow flow)
    {
        if (flow.Condition is null)
        {
            return;
        }

        if (flow.ConditionLanguage is { } language && !AllowedConditionLanguages.Contains(language))
        {
            Add(
                ValidationCodes.ScriptRefused,
                ValidationSeverity.Error,
                flow.Id,
                $"顺序流 '{flow.Id}' 的条件是 '{language}' 脚本：出于安全原因，服务器不执行脚本；请改用 FEEL 或 ${{...}} 表达式。",
                $"The condition of sequence flow '{flow.Id}' is a '{language}' script: for security the server never runs scripts; use a FEEL or ${{...}} expression.");
            return;
        }

        CheckExpression(flow.Condition, flow.Id, "条件", "condition");
    }

    private static bool HasExpression(string text) =>
        text.Contains("${", StringComparison.Ordinal) || text.Contains("#{", StringComparison.Ordinal);

    /// <summary>Checks text that is literal unless it embeds <c>${...}</c> (names, assignees, form keys).</summary>
    private void CheckTemplate(string? text, string elementId, string whatZh, string whatEn)
    {
        if (text is not null && HasExpression(text))
        {
            CheckExpression(text, elementId, whatZh, whatEn);
        }
    }

    private void CheckExpression(string? text, string elementId, string whatZh, string whatEn)
    {
        if (text is null || _context.ExpressionSyntaxCheck is not { } check || check(text) is not { } error)
        {
            return;
        }

        Add(
            ValidationCodes.ExpressionInvalid,
            ValidationSeverity.Error,
            elementId,
            $"'{elementId}' 的{whatZh}表达式 '{text}' 无法解析：{error}",
            $"The {whatEn} expression '{text}' of '{elementId}' does not parse: {error}");
    }

    /// <summary>Timer values and due dates: an embedded expression goes to the expression check, anything else to the timer check.</summary>
    private void CheckTimer(string text, string elementId, string whatZh, string whatEn)
    {
        if (HasExpression(text))
        {
            CheckExpression(text, elementId, whatZh, whatEn);
            return;
        }

        if (_context.TimerSyntaxCheck is not { } check || check(text) is not { } error)
        {
            return;
        }

        Add(
            ValidationCodes.TimerInvalid,
            ValidationSeverity.Error,
            elementId,
            $"'{elementId}' 的{whatZh} '{text}' 无法解析：{error}",
            $"The {whatEn} '{text}' of '{elementId}' does not parse: {error}");
    }

    private void Add(string code, ValidationSeverity severity, string? elementId, string zh, string en) =>
        _problems.Add(new ValidationProblem(elementId, _processId, code, severity, zh, en));

    private static (string Zh, string En) Describe(FlowNode node)
    {
        var typeZh = node.ElementType switch
        {
            "startEvent" => "开始事件",
            "endEvent" => "结束事件",
            "intermediateCatchEvent" => "中间捕获事件",
            "intermediateThrowEvent" => "中间抛出事件",
            "boundaryEvent" => "边界事件",
            "task" => "任务",
            "userTask" => "用户任务",
            "manualTask" => "手工任务",
            "serviceTask" => "服务任务",
            "sendTask" => "发送任务",
            "businessRuleTask" => "业务规则任务",
            "scriptTask" => "脚本任务",
            "receiveTask" => "接收任务",
            "subProcess" => "子流程",
            "eventSubProcess" => "事件子流程",
            "callActivity" => "调用活动",
            "exclusiveGateway" => "排他网关",
            "parallelGateway" => "并行网关",
            "inclusiveGateway" => "包容网关",
            "eventBasedGateway" => "事件网关",
            "complexGateway" => "复杂网关",
            "transaction" => "事务子流程",
            "adHocSubProcess" => "自由子流程",
            var other => other,
        };

        return node.Name is { } name
            ? ($"{typeZh}“{name}”（{node.Id}）", $"{node.ElementType} '{name}' ({node.Id})")
            : ($"{typeZh}（{node.Id}）", $"{node.ElementType} '{node.Id}'");
    }

    private static (string Zh, string En) DefinitionName(EventDefinition definition) => definition switch
    {
        TimerEventDefinition => ("定时", "timer"),
        MessageEventDefinition => ("消息", "message"),
        SignalEventDefinition => ("信号", "signal"),
        ErrorEventDefinition => ("错误", "error"),
        TerminateEventDefinition => ("终止", "terminate"),
        UnsupportedEventDefinition { ElementName: var name } => (name switch
        {
            "escalationEventDefinition" => "升级",
            "compensateEventDefinition" => "补偿",
            "conditionalEventDefinition" => "条件",
            "linkEventDefinition" => "链接",
            "cancelEventDefinition" => "取消",
            _ => name,
        }, name.Replace("EventDefinition", string.Empty, StringComparison.Ordinal)),
        _ => ("未知", "unknown"),
    };
}
