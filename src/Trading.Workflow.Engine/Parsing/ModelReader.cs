using System.Xml;
using System.Xml.Linq;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Parsing;

/// <summary>
/// Builds the model from a loaded BPMN document. Only a document that is not BPMN at all throws; anything
/// else wrong is recorded as a problem and the offending element is left out, so every reference in the
/// resulting model resolves.
/// </summary>
internal sealed partial class ModelReader
{
    private static readonly XNamespace Bpmn = BpmnNamespaces.Model;
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private readonly XDocument _document;
    private readonly BpmnDefinitions _definitions = new();
    private readonly List<ValidationProblem> _problems = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private HashSet<string> _documentIds = new(StringComparer.Ordinal);
    private int _generatedIds;
    private readonly Dictionary<string, MessageDefinition> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SignalDefinition> _signals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ErrorDefinition> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FlowNode> _allNodes = new(StringComparer.Ordinal);

    // State of the process being read.
    private readonly Dictionary<string, FlowNode> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<IFlowScope, ScopeParts> _scopes = [];
    private readonly List<(SequenceFlow Flow, IFlowScope Scope, XElement Element)> _pendingFlows = [];
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);
    private string? _processId;

    public ModelReader(XDocument document) => _document = document;

    public BpmnDefinitions Read()
    {
        var root = _document.Root;
        if (root is null || root.Name != Bpmn + "definitions")
        {
            var line = root is null ? null : LineOf(root);
            throw new BpmnParseException(
                BpmnParseErrorCodes.NotBpmn,
                $"不是 BPMN 2.0 文件：根元素应为命名空间 {BpmnNamespaces.Model} 中的 definitions，实际为 {root?.Name.ToString() ?? "（无）"}。",
                $"Not a BPMN 2.0 file: the root element must be definitions in namespace {BpmnNamespaces.Model}, found {root?.Name.ToString() ?? "(none)"}.",
                line,
                line is null ? null : (root as IXmlLineInfo)?.LinePosition);
        }

        _definitions.Source = _document;
        _documentIds = _document.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToHashSet(StringComparer.Ordinal);
        _definitions.Id = Attr(root, "id");
        _definitions.TargetNamespace = Attr(root, "targetNamespace");
        _definitions.Exporter = Attr(root, "exporter");

        ReadRootDefinitions(root);

        var processes = new List<ProcessModel>();
        foreach (var element in root.Elements(Bpmn + "process"))
        {
            var process = ReadProcess(element);
            if (process is not null)
            {
                processes.Add(process);
            }
        }

        _definitions.Processes = processes;
        _definitions.Messages = [.. _messages.Values];
        _definitions.Signals = [.. _signals.Values];
        _definitions.Errors = [.. _errors.Values];

        // Every collaboration, not only the first: a file may hold one per diagram (one pool each), and the pools and
        // message flows of the later ones are as much part of the file as the first one's.
        _definitions.Collaborations = [.. root.Elements(Bpmn + "collaboration").Select(ReadCollaboration).OfType<Collaboration>()];
        _definitions.Collaboration = _definitions.Collaborations.FirstOrDefault();

        _definitions.ParseProblems = _problems;
        return _definitions;
    }

    private void ReadRootDefinitions(XElement root)
    {
        foreach (var element in root.Elements(Bpmn + "message"))
        {
            if (RegisterId(element) is { } id)
            {
                _messages[id] = new MessageDefinition(id, NameOrId(element, id));
            }
        }

        foreach (var element in root.Elements(Bpmn + "signal"))
        {
            if (RegisterId(element) is { } id)
            {
                _signals[id] = new SignalDefinition(id, NameOrId(element, id));
            }
        }

        foreach (var element in root.Elements(Bpmn + "error"))
        {
            if (RegisterId(element) is { } id)
            {
                _errors[id] = new ErrorDefinition(id, Attr(element, "name"), Attr(element, "errorCode"));
            }
        }
    }

    private string NameOrId(XElement element, string id)
    {
        var name = Attr(element, "name");
        if (name is not null)
        {
            return name;
        }

        var kind = element.Name.LocalName;
        Problem(
            ValidationCodes.NameMissing,
            ValidationSeverity.Warning,
            id,
            $"{kind} '{id}' 没有名称（name），按 id 关联。",
            $"{kind} '{id}' has no name; it is correlated by its id.");
        return id;
    }

    private ProcessModel? ReadProcess(XElement element)
    {
        _processId = null;
        var id = RegisterId(element);
        if (id is null)
        {
            return null;
        }

        _processId = id;
        _nodes.Clear();
        _scopes.Clear();
        _pendingFlows.Clear();
        _dropped.Clear();

        var process = new ProcessModel
        {
            Id = id,
            Name = Attr(element, "name"),
            NameEn = NameEn(element),
            Documentation = Documentation(element),
            DocumentationEn = DocumentationEn(element),
            IsExecutable = IsTrue(Attr(element, "isExecutable")),
            VersionTag = Vendor(element, "versionTag"),
            Definitions = _definitions,
        };

        ReadListeners(element, id);
        ReadScopeContent(element, process, process);
        AttachBoundaryEvents();
        var (incoming, outgoing) = ResolveFlows();
        foreach (var node in _nodes.Values)
        {
            node.Incoming = incoming.TryGetValue(node, out var inFlows) ? inFlows : [];
            node.Outgoing = outgoing.TryGetValue(node, out var outFlows) ? outFlows : [];
        }

        ResolveDefaultFlows();
        foreach (var (scope, parts) in _scopes)
        {
            AssignScope(scope, parts);
        }

        process.Lanes = ReadLanes(element);
        process.Index(_nodes.Values.Cast<FlowElement>().Concat(_scopes.Values.SelectMany(p => p.Flows)));
        foreach (var node in _nodes.Values)
        {
            _allNodes.TryAdd(node.Id, node);
        }

        _processId = null;
        return process;
    }

    private void ReadScopeContent(XElement container, IFlowScope scope, ProcessModel process)
    {
        var parts = new ScopeParts();
        _scopes[scope] = parts;
        foreach (var child in container.Elements())
        {
            if (child.Name.Namespace != Bpmn)
            {
                continue;
            }

            if (child.Name.LocalName == "sequenceFlow")
            {
                ReadSequenceFlow(child, scope);
                continue;
            }

            if (!IsFlowNode(child.Name.LocalName))
            {
                continue;
            }

            var id = RegisterId(child);
            if (id is null)
            {
                continue;
            }

            var node = CreateNode(child, id);
            node.Scope = scope;
            node.Process = process;
            parts.Nodes.Add(node);
            _nodes[id] = node;
            if (node is SubProcess subProcess)
            {
                ReadScopeContent(child, subProcess, process);
            }
        }
    }

    private static bool IsFlowNode(string localName) => localName switch
    {
        "startEvent" or "endEvent" or "intermediateCatchEvent" or "intermediateThrowEvent" or "boundaryEvent"
            or "task" or "userTask" or "manualTask" or "serviceTask" or "sendTask" or "receiveTask"
            or "businessRuleTask" or "scriptTask" or "subProcess" or "callActivity" or "transaction"
            or "adHocSubProcess" or "exclusiveGateway" or "parallelGateway" or "inclusiveGateway"
            or "eventBasedGateway" or "complexGateway" => true,
        _ => false,
    };

    private FlowNode CreateNode(XElement e, string id)
    {
        FlowNode node = e.Name.LocalName switch
        {
            "startEvent" => new StartEvent { Id = id, IsInterrupting = !IsFalse(Attr(e, "isInterrupting")) },
            "endEvent" => new EndEvent { Id = id },
            "intermediateCatchEvent" => new IntermediateCatchEvent { Id = id },
            "intermediateThrowEvent" => new IntermediateThrowEvent { Id = id },
            "boundaryEvent" => new BoundaryEvent
            {
                Id = id,
                AttachedToRef = Attr(e, "attachedToRef") ?? string.Empty,
                CancelActivity = !IsFalse(Attr(e, "cancelActivity")),
            },
            "task" => new PlainTask { Id = id },
            "manualTask" => new ManualTask { Id = id },
            "userTask" => ReadUserTask(e, id),
            "serviceTask" => ReadImplementation(e, new ServiceTask { Id = id }),
            "sendTask" => ReadImplementation(e, new SendTask { Id = id, Message = ResolveMessage(id, Attr(e, "messageRef")) }),
            "businessRuleTask" => ReadImplementation(e, new BusinessRuleTask { Id = id }),
            "scriptTask" => new ScriptTask { Id = id, ScriptFormat = Attr(e, "scriptFormat") },
            "receiveTask" => new ReceiveTask
            {
                Id = id,
                Message = ResolveMessage(id, Attr(e, "messageRef")),
                CorrelationKey = Vendor(e, "correlationKey", Tw),
            },
            "subProcess" => new SubProcess { Id = id, TriggeredByEvent = IsTrue(Attr(e, "triggeredByEvent")) },
            "callActivity" => ReadCallActivity(e, id),
            "exclusiveGateway" => new ExclusiveGateway { Id = id },
            "parallelGateway" => new ParallelGateway { Id = id },
            "inclusiveGateway" => new InclusiveGateway { Id = id },
            "eventBasedGateway" => ReadEventBasedGateway(e, id),
            "complexGateway" => new ComplexGateway { Id = id },
            _ => new UnsupportedActivity { Id = id, ElementName = e.Name.LocalName },
        };

        node.Name = Attr(e, "name");
        node.NameEn = NameEn(e);
        node.Documentation = Documentation(e);
        node.DocumentationEn = DocumentationEn(e);
        node.ExtensionAttributes = ExtensionAttributes(e);
        node.DefaultFlowId = Attr(e, "default");
        node.AsyncBefore = IsTrue(Vendor(e, "async")) || IsTrue(Vendor(e, "asyncBefore"));
        node.AsyncAfter = IsTrue(Vendor(e, "asyncAfter"));
        ReadListeners(e, id);

        if (node is EventNode eventNode)
        {
            eventNode.Definitions = ReadEventDefinitions(e, id);
        }

        if (node is Activity activity)
        {
            ReadActivity(e, activity);
        }

        return node;
    }

    private EventBasedGateway ReadEventBasedGateway(XElement e, string id)
    {
        if (IsTrue(Attr(e, "instantiate")))
        {
            Problem(
                ValidationCodes.UnsupportedElement,
                ValidationSeverity.Error,
                id,
                $"事件网关 '{id}' 设置了 instantiate=\"true\"（由事件启动流程），本引擎不支持。",
                $"Event-based gateway '{id}' has instantiate=\"true\" (starting a process by event), which the engine does not support.");
        }

        return new EventBasedGateway { Id = id };
    }

    private void ReadSequenceFlow(XElement e, IFlowScope scope)
    {
        var id = RegisterId(e);
        if (id is null)
        {
            return;
        }

        var flow = new SequenceFlow
        {
            Id = id,
            SourceRef = Attr(e, "sourceRef") ?? string.Empty,
            TargetRef = Attr(e, "targetRef") ?? string.Empty,
            Name = Attr(e, "name"),
            NameEn = NameEn(e),
            Documentation = Documentation(e),
            DocumentationEn = DocumentationEn(e),
            ExtensionAttributes = ExtensionAttributes(e),
        };

        var condition = e.Element(Bpmn + "conditionExpression");
        if (condition is not null)
        {
            var text = condition.Value.Trim();
            flow.Condition = text.Length == 0 ? null : text;
            flow.ConditionLanguage = Attr(condition, "language");
            if (Vendor(condition, "resource") is { } resource)
            {
                Problem(
                    ValidationCodes.ScriptRefused,
                    ValidationSeverity.Error,
                    id,
                    $"顺序流 '{id}' 的条件引用外部脚本资源 '{resource}'：出于安全原因不执行脚本。",
                    $"Sequence flow '{id}' takes its condition from the script resource '{resource}': scripts are never run, for security.");
            }
        }

        ReadListeners(e, id);
        _pendingFlows.Add((flow, scope, e));
    }

    private void AttachBoundaryEvents()
    {
        var attached = new Dictionary<Activity, List<BoundaryEvent>>();
        foreach (var boundary in _nodes.Values.OfType<BoundaryEvent>().ToList())
        {
            _nodes.TryGetValue(boundary.AttachedToRef, out var host);
            if (host is Activity activity && activity.Scope == boundary.Scope)
            {
                boundary.AttachedTo = activity;
                if (!attached.TryGetValue(activity, out var list))
                {
                    attached[activity] = list = [];
                }

                list.Add(boundary);
                continue;
            }

            var reason = boundary.AttachedToRef.Length == 0
                ? ("没有 attachedToRef", "has no attachedToRef")
                : host is null
                    ? ($"attachedToRef '{boundary.AttachedToRef}' 不指向任何元素", $"its attachedToRef '{boundary.AttachedToRef}' names no element")
                    : host is not Activity
                        ? ($"attachedToRef '{boundary.AttachedToRef}' 指向的不是活动", $"its attachedToRef '{boundary.AttachedToRef}' is not an activity")
                        : ($"附着的活动 '{boundary.AttachedToRef}' 不在同一范围内", $"the activity '{boundary.AttachedToRef}' it is attached to is in another scope");
            Problem(
                ValidationCodes.BoundaryNotAttached,
                ValidationSeverity.Error,
                boundary.Id,
                $"边界事件 '{boundary.Id}' 没有附着在活动上：{reason.Item1}。",
                $"Boundary event '{boundary.Id}' is not attached to an activity: {reason.Item2}.");
            Drop(boundary);
        }

        foreach (var (activity, boundaries) in attached)
        {
            activity.BoundaryEvents = boundaries;
        }
    }

    private void Drop(FlowNode node)
    {
        _nodes.Remove(node.Id);
        _scopes[node.Scope].Nodes.Remove(node);
        _dropped.Add(node.Id);
    }

    private (Dictionary<FlowNode, List<SequenceFlow>> Incoming, Dictionary<FlowNode, List<SequenceFlow>> Outgoing) ResolveFlows()
    {
        var incoming = new Dictionary<FlowNode, List<SequenceFlow>>();
        var outgoing = new Dictionary<FlowNode, List<SequenceFlow>>();
        foreach (var (flow, scope, _) in _pendingFlows)
        {
            if (_dropped.Contains(flow.SourceRef) || _dropped.Contains(flow.TargetRef))
            {
                // The element at the other end is already reported; the flow goes with it.
                _dropped.Add(flow.Id);
                continue;
            }

            var source = ResolveFlowEnd(flow, flow.SourceRef, "sourceRef");
            var target = ResolveFlowEnd(flow, flow.TargetRef, "targetRef");
            if (source is null || target is null)
            {
                _dropped.Add(flow.Id);
                continue;
            }

            if (source.Scope != scope || target.Scope != scope)
            {
                Problem(
                    ValidationCodes.FlowCrossesScope,
                    ValidationSeverity.Error,
                    flow.Id,
                    $"顺序流 '{flow.Id}' 跨越了子流程边界（'{source.Id}' → '{target.Id}'）：顺序流只能连接同一范围内的元素。",
                    $"Sequence flow '{flow.Id}' crosses a sub-process boundary ('{source.Id}' → '{target.Id}'): a sequence flow must stay within one scope.");
                _dropped.Add(flow.Id);
                continue;
            }

            flow.Source = source;
            flow.Target = target;
            _scopes[scope].Flows.Add(flow);
            Add(outgoing, source, flow);
            Add(incoming, target, flow);
        }

        return (incoming, outgoing);

        static void Add(Dictionary<FlowNode, List<SequenceFlow>> map, FlowNode node, SequenceFlow flow)
        {
            if (!map.TryGetValue(node, out var list))
            {
                map[node] = list = [];
            }

            list.Add(flow);
        }
    }

    private FlowNode? ResolveFlowEnd(SequenceFlow flow, string reference, string attribute)
    {
        if (_nodes.TryGetValue(reference, out var node))
        {
            return node;
        }

        var shown = reference.Length == 0 ? "（空）" : reference;
        var shownEn = reference.Length == 0 ? "(empty)" : reference;
        Problem(
            ValidationCodes.BrokenReference,
            ValidationSeverity.Error,
            flow.Id,
            $"顺序流 '{flow.Id}' 的 {attribute} '{shown}' 不指向本流程中的任何流程节点。",
            $"Sequence flow '{flow.Id}' has {attribute} '{shownEn}', which names no flow node of this process.");
        return null;
    }

    private void ResolveDefaultFlows()
    {
        foreach (var node in _nodes.Values)
        {
            if (node.DefaultFlowId is not { } defaultId)
            {
                continue;
            }

            var flow = node.Outgoing.FirstOrDefault(f => f.Id == defaultId);
            if (flow is not null)
            {
                flow.IsDefault = true;
                continue;
            }

            if (!_dropped.Contains(defaultId))
            {
                Problem(
                    ValidationCodes.DefaultFlowInvalid,
                    ValidationSeverity.Error,
                    node.Id,
                    $"'{node.Id}' 的默认流 '{defaultId}' 不是它的传出顺序流。",
                    $"The default flow '{defaultId}' of '{node.Id}' is not one of its outgoing sequence flows.");
            }

            node.DefaultFlowId = null;
        }
    }

    private static void AssignScope(IFlowScope scope, ScopeParts parts)
    {
        var eventSubProcesses = parts.Nodes.OfType<SubProcess>().Where(s => s.TriggeredByEvent).ToList();
        var starts = parts.Nodes.OfType<StartEvent>().ToList();
        var noneStarts = starts.Where(s => s.Definitions.Count == 0).ToList();
        var eventStarts = starts.Where(s => s.Definitions.Count > 0).ToList();
        switch (scope)
        {
            case ProcessModel process:
                process.Nodes = parts.Nodes;
                process.Flows = parts.Flows;
                process.EventSubProcesses = eventSubProcesses;
                process.StartEvents = noneStarts;
                process.EventStartEvents = eventStarts;
                break;
            case SubProcess subProcess:
                subProcess.Nodes = parts.Nodes;
                subProcess.Flows = parts.Flows;
                subProcess.EventSubProcesses = eventSubProcesses;
                subProcess.StartEvents = noneStarts;
                subProcess.EventStartEvents = eventStarts;
                break;
        }
    }

    private List<Lane> ReadLanes(XElement process)
    {
        var lanes = new List<Lane>();
        foreach (var laneSet in process.Elements(Bpmn + "laneSet"))
        {
            ReadLaneSet(laneSet, lanes);
        }

        return lanes;
    }

    private void ReadLaneSet(XElement laneSet, List<Lane> lanes)
    {
        foreach (var lane in laneSet.Elements(Bpmn + "lane"))
        {
            var id = RegisterId(lane);
            if (id is null)
            {
                continue;
            }

            var refs = new List<string>();
            foreach (var reference in lane.Elements(Bpmn + "flowNodeRef").Select(r => r.Value.Trim()))
            {
                if (_nodes.ContainsKey(reference))
                {
                    refs.Add(reference);
                }
                else if (!_dropped.Contains(reference))
                {
                    Problem(
                        ValidationCodes.BrokenReference,
                        ValidationSeverity.Error,
                        id,
                        $"泳道 '{id}' 的 flowNodeRef '{reference}' 不指向本流程中的任何流程节点。",
                        $"Lane '{id}' has flowNodeRef '{reference}', which names no flow node of this process.");
                }
            }

            lanes.Add(new Lane(id, Attr(lane, "name"), refs) { NameEn = NameEn(lane) });
            foreach (var child in lane.Elements(Bpmn + "childLaneSet"))
            {
                ReadLaneSet(child, lanes);
            }
        }
    }

    private Collaboration? ReadCollaboration(XElement element)
    {
        var id = RegisterId(element);
        if (id is null)
        {
            return null;
        }

        var processIds = _definitions.Processes.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var participants = new List<Participant>();
        foreach (var participant in element.Elements(Bpmn + "participant"))
        {
            var participantId = RegisterId(participant);
            if (participantId is null)
            {
                continue;
            }

            var processRef = Attr(participant, "processRef");
            if (processRef is not null)
            {
                var resolved = ResolveQName(processRef, processIds.Contains);
                if (resolved is null)
                {
                    Problem(
                        ValidationCodes.BrokenReference,
                        ValidationSeverity.Error,
                        participantId,
                        $"参与者（泳池）'{participantId}' 的 processRef '{processRef}' 不指向本文件中的流程。",
                        $"Participant (pool) '{participantId}' has processRef '{processRef}', which names no process in this file.");
                }

                processRef = resolved;
            }

            participants.Add(new Participant(participantId, Attr(participant, "name"), processRef));
        }

        var participantIds = participants.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var messageFlows = new List<MessageFlow>();
        foreach (var flow in element.Elements(Bpmn + "messageFlow"))
        {
            var flowId = RegisterId(flow);
            if (flowId is null)
            {
                continue;
            }

            var source = Attr(flow, "sourceRef") ?? string.Empty;
            var target = Attr(flow, "targetRef") ?? string.Empty;
            var broken = false;
            foreach (var (end, attribute) in new[] { (source, "sourceRef"), (target, "targetRef") })
            {
                if (!participantIds.Contains(end) && !_allNodes.ContainsKey(end))
                {
                    broken = true;
                    Problem(
                        ValidationCodes.BrokenReference,
                        ValidationSeverity.Error,
                        flowId,
                        $"消息流 '{flowId}' 的 {attribute} '{end}' 既不是参与者也不是流程节点。",
                        $"Message flow '{flowId}' has {attribute} '{end}', which is neither a participant nor a flow node.");
                }
            }

            var messageRef = Attr(flow, "messageRef");
            var message = messageRef is null ? null : ResolveMessage(flowId, messageRef);
            if (!broken)
            {
                messageFlows.Add(new MessageFlow(flowId, Attr(flow, "name"), source, target, message?.Id));
            }
        }

        return new Collaboration { Id = id, Participants = participants, MessageFlows = messageFlows };
    }

    /// <summary>
    /// BPMN makes <c>id</c> optional on every element, and Camunda accepts flows and other elements without one: such an
    /// element gets an id made from what it is (a flow from its ends), unique in the document, and written into the
    /// document so that export writes it back and the stored version keeps it. Only a process needs its own id: it
    /// is the procedure's key.
    /// </summary>
    private string GenerateId(XElement element)
    {
        var kind = element.Name.LocalName;
        var stem = kind == "sequenceFlow" && Attr(element, "sourceRef") is { } source && Attr(element, "targetRef") is { } target
            ? $"Flow_{source}_{target}"
            : $"{char.ToUpperInvariant(kind[0])}{kind[1..]}_{++_generatedIds}";
        var id = stem;
        for (var n = 2; _documentIds.Contains(id); n++)
        {
            id = $"{stem}_{n}";
        }

        _documentIds.Add(id);
        element.ReplaceAttributes(new object[] { new XAttribute("id", id) }.Concat(element.Attributes().ToList()).ToArray());
        return id;
    }

    /// <summary>Registers an element's id; null (and a problem) when it has none or repeats one.</summary>
    private string? RegisterId(XElement element)
    {
        var id = Attr(element, "id");
        var kind = element.Name.LocalName;
        if (id is null && kind != "process")
        {
            id = GenerateId(element);
        }

        if (id is null)
        {
            var line = LineOf(element);
            Problem(
                ValidationCodes.MissingId,
                ValidationSeverity.Error,
                null,
                $"第 {line} 行的 {kind} 没有 id，已忽略。",
                $"The {kind} on line {line} has no id and is ignored.",
                line);
            return null;
        }

        if (!_ids.Add(id))
        {
            var line = LineOf(element);
            Problem(
                ValidationCodes.DuplicateId,
                ValidationSeverity.Error,
                id,
                $"id '{id}' 重复（第 {line} 行的 {kind}），重复的元素已忽略。",
                $"The id '{id}' is used twice (the {kind} on line {line}); the repeated element is ignored.",
                line);
            return null;
        }

        return id;
    }

    private void Problem(string code, ValidationSeverity severity, string? elementId, string zh, string en, int? line = null) =>
        _problems.Add(new ValidationProblem(elementId, _processId, code, severity, zh, en, line));

    private static int? LineOf(XElement element) =>
        element is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;

    /// <summary>A non-namespaced attribute, trimmed; null when absent or blank.</summary>
    private static string? Attr(XElement element, string name) => Trimmed(element.Attribute(name)?.Value);

    private static string? Trimmed(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsFalse(string? value) => string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    private static string? Documentation(XElement element)
    {
        var texts = element.Elements(Bpmn + "documentation").Select(d => d.Value.Trim()).Where(t => t.Length > 0).ToList();
        return texts.Count == 0 ? null : string.Join('\n', texts);
    }

    private static IReadOnlyDictionary<string, string> ExtensionAttributes(XElement element)
    {
        Dictionary<string, string>? attributes = null;
        foreach (var attribute in element.Attributes())
        {
            var ns = attribute.Name.Namespace;
            if (attribute.IsNamespaceDeclaration || ns == XNamespace.None || ns == Xsi || ns == XNamespace.Xml)
            {
                continue;
            }

            attributes ??= new Dictionary<string, string>(StringComparer.Ordinal);
            attributes[attribute.Name.ToString()] = attribute.Value;
        }

        return attributes ?? FlowElement.EmptyAttributes;
    }

    /// <summary>Resolves a QName reference ("tns:Message_1" or "Message_1") to an id known to <paramref name="exists"/>.</summary>
    private static string? ResolveQName(string reference, Func<string, bool> exists)
    {
        if (exists(reference))
        {
            return reference;
        }

        var colon = reference.IndexOf(':');
        if (colon >= 0 && exists(reference[(colon + 1)..]))
        {
            return reference[(colon + 1)..];
        }

        return null;
    }

    private MessageDefinition? ResolveMessage(string ownerId, string? reference) =>
        ResolveRoot(reference, _messages, ownerId, "messageRef", "消息");

    private T? ResolveRoot<T>(string? reference, Dictionary<string, T> known, string ownerId, string attribute, string kindZh)
        where T : class
    {
        if (reference is null)
        {
            return null;
        }

        var id = ResolveQName(reference, known.ContainsKey);
        if (id is not null)
        {
            return known[id];
        }

        Problem(
            ValidationCodes.BrokenReference,
            ValidationSeverity.Error,
            ownerId,
            $"'{ownerId}' 的 {attribute} '{reference}' 不指向本文件中定义的{kindZh}。",
            $"'{ownerId}' has {attribute} '{reference}', which names no {attribute[..^3]} defined in this file.");
        return null;
    }

    /// <summary>
    /// An <c>errorRef</c> naming no <c>&lt;error&gt;</c> element is the error code itself (Camunda 7's rule), on the
    /// throwing and the catching side alike.
    /// </summary>
    private ErrorDefinition? ResolveError(string? reference, string ownerId)
    {
        if (reference is null)
        {
            return null;
        }

        if (ResolveQName(reference, _errors.ContainsKey) is { } id)
        {
            return _errors[id];
        }

        Problem(
            ValidationCodes.ErrorRefAsCode,
            ValidationSeverity.Warning,
            ownerId,
            $"'{ownerId}' 的 errorRef '{reference}' 不指向本文件中的错误定义，按 Camunda 的规则直接作为错误代码使用。",
            $"'{ownerId}' has errorRef '{reference}', which names no error of this file; as in Camunda, it is used as the error code itself.");
        return new ErrorDefinition(reference, null, reference);
    }

    private sealed class ScopeParts
    {
        public List<FlowNode> Nodes { get; } = [];

        public List<SequenceFlow> Flows { get; } = [];
    }
}
