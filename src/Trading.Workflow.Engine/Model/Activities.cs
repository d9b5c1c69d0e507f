namespace Trading.Workflow.Engine.Model;

public abstract partial class Activity : FlowNode
{
    public IReadOnlyList<BoundaryEvent> BoundaryEvents { get; internal set; } = [];

    public MultiInstanceLoop? MultiInstance { get; internal set; }

    /// <summary>Local variables created when the activity starts (camunda:inputOutput / tw:input).</summary>
    public IReadOnlyList<VariableMapping> InputMappings { get; internal set; } = [];

    /// <summary>Variables written to the enclosing scope when the activity ends (camunda:inputOutput / tw:output).</summary>
    public IReadOnlyList<VariableMapping> OutputMappings { get; internal set; } = [];
}

/// <summary>
/// A variable mapping: the target receives either the source variable or the value of the source expression.
/// <see cref="AllVariables"/> copies every variable (camunda:in variables="all").
/// <see cref="Constant"/> is a literal string value: Camunda's inputParameter/outputParameter text without
/// <c>${...}</c>. When Source, SourceExpression and Constant are all null the target receives null.
/// </summary>
public sealed record VariableMapping(
    string? Target,
    string? Source,
    string? SourceExpression,
    bool AllVariables = false,
    bool Local = false,
    string? Constant = null);

public sealed record MultiInstanceLoop(
    bool IsSequential,
    string? LoopCardinality,
    string? Collection,
    string? ElementVariable,
    string? CompletionCondition);

/// <summary>A plain task with no behaviour: the token passes through.</summary>
public sealed partial class PlainTask : Activity
{
    public override string ElementType => "task";
}

public sealed partial class ManualTask : Activity
{
    public override string ElementType => "manualTask";
}

public sealed partial class UserTask : Activity
{
    public override string ElementType => "userTask";

    /// <summary>Expression or literal user id.</summary>
    public string? Assignee { get; internal set; }

    /// <summary>Comma-separated user ids, or an expression yielding a list or a comma-separated string.</summary>
    public string? CandidateUsers { get; internal set; }

    /// <summary>Comma-separated role names (candidate groups), or an expression.</summary>
    public string? CandidateRoles { get; internal set; }

    public string? FormKey { get; internal set; }

    /// <summary>Due date: an ISO date-time, an ISO duration, a working-day period (see Timers/README.md) or an expression.</summary>
    public string? DueDate { get; internal set; }

    public string? FollowUpDate { get; internal set; }

    /// <summary>Priority expression or literal integer.</summary>
    public string? Priority { get; internal set; }
}

/// <summary>How a vendor named the code behind a service task; the engine maps each to a handler name.</summary>
public enum ImplementationKind
{
    None,
    Handler,
    Class,
    DelegateExpression,
    Expression,
    Type,
    External,
}

/// <summary>Service, send and business-rule tasks: they call a registered handler by name.</summary>
public partial class ServiceTask : Activity
{
    public override string ElementType => "serviceTask";

    /// <summary>The handler name the engine resolves in DI (tw:handler, or mapped from class/delegateExpression/expression/type).</summary>
    public string? Handler { get; internal set; }

    public ImplementationKind ImplementationKind { get; internal set; }

    /// <summary>The vendor attribute text as written, for display and export.</summary>
    public string? Implementation { get; internal set; }

    /// <summary>camunda:resultVariable / flowable:resultVariableName.</summary>
    public string? ResultVariable { get; internal set; }
}

public sealed partial class SendTask : ServiceTask
{
    public override string ElementType => "sendTask";

    public MessageDefinition? Message { get; internal set; }
}

public sealed partial class BusinessRuleTask : ServiceTask
{
    public override string ElementType => "businessRuleTask";
}

/// <summary>Script tasks parse so the validator can refuse them by id: arbitrary code never runs on the server.</summary>
public sealed partial class ScriptTask : Activity
{
    public override string ElementType => "scriptTask";

    public string? ScriptFormat { get; internal set; }
}

public sealed partial class ReceiveTask : Activity
{
    public override string ElementType => "receiveTask";

    public MessageDefinition? Message { get; internal set; }

    /// <summary>Expression giving the correlation key of the subscription (tw:correlationKey); null means the business key.</summary>
    public string? CorrelationKey { get; internal set; }
}

public sealed partial class SubProcess : Activity, IFlowScope
{
    public override string ElementType => TriggeredByEvent ? "eventSubProcess" : "subProcess";

    /// <summary>An event sub-process (triggeredByEvent="true").</summary>
    public bool TriggeredByEvent { get; internal set; }

    public IReadOnlyList<FlowNode> Nodes { get; internal set; } = [];

    public IReadOnlyList<SequenceFlow> Flows { get; internal set; } = [];

    public IReadOnlyList<SubProcess> EventSubProcesses { get; internal set; } = [];

    public IReadOnlyList<StartEvent> StartEvents { get; internal set; } = [];

    public IReadOnlyList<StartEvent> EventStartEvents { get; internal set; } = [];
}

public enum CallBinding
{
    Latest,
    Version,
    Deployment,
}

public sealed partial class CallActivity : Activity
{
    public override string ElementType => "callActivity";

    /// <summary>Process id of the called procedure (may be an expression).</summary>
    public string? CalledElement { get; internal set; }

    public CallBinding Binding { get; internal set; } = CallBinding.Latest;

    public int? BoundVersion { get; internal set; }

    /// <summary>Business key of the child (camunda:in businessKey="..."); null means inherit the parent's.</summary>
    public string? BusinessKeyExpression { get; internal set; }

    public IReadOnlyList<VariableMapping> In { get; internal set; } = [];

    public IReadOnlyList<VariableMapping> Out { get; internal set; } = [];
}

/// <summary>
/// An activity the engine does not execute (transaction, ad-hoc sub-process). It is kept in the graph so
/// flows to and from it resolve and the validator can report it by id.
/// </summary>
public sealed partial class UnsupportedActivity : Activity
{
    /// <summary>The BPMN element name as written, e.g. "transaction".</summary>
    public required string ElementName { get; init; }

    public override string ElementType => ElementName;
}
