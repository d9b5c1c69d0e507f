using System.Xml.Linq;
using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Engine.Tests.Parsing;

/// <summary>
/// Import → export keeps what other modelers wrote (issue 15, point 1): element ids, kinds, names, flow references,
/// diagram bounds and waypoints, and foreign extensions, on files of our own in the shapes other modelers export
/// (several diagrams, pools and lanes, foreign namespaces, data objects) and on the vendor files of the parser tests.
/// </summary>
public sealed class RoundTripTests
{
    public static readonly TheoryData<string> Files = new()
    {
        "RoundTrip/two-diagrams-data-objects.bpmn",
        "RoundTrip/pools-lanes-foreign.bpmn",
        "RoundTrip/several-collaborations.bpmn",
        "camunda-modeler-5.bpmn",
        "flowable-designer.bpmn",
        "activiti-designer.bpmn",
        "signavio.bpmn",
        "bpmn-io.bpmn",
        "collaboration-two-pools.bpmn",
        "gbk-encoded.bpmn",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void ImportExport_KeepsElementsReferencesDiagramsAndExtensions(string file)
    {
        var path = TestFiles.Parsing(file);
        var original = BpmnPicture.Of(XDocument.Load(path));

        var exported = BpmnPicture.Of(XDocument.Parse(BpmnExporter.Export(BpmnParser.ParseFile(path))));

        // Elements that had no id come back with their generated one (see the next tests); all others as they were.
        Assert.Equal(original.Elements, exported.Elements.Where(line => !line.StartsWith(GeneratedPrefix(line, original), StringComparison.Ordinal)));
        Assert.Equal(original.Diagram, exported.Diagram);
        Assert.Equal(original.Foreign, exported.Foreign);
    }

    private static string GeneratedPrefix(string line, BpmnPicture original)
    {
        var id = line[..line.IndexOf(' ', StringComparison.Ordinal)];
        return original.Ids.Contains(id) ? "\0" : id;
    }

    [Fact]
    public void ImportExport_FileWithSeveralDiagrams_KeepsEveryDiagram()
    {
        var exported = XDocument.Parse(BpmnExporter.Export(BpmnParser.ParseFile(TestFiles.Parsing("RoundTrip/two-diagrams-data-objects.bpmn"))));

        var planes = exported.Descendants(BpmnPicture.Di + "BPMNPlane").Select(p => (string?)p.Attribute("bpmnElement"));

        Assert.Equal(["Process_Intake", "Sub_Review"], planes);
    }

    [Fact]
    public void Import_SeveralCollaborations_ReadsThePoolsAndMessageFlowsOfEveryOne()
    {
        // One collaboration per diagram, as Trisotech writes a model drawn on several pages: the second one's pool
        // was lost when only the first collaboration was read.
        var definitions = BpmnParser.ParseFile(TestFiles.Parsing("RoundTrip/several-collaborations.bpmn"));

        Assert.Equal(["Collab_Award", "Collab_Archive"], definitions.Collaborations.Select(c => c.Id));
        Assert.Equal("Collab_Award", definitions.Collaboration?.Id);
        Assert.Equal(
            [new Participant("Pool_Centre", "交易中心", "Process_Award"), new Participant("Pool_Winner", "中标人", null)],
            definitions.Collaborations[0].Participants);
        Assert.Equal(["MsgFlow_Notice", "MsgFlow_Reply"], definitions.Collaborations[0].MessageFlows.Select(f => f.Id));
        Assert.Equal([new Participant("Pool_Archive", "档案室", "Process_Archive")], definitions.Collaborations[1].Participants);
        Assert.Empty(definitions.Collaborations[1].MessageFlows);
        Assert.Empty(definitions.ParseProblems);
    }

    [Fact]
    public void ImportExport_FlowWithoutId_IsWrittenWithItsGeneratedId()
    {
        var exported = XDocument.Parse(BpmnExporter.Export(BpmnParser.ParseFile(TestFiles.Parsing("RoundTrip/two-diagrams-data-objects.bpmn"))));

        var flow = exported.Descendants(BpmnPicture.Model + "sequenceFlow").Single(f => (string?)f.Attribute("sourceRef") == "Task_Check");

        Assert.Equal("Flow_Task_Check_End_Review", (string?)flow.Attribute("id"));
    }

    [Theory]
    [InlineData("waypoint")]
    [InlineData("bounds")]
    [InlineData("reference")]
    [InlineData("foreign")]
    public void Picture_ChangedDocument_IsNotEqual(string change)
    {
        // Positive control: the comparison above notices each kind of loss it is there to catch.
        var document = XDocument.Load(TestFiles.Parsing("RoundTrip/pools-lanes-foreign.bpmn"));
        var before = BpmnPicture.Of(document);
        switch (change)
        {
            case "waypoint":
                document.Descendants(BpmnPicture.DiElement + "waypoint").First().SetAttributeValue("x", "1");
                break;
            case "bounds":
                document.Descendants(BpmnPicture.Dc + "Bounds").Last().SetAttributeValue("height", "1");
                break;
            case "reference":
                document.Descendants(BpmnPicture.Model + "flowNodeRef").Last().Remove();
                break;
            case "foreign":
                document.Descendants(BpmnPicture.Model + "sequenceFlow").Last().Attributes().Single(a => a.Name.NamespaceName == "http://bpmn.sourceforge.net").Remove();
                break;
        }

        var after = BpmnPicture.Of(document);

        Assert.False(
            before.Elements.SequenceEqual(after.Elements) && before.Diagram.SequenceEqual(after.Diagram) && before.Foreign.SequenceEqual(after.Foreign),
            $"the {change} change went unnoticed");
        Assert.Contains(before.DifferencesTo(after), line => line.StartsWith("lost ", StringComparison.Ordinal));
    }

    [Fact]
    public void DifferencesTo_ExportOfTheSameFile_IsEmpty_AndIgnoresOnlyGeneratedIds()
    {
        // The export gives the flow without id a generated one: that is no difference. Removing a kept id is one.
        var path = TestFiles.Parsing("RoundTrip/two-diagrams-data-objects.bpmn");
        var original = BpmnPicture.Of(XDocument.Load(path));
        var exported = XDocument.Parse(BpmnExporter.Export(BpmnParser.ParseFile(path)));

        Assert.Empty(original.DifferencesTo(BpmnPicture.Of(exported)));

        exported.Descendants(BpmnPicture.Model + "sequenceFlow").First(f => original.Ids.Contains((string)f.Attribute("id")!)).SetAttributeValue("name", "changed");
        Assert.Equal(2, original.DifferencesTo(BpmnPicture.Of(exported)).Count);
    }
}
