using System.Xml.Linq;
using Trading.Workflow.Engine.Validation;

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

    /// <summary>
    /// The file's first collaboration (document order), or null. A file may hold several (Trisotech writes one per
    /// diagram, each with its own pool); <see cref="Collaborations"/> has every one.
    /// </summary>
    public Collaboration? Collaboration { get; internal set; }

    /// <summary>Every collaboration of the file, in document order, each with its participants and message flows.</summary>
    public IReadOnlyList<Collaboration> Collaborations { get; internal set; } = [];

    public XDocument Source { get; internal set; } = new();

    /// <summary>
    /// Problems found while building the model that do not stop parsing: references that do not resolve,
    /// duplicate or missing ids, constructs the engine ignores or refuses. Elements whose references do not
    /// resolve are left out of the model, so every reference in it is valid. The validator reports these.
    /// </summary>
    public IReadOnlyList<ValidationProblem> ParseProblems { get; internal set; } = [];

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
