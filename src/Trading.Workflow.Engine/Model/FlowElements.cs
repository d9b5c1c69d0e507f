namespace Trading.Workflow.Engine.Model;

public abstract partial class FlowElement
{
    public required string Id { get; init; }

    public string? Name { get; internal set; }

    /// <summary>The English name (<c>tw:nameEn</c>), shown instead of <see cref="Name"/> to readers of English; null when not written.</summary>
    public string? NameEn { get; internal set; }

    public string? Documentation { get; internal set; }

    /// <summary>The English documentation (<c>tw:documentationEn</c>), shown instead of <see cref="Documentation"/> to readers of English; null when not written.</summary>
    public string? DocumentationEn { get; internal set; }

    /// <summary>Extension attributes of the element, by expanded name ("{namespace}local"), vendor ones included.</summary>
    public IReadOnlyDictionary<string, string> ExtensionAttributes { get; internal set; } = EmptyAttributes;

    /// <summary>The BPMN element name, e.g. "userTask".</summary>
    public abstract string ElementType { get; }

    internal static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();

    public override string ToString() => $"{ElementType} '{Id}'";
}

public sealed partial class SequenceFlow : FlowElement
{
    public override string ElementType => "sequenceFlow";

    public required string SourceRef { get; init; }

    public required string TargetRef { get; init; }

    public FlowNode Source { get; internal set; } = null!;

    public FlowNode Target { get; internal set; } = null!;

    /// <summary>The condition text (JUEL <c>${...}</c> or FEEL); null means unconditional.</summary>
    public string? Condition { get; internal set; }

    /// <summary>The <c>language</c> attribute of the condition, if written; script languages are refused by the validator.</summary>
    public string? ConditionLanguage { get; internal set; }

    /// <summary>True when the source gateway or activity names this flow as its default.</summary>
    public bool IsDefault { get; internal set; }
}

public abstract partial class FlowNode : FlowElement
{
    public IReadOnlyList<SequenceFlow> Incoming { get; internal set; } = [];

    public IReadOnlyList<SequenceFlow> Outgoing { get; internal set; } = [];

    /// <summary>The process or sub-process that directly contains this node.</summary>
    public IFlowScope Scope { get; internal set; } = null!;

    /// <summary>The process this node belongs to, however deeply nested.</summary>
    public ProcessModel Process { get; internal set; } = null!;

    /// <summary>Id of the default outgoing flow (gateways and activities), if any.</summary>
    public string? DefaultFlowId { get; internal set; }

    /// <summary>Asynchronous continuation before the node (tw:async, camunda:asyncBefore, flowable:async, activiti:async).</summary>
    public bool AsyncBefore { get; internal set; }

    /// <summary>Asynchronous continuation after the node (camunda:asyncAfter).</summary>
    public bool AsyncAfter { get; internal set; }
}
