using System.Xml.Linq;
using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Tests.Parsing;

/// <summary>
/// Import → export on the reference files of the BPMN Model Interchange Working Group's test suite (issue 15, point 1):
/// the files other modelers export (Trisotech, Bonita, Activiti, Signavio, Camunda Web Modeler; several diagrams, pools, lanes,
/// data objects and foreign extension namespaces), kept unchanged under <c>Files/Miwg/Reference</c> with their licence
/// note (<c>Files/Miwg/README.md</c>). Each file must come back with the same element ids, kinds, names, flow references,
/// diagram bounds and waypoints, and the model the engine reads from it must hold every flow node and sequence flow of
/// the file with its kind, name and ends.
/// </summary>
public sealed class MiwgRoundTripTests
{
    private static readonly XNamespace Model = BpmnNamespaces.Model;

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Parsing", "Files", "Miwg", "Reference");

    /// <summary>The reference files kept here; <see cref="Folder_HoldsExactlyTheListedFiles"/> keeps the list honest.</summary>
    private static readonly string[] Names =
    [
        "A.1.1.bpmn",
        "A.1.2.bpmn",
        "A.2.1.bpmn",
        "A.4.1.bpmn",
        "B.1.0.bpmn",
        "C.1.0.bpmn",
        "C.1.1.bpmn",
        "C.10.0.bpmn",
        "C.2.0.bpmn",
        "C.3.0.bpmn",
        "C.7.0.bpmn",
        "C.9.0.bpmn",
        "C.9.1.bpmn",
        "C.9.2.bpmn",
    ];

    /// <summary>
    /// The environment variable naming a folder of further BPMN files to round-trip, such as a checkout's
    /// <c>bpmn-miwg-test-suite/Reference</c> (the suite's files not kept here: B.2.0, C.4.0, C.5.0, C.8.1). Its files
    /// run in addition to the kept ones, by their full path; unset, the kept files still run.
    /// </summary>
    public const string ExtraFolderVariable = "TRADING_MIWG_DIR";

    /// <summary>The kept files by name, then every <c>*.bpmn</c> of <see cref="ExtraFolderVariable"/>'s folder by full path.</summary>
    public static readonly TheoryData<string> Files = new([.. Names, .. ExtraFiles()]);

    private static string[] ExtraFiles() =>
        Environment.GetEnvironmentVariable(ExtraFolderVariable) is { Length: > 0 } folder && Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*.bpmn").Select(Path.GetFullPath).Order(StringComparer.Ordinal)]
            : [];

    [Fact]
    public void Folder_HoldsExactlyTheListedFiles()
    {
        var present = Directory.GetFiles(Folder, "*.bpmn").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(Names.Order(StringComparer.Ordinal), present);
    }

    [Fact]
    public void ExtraFolder_WhenSet_ExistsAndHoldsBpmnFiles()
    {
        // A mistyped folder must not pass by adding nothing to the round trips above.
        if (Environment.GetEnvironmentVariable(ExtraFolderVariable) is { Length: > 0 } folder)
        {
            Assert.True(Directory.Exists(folder), $"{ExtraFolderVariable}={folder} does not exist");
            Assert.NotEmpty(Directory.GetFiles(folder, "*.bpmn"));
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ImportExport_KeepsIdsKindsNamesReferencesBoundsAndWaypoints(string file)
    {
        var path = Path.Combine(Folder, file);
        var original = BpmnPicture.Of(XDocument.Load(path));

        var exported = BpmnPicture.Of(XDocument.Parse(BpmnExporter.Export(BpmnParser.ParseFile(path))));

        // An element that had no id comes back with a generated one; every other line is as it was.
        Assert.Equal(original.Elements, exported.Elements.Where(line => original.Ids.Contains(line[..line.IndexOf(' ', StringComparison.Ordinal)]) || line.StartsWith("(no id)", StringComparison.Ordinal)));
        Assert.Equal(original.Diagram, exported.Diagram);
        Assert.Equal(original.Foreign, exported.Foreign);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ExportedFile_ReadAgain_GivesTheSameModel(string file)
    {
        var path = Path.Combine(Folder, file);
        var first = BpmnParser.ParseFile(path);

        var again = BpmnParser.Parse(BpmnExporter.Export(first));

        Assert.Equal(Shape(first), Shape(again));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Import_ReadsEveryFlowNodeAndSequenceFlowOfTheFile(string file)
    {
        var document = XDocument.Load(Path.Combine(Folder, file));
        var definitions = BpmnParser.ParseFile(Path.Combine(Folder, file));
        var elements = definitions.Processes.SelectMany(p => p.Elements.Values).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var named = definitions.ParseProblems.Select(p => p.ElementId).OfType<string>().ToHashSet(StringComparer.Ordinal);

        foreach (var e in document.Descendants().Where(e => e.Name.Namespace == Model && e.Parent?.Name is { } parent && parent.Namespace == Model
                     && parent.LocalName is "process" or "subProcess" or "transaction" or "adHocSubProcess" && e.Attribute("id") is not null))
        {
            var id = e.Attribute("id")!.Value;
            var kind = e.Name.LocalName;
            if (kind is not ("sequenceFlow" or "startEvent" or "endEvent" or "intermediateCatchEvent" or "intermediateThrowEvent" or "boundaryEvent"
                or "task" or "userTask" or "manualTask" or "serviceTask" or "sendTask" or "receiveTask" or "businessRuleTask" or "scriptTask"
                or "subProcess" or "callActivity" or "transaction" or "adHocSubProcess" or "exclusiveGateway" or "parallelGateway"
                or "inclusiveGateway" or "eventBasedGateway" or "complexGateway"))
            {
                continue;
            }

            if (!elements.TryGetValue(id, out var read))
            {
                // Left out only with a problem that names it (a flow whose end is missing, a boundary event on nothing).
                Assert.Contains(id, named);
                continue;
            }

            // The engine calls a sub-process with triggeredByEvent="true" an event sub-process; it is the same element.
            Assert.Equal(kind == "subProcess" && e.Attribute("triggeredByEvent")?.Value == "true" ? "eventSubProcess" : kind, read.ElementType);
            Assert.Equal(Trimmed(e.Attribute("name")?.Value), read.Name);
            if (read is SequenceFlow flow)
            {
                Assert.Equal((e.Attribute("sourceRef")?.Value, e.Attribute("targetRef")?.Value), (flow.SourceRef, flow.TargetRef));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Import_ReadsEveryPoolLaneAndMessageFlowOfTheFile(string file)
    {
        // In every collaboration of the file, not only the first (C.4.0 has four, one pool each).
        var document = XDocument.Load(Path.Combine(Folder, file));
        var definitions = BpmnParser.ParseFile(Path.Combine(Folder, file));
        var named = definitions.ParseProblems.Select(p => p.ElementId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var participants = definitions.Collaborations.SelectMany(c => c.Participants).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var flows = definitions.Collaborations.SelectMany(c => c.MessageFlows).ToDictionary(f => f.Id, StringComparer.Ordinal);
        var lanes = definitions.Processes.SelectMany(p => p.Lanes).ToDictionary(l => l.Id, StringComparer.Ordinal);

        Assert.Equal(
            document.Root!.Elements(Model + "collaboration").Select(c => (string?)c.Attribute("id")).OfType<string>(),
            definitions.Collaborations.Select(c => c.Id));
        foreach (var e in document.Descendants(Model + "participant").Where(e => e.Attribute("id") is not null))
        {
            var read = participants[e.Attribute("id")!.Value];
            Assert.Equal(Trimmed(e.Attribute("name")?.Value), Trimmed(read.Name));
            Assert.True(read.ProcessRef == e.Attribute("processRef")?.Value || named.Contains(read.Id), $"participant {read.Id}");
        }

        foreach (var e in document.Descendants(Model + "messageFlow").Where(e => e.Attribute("id") is not null))
        {
            var id = e.Attribute("id")!.Value;
            if (!flows.TryGetValue(id, out var read))
            {
                // Left out only with a problem that names it (an end that is neither a pool nor a flow node).
                Assert.Contains(id, named);
                continue;
            }

            Assert.Equal((e.Attribute("sourceRef")?.Value, e.Attribute("targetRef")?.Value), (read.SourceRef, read.TargetRef));
        }

        foreach (var e in document.Descendants(Model + "lane").Where(e => e.Attribute("id") is not null))
        {
            var read = lanes[e.Attribute("id")!.Value];
            Assert.Equal(Trimmed(e.Attribute("name")?.Value), Trimmed(read.Name));
            Assert.Equal(e.Elements(Model + "flowNodeRef").Select(r => r.Value.Trim()).Where(r => !named.Contains(r)), read.FlowNodeRefs);
        }
    }

    [Fact]
    public void Validate_CallActivityOfC92_FindsTheProcessOfC91InTheSameSet_InEitherOrder()
    {
        // C.9.2 calls "requestDocument_en", which C.9.1 defines: deployed together, the call resolves.
        var caller = BpmnParser.ParseFile(Path.Combine(Folder, "C.9.2.bpmn"));
        var called = BpmnParser.ParseFile(Path.Combine(Folder, "C.9.1.bpmn"));
        var context = EngineValidation.CreateContext(knownHandlers: null, knownProcessIds: new HashSet<string>());

        var alone = BpmnValidator.ValidateSet([caller], context);
        var forward = BpmnValidator.ValidateSet([caller, called], context);
        var backward = BpmnValidator.ValidateSet([called, caller], context);

        Assert.Contains(alone[0], p => p.Code == ValidationCodes.CallUnknownProcess && p.ElementId == "CallActivity_RequestDocument");
        Assert.DoesNotContain(forward.Concat(backward).SelectMany(p => p), p => p.Code == ValidationCodes.CallUnknownProcess);
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Ids, kinds, names and ends of everything the engine read, in a comparable form.</summary>
    private static List<string> Shape(BpmnDefinitions definitions) =>
        [.. definitions.Processes.SelectMany(p => p.Elements.Values.Select(e => e is SequenceFlow f
                ? $"{p.Id} {f.Id} {f.ElementType} {f.Name} {f.SourceRef}->{f.TargetRef}"
                : $"{p.Id} {e.Id} {e.ElementType} {e.Name}"))
            .Concat(definitions.Collaborations.SelectMany(c => c.Participants).Select(x => $"participant {x.Id} {x.Name} {x.ProcessRef}"))
            .Concat(definitions.Collaborations.SelectMany(c => c.MessageFlows).Select(x => $"messageFlow {x.Id} {x.Name} {x.SourceRef}->{x.TargetRef}"))
            .Order(StringComparer.Ordinal)];
}
