using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Versions;

/// <summary>
/// Validates the migration of one instance the way Camunda 7 does, on what our runtime keeps: every active element
/// maps to an element of the same kind (a wait state to the same wait state, a scope to the same kind of scope with
/// the same multi-instance-ness) inside the mapping of its enclosing scope; a timer maps to a timer event, a message
/// or signal subscription to an element catching the same name, a boundary event to one attached to the mapping of
/// its host; and every mapping entry names ids that exist. Each problem is reported once per element and kind.
/// </summary>
internal sealed class MigrationCheck(
    ProcessInstanceRecord instance, ProcessModel source, ProcessModel target, IReadOnlyDictionary<string, string>? mapping, List<MigrationProblem> problems)
{
    private readonly HashSet<(MigrationProblemKind, string?)> _reported = [];

    public void Run()
    {
        CheckMappingEntries();
        foreach (var execution in instance.Executions)
        {
            if (execution.NodeId is { } nodeId)
            {
                CheckActive(execution, nodeId);
            }
        }

        foreach (var task in instance.Tasks)
        {
            if (Resolve(task.ElementId, "user task", "用户任务") is var (_, to) && to is not UserTask)
            {
                Report(MigrationProblemKind.IncompatibleKind, task.ElementId,
                    $"用户任务 {task.ElementId} 只能迁移到用户任务，目标 {to.Id} 是{LabelZh(to)}",
                    $"The user task '{task.ElementId}' can only map to a user task; '{to.Id}' is {WithArticle(LabelEn(to))}.");
            }
        }

        foreach (var timer in instance.Timers)
        {
            CheckTimer(timer);
        }

        foreach (var subscription in instance.Subscriptions)
        {
            CheckSubscription(subscription);
        }

        foreach (var job in instance.Jobs)
        {
            if (Resolve(job.ElementId, "async job", "异步作业") is var (from, to))
            {
                CheckSameType(from, to);
            }
        }
    }

    private void CheckMappingEntries()
    {
        if (mapping is null)
        {
            return;
        }

        foreach (var (from, to) in mapping)
        {
            if (source.FindNode(from) is null && source.FindFlow(from) is null)
            {
                Report(MigrationProblemKind.UnknownMappingSource, from,
                    $"映射中的源节点 {from} 在实例当前的版本 {instance.ProcessVersion} 中不存在",
                    $"The mapping names the source element '{from}', which version {instance.ProcessVersion} of the instance does not have.");
            }

            if (target.FindNode(to) is null && target.FindFlow(to) is null)
            {
                Report(MigrationProblemKind.UnknownMappingTarget, from,
                    $"映射中 {from} 的目标节点 {to} 在目标版本中不存在",
                    $"The mapping sends '{from}' to '{to}', which the target version does not have.");
            }
        }
    }

    private void CheckActive(ExecutionRecord execution, string nodeId)
    {
        if (Resolve(nodeId, "active element", "活动节点") is not var (from, to))
        {
            return;
        }

        CheckSameType(from, to);
        CheckScope(from, to);
        if (execution.Wait == WaitKind.Join && execution.ArrivedByFlowId is { } flowId)
        {
            var mappedFlow = Map(flowId);
            if (target.FindFlow(mappedFlow) is not { } flow || flow.TargetRef != to.Id)
            {
                Report(MigrationProblemKind.JoinFlowMissing, flowId,
                    $"汇聚网关 {from.Id} 等待的连线 {flowId} 在目标版本中不存在或不指向 {to.Id}",
                    $"The sequence flow '{flowId}' the join '{from.Id}' waits on does not exist in the target version or does not lead to '{to.Id}'.");
            }
        }
    }

    private void CheckTimer(TimerRecord timer)
    {
        if (Resolve(timer.ElementId, "timer", "定时器") is not var (from, to))
        {
            return;
        }

        if (to is not EventNode { Definition: TimerEventDefinition })
        {
            Report(MigrationProblemKind.TimerWithoutTimerEvent, timer.ElementId,
                $"定时器 {timer.ElementId} 的目标 {to.Id} 不是定时器事件",
                $"The timer '{timer.ElementId}' maps to '{to.Id}', which is not a timer event.");
        }

        CheckSameType(from, to);
        CheckHost(from, to);
        CheckScope(from, to);
        CheckAfterGateway(timer.Purpose, timer.ExecutionId, from, to);
    }

    private void CheckSubscription(SubscriptionRecord subscription)
    {
        var what = subscription.Kind == EventKind.Message ? ("message subscription", "消息订阅") : ("signal subscription", "信号订阅");
        if (Resolve(subscription.ElementId, what.Item1, what.Item2) is not var (from, to))
        {
            return;
        }

        if (!Catches(to, subscription.Kind, subscription.EventName))
        {
            var (kindZh, kindEn) = subscription.Kind == EventKind.Message ? ("消息", "message") : ("信号", "signal");
            Report(MigrationProblemKind.SubscriptionEventMismatch, subscription.ElementId,
                $"{from.Id} 等待的{kindZh} {subscription.EventName} 在目标 {to.Id} 上没有相同{kindZh}的捕获",
                $"'{from.Id}' waits for the {kindEn} '{subscription.EventName}'; its target '{to.Id}' does not catch that {kindEn}.");
        }

        CheckSameType(from, to);
        CheckHost(from, to);
        CheckScope(from, to);
        CheckAfterGateway(subscription.Purpose, subscription.ExecutionId, from, to);
    }

    /// <summary>The source and target nodes of an element of the instance; reports a missing one.</summary>
    private (FlowNode From, FlowNode To)? Resolve(string elementId, string whatEn, string whatZh)
    {
        var mapped = Map(elementId);
        var from = source.FindNode(elementId);
        var to = target.FindNode(mapped);
        if (from is null || to is null)
        {
            Report(MigrationProblemKind.MissingTarget, elementId,
                $"{whatZh} {elementId} 在目标版本中没有对应的节点（{mapped}）",
                $"The {whatEn} '{elementId}' has no matching element '{mapped}' in the target version.");
            return null;
        }

        return (from, to);
    }

    private void CheckSameType(FlowNode from, FlowNode to)
    {
        string? whyZh = null;
        string? whyEn = null;
        if (from.ElementType != to.ElementType)
        {
            (whyZh, whyEn) = ($"目标 {to.Id} 是{LabelZh(to)}", $"'{to.Id}' is {WithArticle(LabelEn(to))}");
        }
        else if (from is EventNode fromEvent && to is EventNode toEvent && DefinitionName(fromEvent) != DefinitionName(toEvent))
        {
            (whyZh, whyEn) = (
                $"事件定义不同（{DefinitionName(fromEvent)} → {DefinitionName(toEvent)}）",
                $"the event definition differs ({DefinitionName(fromEvent)} → {DefinitionName(toEvent)})");
        }
        else if (from is SubProcess fromScope && to is SubProcess toScope && fromScope.TriggeredByEvent != toScope.TriggeredByEvent)
        {
            (whyZh, whyEn) = ("事件子流程与普通子流程不能互相迁移", "an event sub-process and an embedded sub-process do not map to each other");
        }
        else if (from is Activity fromActivity && to is Activity toActivity
            && (fromActivity.MultiInstance is null) != (toActivity.MultiInstance is null))
        {
            (whyZh, whyEn) = ("多实例与单实例不能互相迁移", "a multi-instance activity and a single one do not map to each other");
        }
        else if (from is Activity { MultiInstance: { } fromLoop } && to is Activity { MultiInstance: { } toLoop } && fromLoop.IsSequential != toLoop.IsSequential)
        {
            (whyZh, whyEn) = ("串行多实例与并行多实例不能互相迁移", "a sequential and a parallel multi-instance activity do not map to each other");
        }

        if (whyZh is not null)
        {
            Report(MigrationProblemKind.IncompatibleKind, from.Id,
                $"{LabelZh(from)} {from.Id} 不能迁移到 {to.Id}：{whyZh}",
                $"The {LabelEn(from)} '{from.Id}' cannot map to '{to.Id}': {whyEn}.");
        }
    }

    private void CheckScope(FlowNode from, FlowNode to)
    {
        var expected = from.Scope is SubProcess fromScope ? Map(fromScope.Id) : null;
        var actual = to.Scope is SubProcess toScope ? toScope.Id : null;
        if (expected != actual)
        {
            var expectedText = expected ?? "process";
            var actualText = actual ?? "process";
            Report(MigrationProblemKind.ScopeChanged, from.Id,
                $"{LabelZh(from)} {from.Id} 的目标 {to.Id} 位于 {Zh(actualText)}，应位于 {Zh(expectedText)}（不能移出或移入子流程）",
                $"The target '{to.Id}' of the {LabelEn(from)} '{from.Id}' is {En(actualText)}, not {En(expectedText)} (a token cannot leave or enter a sub-process).");
        }

        static string Zh(string scope) => scope == "process" ? "流程顶层" : $"子流程 {scope}";

        static string En(string scope) => scope == "process" ? "at the process level" : $"in the sub-process '{scope}'";
    }

    private void CheckHost(FlowNode from, FlowNode to)
    {
        if (from is BoundaryEvent fromBoundary && to is BoundaryEvent toBoundary && toBoundary.AttachedTo.Id != Map(fromBoundary.AttachedTo.Id))
        {
            Report(MigrationProblemKind.BoundaryHostChanged, from.Id,
                $"边界事件 {from.Id} 的目标 {to.Id} 附着在 {toBoundary.AttachedTo.Id} 上，应附着在 {Map(fromBoundary.AttachedTo.Id)} 上",
                $"The boundary event '{from.Id}' maps to '{to.Id}', which is attached to '{toBoundary.AttachedTo.Id}' instead of '{Map(fromBoundary.AttachedTo.Id)}'.");
        }
    }

    /// <summary>An event waited for after an event-based gateway must follow the mapping of that gateway.</summary>
    private void CheckAfterGateway(TriggerPurpose purpose, int executionId, FlowNode from, FlowNode to)
    {
        if (purpose != TriggerPurpose.EventGateway || instance.Executions.Find(e => e.Id == executionId)?.NodeId is not { } gatewayId)
        {
            return;
        }

        var mappedGateway = Map(gatewayId);
        if (!to.Incoming.Any(flow => flow.SourceRef == mappedGateway))
        {
            Report(MigrationProblemKind.EventGatewayChanged, from.Id,
                $"事件网关 {gatewayId} 之后的事件 {from.Id} 的目标 {to.Id} 不在事件网关 {mappedGateway} 之后",
                $"The event '{from.Id}' after the event-based gateway '{gatewayId}' maps to '{to.Id}', which does not follow the gateway '{mappedGateway}'.");
        }
    }

    private static bool Catches(FlowNode node, EventKind kind, string name) => (kind, node) switch
    {
        (EventKind.Message, ReceiveTask receive) => receive.Message?.Name == name,
        (EventKind.Message, EventNode { Definition: MessageEventDefinition message }) => (message.Message?.Name ?? message.MessageRef) == name,
        (EventKind.Signal, EventNode { Definition: SignalEventDefinition signal }) => (signal.Signal?.Name ?? signal.SignalRef) == name,
        _ => false,
    };

    private static string DefinitionName(EventNode node) => node.Definition switch
    {
        null => "none",
        TimerEventDefinition => "timer",
        MessageEventDefinition => "message",
        SignalEventDefinition => "signal",
        ErrorEventDefinition => "error",
        TerminateEventDefinition => "terminate",
        UnsupportedEventDefinition unsupported => unsupported.ElementName,
        _ => node.Definition.GetType().Name,
    };

    private static string LabelEn(FlowNode node) => node.ElementType switch
    {
        "userTask" => "user task",
        "receiveTask" => "receive task",
        "serviceTask" => "service task",
        "intermediateCatchEvent" => "intermediate catch event",
        "boundaryEvent" => "boundary event",
        "startEvent" => "start event",
        "eventBasedGateway" => "event-based gateway",
        "parallelGateway" => "parallel gateway",
        "inclusiveGateway" => "inclusive gateway",
        "exclusiveGateway" => "exclusive gateway",
        "subProcess" => "sub-process",
        "callActivity" => "call activity",
        _ => node.ElementType,
    };

    private static string LabelZh(FlowNode node) => node.ElementType switch
    {
        "userTask" => "用户任务",
        "receiveTask" => "接收任务",
        "serviceTask" => "服务任务",
        "intermediateCatchEvent" => "中间捕获事件",
        "boundaryEvent" => "边界事件",
        "startEvent" => "开始事件",
        "eventBasedGateway" => "事件网关",
        "parallelGateway" => "并行网关",
        "inclusiveGateway" => "包容网关",
        "exclusiveGateway" => "排他网关",
        "subProcess" => "子流程",
        "callActivity" => "调用活动",
        "task" => "任务",
        _ => node.ElementType,
    };

    private static string WithArticle(string label) => ("aeiou".Contains(label[0], StringComparison.Ordinal) ? "an " : "a ") + label;

    private string Map(string id) => InstanceMigrationService.Map(id, mapping);

    private void Report(MigrationProblemKind kind, string? elementId, string messageZh, string messageEn)
    {
        if (_reported.Add((kind, elementId)))
        {
            problems.Add(new MigrationProblem(instance.Id, elementId, messageZh, messageEn) { Kind = kind });
        }
    }
}
