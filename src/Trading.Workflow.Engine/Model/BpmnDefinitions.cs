using System.Xml.Linq;

namespace Trading.Workflow.Engine.Model;

/// <summary>
/// One parsed BPMN file: its processes and the root elements they share. The source document is kept
/// so that export round-trips everything execution ignores (diagram, vendor extensions).
/// </summary>
public sealed partial class BpmnDefinitions
{
    public string? Id { get; internal set; }

    public string? TargetNamespace { get; internal set; }

    /// <summary>The tool that wrote the file (<c>exporter</c> attribute), e.g. Camunda Modeler.</summary>
    public string? Exporter { get; internal set; }

    public IReadOnlyList<ProcessModel> Processes { get; internal set; } = [];

    public IReadOnlyList<MessageDefinition> Messages { get; internal set; } = [];

    public IReadOnlyList<SignalDefinition> Signals { get; internal set; } = [];

    public IReadOnlyList<ErrorDefinition> Errors { get; internal set; } = [];

    public Collaboration? Collaboration { get; internal set; }

    public XDocument Source { get; internal set; } = new();

    public ProcessModel? FindProcess(string processId)
    {
        foreach (var process in Processes)
        {
            if (process.Id == processId)
            {
                return process;
            }
        }

        return null;
    }
}

public sealed record MessageDefinition(string Id, string Name);

public sealed record SignalDefinition(string Id, string Name);

/// <summary>An error; a null <see cref="ErrorCode"/> on a catching event means catch-all.</summary>
public sealed record ErrorDefinition(string Id, string? Name, string? ErrorCode);

public sealed partial class Collaboration
{
    public required string Id { get; init; }

    public IReadOnlyList<Participant> Participants { get; internal set; } = [];

    public IReadOnlyList<MessageFlow> MessageFlows { get; internal set; } = [];
}

public sealed record Participant(string Id, string? Name, string? ProcessRef);

public sealed record MessageFlow(string Id, string? Name, string SourceRef, string TargetRef, string? MessageRef);
