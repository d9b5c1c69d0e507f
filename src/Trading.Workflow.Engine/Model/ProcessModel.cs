namespace Trading.Workflow.Engine.Model;

/// <summary>A container of flow nodes: a process or an (event) sub-process.</summary>
public interface IFlowScope
{
    string Id { get; }

    IReadOnlyList<FlowNode> Nodes { get; }

    IReadOnlyList<SequenceFlow> Flows { get; }

    /// <summary>Event sub-processes directly inside this scope.</summary>
    IReadOnlyList<SubProcess> EventSubProcesses { get; }

    /// <summary>None start events that start the scope's normal flow.</summary>
    IReadOnlyList<StartEvent> StartEvents { get; }

    /// <summary>
    /// Start events with an event definition directly in this scope: a process's message and timer
    /// starts, or the single triggering start event of an event sub-process.
    /// </summary>
    IReadOnlyList<StartEvent> EventStartEvents { get; }
}

public sealed partial class ProcessModel : IFlowScope
{
    private Dictionary<string, FlowElement> _elements = new(StringComparer.Ordinal);

    public required string Id { get; init; }

    public string? Name { get; internal set; }

    /// <summary>The English name (<c>tw:nameEn</c>), shown instead of <see cref="Name"/> to readers of English; null when not written.</summary>
    public string? NameEn { get; internal set; }

    public string? Documentation { get; internal set; }

    /// <summary>The English documentation (<c>tw:documentationEn</c>), shown instead of <see cref="Documentation"/> to readers of English; null when not written.</summary>
    public string? DocumentationEn { get; internal set; }

    public bool IsExecutable { get; internal set; }

    /// <summary>Version tag written by the modeller (camunda:versionTag), informative only.</summary>
    public string? VersionTag { get; internal set; }

    public IReadOnlyList<FlowNode> Nodes { get; internal set; } = [];

    public IReadOnlyList<SequenceFlow> Flows { get; internal set; } = [];

    public IReadOnlyList<SubProcess> EventSubProcesses { get; internal set; } = [];

    public IReadOnlyList<StartEvent> StartEvents { get; internal set; } = [];

    public IReadOnlyList<StartEvent> EventStartEvents { get; internal set; } = [];

    public IReadOnlyList<Lane> Lanes { get; internal set; } = [];

    /// <summary>The definitions this process was parsed from (messages, signals, errors).</summary>
    public BpmnDefinitions Definitions { get; internal set; } = null!;

    /// <summary>Every flow node and sequence flow of the process, nested sub-processes included, by id.</summary>
    public IReadOnlyDictionary<string, FlowElement> Elements => _elements;

    public FlowNode? FindNode(string id) => _elements.TryGetValue(id, out var element) ? element as FlowNode : null;

    public SequenceFlow? FindFlow(string id) => _elements.TryGetValue(id, out var element) ? element as SequenceFlow : null;

    internal void Index(IEnumerable<FlowElement> elements) =>
        _elements = elements.ToDictionary(e => e.Id, StringComparer.Ordinal);
}

public sealed record Lane(string Id, string? Name, IReadOnlyList<string> FlowNodeRefs)
{
    /// <summary>The English name (<c>tw:nameEn</c>); null when not written.</summary>
    public string? NameEn { get; init; }
}
