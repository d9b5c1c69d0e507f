using System.Globalization;
using System.Xml.Linq;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Parsing;

/// <summary>
/// Vendor extensions: ours (tw:) first, then Camunda 7, Flowable and Activiti, which share attribute names.
/// See Model/EXTENSIONS.md.
/// </summary>
internal sealed partial class ModelReader
{
    private static readonly XNamespace Tw = BpmnNamespaces.TradingWorkflow;
    private static readonly XNamespace Camunda = BpmnNamespaces.Camunda;
    private static readonly XNamespace Flowable = BpmnNamespaces.Flowable;
    private static readonly XNamespace Activiti = BpmnNamespaces.Activiti;
    private static readonly XNamespace[] AllVendors = [Tw, Camunda, Flowable, Activiti];
    private static readonly XNamespace[] OtherVendors = [Camunda, Flowable, Activiti];

    /// <summary>The first non-blank attribute <paramref name="localName"/> in our namespace, then each vendor's.</summary>
    private static string? Vendor(XElement element, string localName) => Vendor(element, localName, AllVendors);

    private static string? Vendor(XElement element, string localName, params XNamespace[] namespaces)
    {
        foreach (var ns in namespaces)
        {
            if (Trimmed(element.Attribute(ns + localName)?.Value) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    // Ours only: the vendors have no per-language names. Kept as written (a ${...} part is evaluated by the reader, as in name).
    private static string? NameEn(XElement element) => Vendor(element, "nameEn", Tw);

    // The English of the element's <documentation>: an attribute of the element, as tDocumentation takes no foreign ones.
    private static string? DocumentationEn(XElement element) => Vendor(element, "documentationEn", Tw);

    private static bool IsVendor(XNamespace ns) => ns == Tw || ns == Camunda || ns == Flowable || ns == Activiti;

    private static IEnumerable<XElement> Extensions(XElement element) =>
        element.Elements(Bpmn + "extensionElements").Elements();

    private UserTask ReadUserTask(XElement e, string id)
    {
        var task = new UserTask
        {
            Id = id,
            Assignee = Vendor(e, "assignee"),
            CandidateUsers = Vendor(e, "candidateUsers"),
            CandidateRoles = Vendor(e, "candidateRoles", Tw) ?? Vendor(e, "candidateGroups"),
            FormKey = Vendor(e, "formKey"),
            DueDate = Vendor(e, "dueDate"),
            FollowUpDate = Vendor(e, "followUpDate"),
            Priority = Vendor(e, "priority"),
        };

        // Standard BPMN resource assignment, as Activiti and Flowable read it.
        task.Assignee ??= Trimmed(e.Element(Bpmn + "humanPerformer")?.Descendants(Bpmn + "formalExpression").FirstOrDefault()?.Value);
        var owners = Trimmed(e.Element(Bpmn + "potentialOwner")?.Descendants(Bpmn + "formalExpression").FirstOrDefault()?.Value);
        if (owners is not null)
        {
            var users = new List<string>();
            var groups = new List<string>();
            foreach (var part in owners.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part.StartsWith("user(", StringComparison.Ordinal) && part.EndsWith(')'))
                {
                    users.Add(part[5..^1].Trim());
                }
                else if (part.StartsWith("group(", StringComparison.Ordinal) && part.EndsWith(')'))
                {
                    groups.Add(part[6..^1].Trim());
                }
                else
                {
                    groups.Add(part);
                }
            }

            task.CandidateUsers ??= users.Count > 0 ? string.Join(',', users) : null;
            task.CandidateRoles ??= groups.Count > 0 ? string.Join(',', groups) : null;
        }

        return task;
    }

    private T ReadImplementation<T>(XElement e, T task)
        where T : ServiceTask
    {
        task.ResultVariable = Vendor(e, "resultVariable") ?? Vendor(e, "resultVariableName", OtherVendors);
        if (ReadHandler(e) is { } implementation)
        {
            (task.ImplementationKind, task.Implementation, task.Handler) = implementation;
        }
        else if (task is BusinessRuleTask && Vendor(e, "decisionRef", OtherVendors) is { } decision)
        {
            Problem(
                ValidationCodes.DecisionUnsupported,
                ValidationSeverity.Error,
                task.Id,
                $"业务规则任务 '{task.Id}' 调用 DMN 决策 '{decision}'：本引擎不执行 DMN，请改用 tw:handler 指定处理程序。",
                $"Business rule task '{task.Id}' calls the DMN decision '{decision}': the engine does not run DMN; name a handler with tw:handler instead.");
        }

        return task;
    }

    /// <summary>The handler an element names: tw:handler, or a vendor's class, delegateExpression, expression, type or connector.</summary>
    private (ImplementationKind Kind, string Implementation, string? Handler)? ReadHandler(XElement e)
    {
        if (Vendor(e, "handler", Tw) is { } handler)
        {
            return (ImplementationKind.Handler, handler, handler);
        }

        if (Vendor(e, "class", OtherVendors) is { } className)
        {
            return (ImplementationKind.Class, className, HandlerNames.FromClass(className));
        }

        if (Vendor(e, "delegateExpression", OtherVendors) is { } delegateExpression)
        {
            return (ImplementationKind.DelegateExpression, delegateExpression, HandlerNames.FromDelegateExpression(delegateExpression));
        }

        if (Vendor(e, "expression", OtherVendors) is { } expression)
        {
            return (ImplementationKind.Expression, expression, HandlerNames.FromExpression(expression));
        }

        if (Vendor(e, "type", OtherVendors) is { } type)
        {
            if (type is "external" or "external-worker")
            {
                var topic = Vendor(e, "topic", OtherVendors);
                return (ImplementationKind.External, topic ?? type, topic);
            }

            return (ImplementationKind.Type, type, type);
        }

        if (Extensions(e).FirstOrDefault(x => x.Name == Camunda + "connector") is { } connector
            && Trimmed(connector.Element(Camunda + "connectorId")?.Value) is { } connectorId)
        {
            return (ImplementationKind.Type, connectorId, connectorId);
        }

        return null;
    }

    private CallActivity ReadCallActivity(XElement e, string id)
    {
        var call = new CallActivity { Id = id, CalledElement = Attr(e, "calledElement") };
        var binding = Vendor(e, "calledElementBinding", Tw, Camunda);
        switch (binding)
        {
            case null or "latest":
                break;
            case "deployment":
                call.Binding = CallBinding.Deployment;
                break;
            case "version":
                call.Binding = CallBinding.Version;
                var versionText = Vendor(e, "calledElementVersion", Tw, Camunda);
                if (int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
                {
                    call.BoundVersion = version;
                }
                else
                {
                    Problem(
                        ValidationCodes.CallBindingUnsupported,
                        ValidationSeverity.Error,
                        id,
                        $"调用活动 '{id}' 绑定到版本，但 calledElementVersion '{versionText}' 不是正整数。",
                        $"Call activity '{id}' is bound to a version, but calledElementVersion '{versionText}' is not a positive integer.");
                }

                break;
            default:
                Problem(
                    ValidationCodes.CallBindingUnsupported,
                    ValidationSeverity.Error,
                    id,
                    $"调用活动 '{id}' 的绑定方式 '{binding}' 不受支持（可用：latest、version、deployment）。",
                    $"Call activity '{id}' uses the binding '{binding}', which is not supported (use latest, version or deployment).");
                break;
        }

        var inputs = new List<VariableMapping>();
        var outputs = new List<VariableMapping>();
        if (IsTrue(Vendor(e, "inheritVariables", Flowable, Activiti)))
        {
            inputs.Add(new VariableMapping(null, null, null, AllVariables: true));
        }

        call.BusinessKeyExpression = NormalizeBusinessKey(Vendor(e, "businessKey", Flowable, Activiti));
        foreach (var mapping in Extensions(e).Where(x => IsVendor(x.Name.Namespace)))
        {
            var isIn = mapping.Name.LocalName == "in";
            if (!isIn && mapping.Name.LocalName != "out")
            {
                continue;
            }

            if (isIn && Attr(mapping, "businessKey") is { } businessKey)
            {
                call.BusinessKeyExpression = NormalizeBusinessKey(businessKey);
            }

            var all = Attr(mapping, "variables") == "all";
            var source = Attr(mapping, "source");
            var sourceExpression = Attr(mapping, "sourceExpression");
            var target = Attr(mapping, "target");
            if (!all && source is null && sourceExpression is null)
            {
                continue;
            }

            var variableMapping = new VariableMapping(target ?? source, source, sourceExpression, all, IsTrue(Attr(mapping, "local")));
            (isIn ? inputs : outputs).Add(variableMapping);
        }

        call.In = inputs;
        call.Out = outputs;
        return call;
    }

    /// <summary>
    /// Camunda models pass the parent's business key with <c>${execution.processBusinessKey}</c>; our model
    /// says that with null (inherit), so the expression engine never meets <c>execution</c>.
    /// </summary>
    private static string? NormalizeBusinessKey(string? expression)
    {
        if (expression is null)
        {
            return null;
        }

        var compact = expression.Replace(" ", string.Empty, StringComparison.Ordinal);
        return compact is "${execution.processBusinessKey}" or "#{execution.processBusinessKey}" ? null : expression;
    }

    private void ReadActivity(XElement e, Activity activity)
    {
        var id = activity.Id;
        var loop = e.Element(Bpmn + "multiInstanceLoopCharacteristics");
        if (loop is not null)
        {
            activity.MultiInstance = new MultiInstanceLoop(
                IsTrue(Attr(loop, "isSequential")),
                Trimmed(loop.Element(Bpmn + "loopCardinality")?.Value),
                Vendor(loop, "collection") ?? Trimmed(loop.Element(Bpmn + "loopDataInputRef")?.Value),
                Vendor(loop, "elementVariable") ?? (loop.Element(Bpmn + "inputDataItem") is { } item ? Attr(item, "name") : null),
                Trimmed(loop.Element(Bpmn + "completionCondition")?.Value));
        }

        if (e.Element(Bpmn + "standardLoopCharacteristics") is not null)
        {
            Problem(
                ValidationCodes.LoopUnsupported,
                ValidationSeverity.Error,
                id,
                $"'{id}' 使用标准循环（standardLoopCharacteristics），本引擎不支持；请改用多实例。",
                $"'{id}' uses a standard loop (standardLoopCharacteristics), which the engine does not support; use multi-instance instead.");
        }

        if (IsTrue(Attr(e, "isForCompensation")))
        {
            Problem(
                ValidationCodes.CompensationUnsupported,
                ValidationSeverity.Error,
                id,
                $"'{id}' 是补偿活动（isForCompensation），本引擎不支持补偿。",
                $"'{id}' is a compensation activity (isForCompensation); the engine does not support compensation.");
        }

        var inputs = new List<VariableMapping>();
        var outputs = new List<VariableMapping>();
        foreach (var extension in Extensions(e))
        {
            if (extension.Name == Camunda + "inputOutput")
            {
                foreach (var parameter in extension.Elements())
                {
                    if (parameter.Name == Camunda + "inputParameter" && ReadCamundaParameter(parameter, id) is { } input)
                    {
                        inputs.Add(input);
                    }
                    else if (parameter.Name == Camunda + "outputParameter" && ReadCamundaParameter(parameter, id) is { } output)
                    {
                        outputs.Add(output);
                    }
                }
            }
            else if ((extension.Name == Tw + "input" || extension.Name == Tw + "output") && Attr(extension, "name") is { } name)
            {
                var mapping = new VariableMapping(name, Attr(extension, "source"), Trimmed(extension.Value));
                (extension.Name.LocalName == "input" ? inputs : outputs).Add(mapping);
            }
        }

        activity.InputMappings = inputs;
        activity.OutputMappings = outputs;
    }

    /// <summary>
    /// camunda:inputParameter / outputParameter: text with <c>${...}</c> is an expression, other text a string
    /// constant, an empty element null. Scripts are refused; lists and maps are not supported.
    /// </summary>
    private VariableMapping? ReadCamundaParameter(XElement parameter, string ownerId)
    {
        var name = Attr(parameter, "name");
        if (name is null)
        {
            return null;
        }

        var child = parameter.Elements().FirstOrDefault();
        if (child is not null)
        {
            if (child.Name.LocalName == "script")
            {
                RefuseScript(ownerId, $"参数 '{name}'", $"parameter '{name}'");
            }
            else
            {
                Problem(
                    ValidationCodes.MappingUnsupported,
                    ValidationSeverity.Error,
                    ownerId,
                    $"'{ownerId}' 的参数 '{name}' 使用 camunda:{child.Name.LocalName}，本引擎不支持；请改用表达式。",
                    $"Parameter '{name}' of '{ownerId}' uses camunda:{child.Name.LocalName}, which the engine does not support; use an expression.");
            }

            return null;
        }

        var text = parameter.Value;
        if (text.Length == 0)
        {
            return new VariableMapping(name, null, null);
        }

        return text.Contains("${", StringComparison.Ordinal) || text.Contains("#{", StringComparison.Ordinal)
            ? new VariableMapping(name, null, text.Trim())
            : new VariableMapping(name, null, null, Constant: text);
    }

    private void ReadListeners(XElement element, string ownerId)
    {
        foreach (var listener in Extensions(element))
        {
            var kind = listener.Name.LocalName;
            if (!IsVendor(listener.Name.Namespace) || kind is not ("executionListener" or "taskListener"))
            {
                continue;
            }

            if (listener.Elements().Any(x => x.Name.LocalName == "script"))
            {
                RefuseScript(ownerId, "监听器", "listener");
                continue;
            }

            Problem(
                ValidationCodes.ListenerIgnored,
                ValidationSeverity.Warning,
                ownerId,
                $"'{ownerId}' 的 {listener.Name.NamespaceName} {kind} 不会执行：本引擎不运行监听器代码，请改用服务任务。",
                $"The {kind} of '{ownerId}' ({listener.Name.NamespaceName}) is ignored: the engine does not run listener code; use a service task.");
        }
    }

    private void RefuseScript(string ownerId, string whereZh, string whereEn) =>
        Problem(
            ValidationCodes.ScriptRefused,
            ValidationSeverity.Error,
            ownerId,
            $"'{ownerId}' 的{whereZh}包含脚本：出于安全原因，服务器不执行任何脚本。",
            $"The {whereEn} of '{ownerId}' holds a script: for security, the server never runs scripts.");

    private List<EventDefinition> ReadEventDefinitions(XElement e, string ownerId)
    {
        var definitions = new List<EventDefinition>();
        foreach (var child in e.Elements())
        {
            if (child.Name.Namespace != Bpmn)
            {
                continue;
            }

            var local = child.Name.LocalName;
            if (local == "eventDefinitionRef")
            {
                definitions.Add(new UnsupportedEventDefinition { ElementName = local });
                continue;
            }

            if (!local.EndsWith("EventDefinition", StringComparison.Ordinal))
            {
                continue;
            }

            var id = Attr(child, "id");
            EventDefinition definition = local switch
            {
                "timerEventDefinition" => ReadTimer(child, id),
                "messageEventDefinition" => ReadMessageDefinition(e, child, id, ownerId),
                "signalEventDefinition" => new SignalEventDefinition
                {
                    Id = id,
                    SignalRef = Attr(child, "signalRef"),
                    Signal = ResolveRoot(Attr(child, "signalRef"), _signals, ownerId, "signalRef", "信号"),
                },
                "errorEventDefinition" => new ErrorEventDefinition
                {
                    Id = id,
                    ErrorRef = Attr(child, "errorRef"),
                    Error = ResolveError(Attr(child, "errorRef"), ownerId),
                },
                "terminateEventDefinition" => new TerminateEventDefinition { Id = id },
                _ => new UnsupportedEventDefinition { Id = id, ElementName = local },
            };
            definitions.Add(definition);
        }

        return definitions;
    }

    private MessageEventDefinition ReadMessageDefinition(XElement owner, XElement child, string? id, string ownerId)
    {
        var definition = new MessageEventDefinition
        {
            Id = id,
            MessageRef = Attr(child, "messageRef"),
            Message = ResolveMessage(ownerId, Attr(child, "messageRef")),
            CorrelationKey = Vendor(child, "correlationKey", Tw) ?? Vendor(owner, "correlationKey", Tw),
        };

        // Camunda writes a throwing message event's implementation on the definition; ours may sit on the event.
        if (owner.Name.LocalName is "intermediateThrowEvent" or "endEvent" && (ReadHandler(child) ?? ReadHandler(owner)) is { } implementation)
        {
            (definition.ImplementationKind, definition.Implementation, definition.Handler) = implementation;
        }

        return definition;
    }

    private static TimerEventDefinition ReadTimer(XElement definition, string? id)
    {
        foreach (var (name, kind) in new[] { ("timeDate", TimerKind.Date), ("timeDuration", TimerKind.Duration), ("timeCycle", TimerKind.Cycle) })
        {
            var element = definition.Element(Bpmn + name);
            if (element is not null)
            {
                return new TimerEventDefinition { Id = id, Kind = kind, Value = element.Value.Trim() };
            }
        }

        // No timer value at all: the validator reports the empty value.
        return new TimerEventDefinition { Id = id, Kind = TimerKind.Duration, Value = string.Empty };
    }
}
