using System.Xml.Linq;
using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;

namespace Trading.Workflow.Engine.Tests.Parsing;

public sealed class BpmnExporterTests
{
    private static readonly XNamespace BpmnDi = "http://www.omg.org/spec/BPMN/20100524/DI";

    [Theory]
    [InlineData("camunda-modeler-5.bpmn")]
    [InlineData("flowable-designer.bpmn")]
    [InlineData("activiti-designer.bpmn")]
    [InlineData("signavio.bpmn")]
    [InlineData("bpmn-io.bpmn")]
    [InlineData("tw-tender-announcement.bpmn")]
    [InlineData("default-namespace.bpmn")]
    [InlineData("gbk-encoded.bpmn")]
    [InlineData("collaboration-two-pools.bpmn")]
    public void Export_ParsedFile_IsSemanticallyEqualToTheOriginal(string fileName)
    {
        var path = TestFiles.Parsing(fileName);
        var definitions = BpmnParser.ParseFile(path);

        var exported = BpmnExporter.Export(definitions);

        var original = LoadOriginal(path);
        var roundTripped = XDocument.Parse(exported, LoadOptions.PreserveWhitespace);
        Assert.True(XNode.DeepEquals(original.Root, roundTripped.Root), $"{fileName} changed on export");
    }

    [Theory]
    [InlineData("camunda-modeler-5.bpmn")]
    [InlineData("tw-tender-announcement.bpmn")]
    [InlineData("collaboration-two-pools.bpmn")]
    public void Export_UnchangedCamundaStyleFile_IsByteForByteIdentical(string fileName)
    {
        var path = TestFiles.Parsing(fileName);
        var definitions = BpmnParser.ParseFile(path);

        var exported = BpmnExporter.Export(definitions);

        Assert.Equal(File.ReadAllText(path), exported);
    }

    [Fact]
    public void Export_CamundaFile_KeepsDiagramShapesAndEdges()
    {
        var definitions = TestFiles.ParseParsingFile("camunda-modeler-5.bpmn");

        var exported = XDocument.Parse(BpmnExporter.Export(definitions));

        Assert.Equal(14, exported.Descendants(BpmnDi + "BPMNShape").Count());
        Assert.Equal(12, exported.Descendants(BpmnDi + "BPMNEdge").Count());
    }

    [Fact]
    public void Export_CamundaFile_KeepsExtensionsTheEngineIgnores()
    {
        XNamespace camunda = "http://camunda.org/schema/1.0/bpmn";
        XNamespace modeler = "http://camunda.org/schema/modeler/1.0";
        var definitions = TestFiles.ParseParsingFile("camunda-modeler-5.bpmn");

        var exported = XDocument.Parse(BpmnExporter.Export(definitions));

        Assert.Equal("blue", exported.Descendants(camunda + "property").Single().Attribute("value")!.Value);
        Assert.Equal("R3/PT10M", exported.Descendants(camunda + "failedJobRetryTimeCycle").Single().Value);
        Assert.Equal("Camunda Platform", exported.Root!.Attribute(modeler + "executionPlatform")!.Value);
    }

    [Fact]
    public void Export_MessageThrowWithCamundaClass_ReparsesToTheSameHandler()
    {
        var definitions = TestFiles.ParseValidationFile("message-senders.bpmn");

        var reparsed = BpmnParser.Parse(BpmnExporter.Export(definitions));

        var message = (MessageEventDefinition)((EventNode)reparsed.Processes[0].FindNode("Throw_Known")!).Definition!;
        Assert.Equal("publishNotice", message.Handler);
        Assert.Equal(ImplementationKind.Class, message.ImplementationKind);
        Assert.Equal("cn.gov.ggzy.publishNotice", message.Implementation);
    }

    [Fact]
    public void Export_SignavioFile_KeepsSignavioMetadata()
    {
        XNamespace signavio = "http://www.signavio.com";
        var definitions = TestFiles.ParseParsingFile("signavio.bpmn");

        var exported = XDocument.Parse(BpmnExporter.Export(definitions));

        Assert.Equal(5, exported.Descendants(signavio + "signavioMetaData").Count());
        Assert.Single(exported.Descendants(signavio + "signavioDiagramMetaData"));
    }

    [Fact]
    public void Export_BpmnIoColours_AreKeptOnTheShape()
    {
        XNamespace bioc = "http://bpmn.io/schema/bpmn/biocolor/1.0";
        var definitions = TestFiles.ParseParsingFile("bpmn-io.bpmn");

        var exported = XDocument.Parse(BpmnExporter.Export(definitions));

        var shape = exported.Descendants(BpmnDi + "BPMNShape").Single(s => s.Attribute("bpmnElement")?.Value == "Activity_0x1y2z3");
        Assert.Equal("#ffcdd2", shape.Attribute(bioc + "fill")!.Value);
    }

    [Fact]
    public void Export_GbkFile_IsWrittenAsUtf8WithTheSameText()
    {
        var definitions = TestFiles.ParseParsingFile("gbk-encoded.bpmn");

        var exported = BpmnExporter.Export(definitions);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<definitions", exported, StringComparison.Ordinal);
        Assert.Contains("政府采购审批", exported, StringComparison.Ordinal);
        Assert.Equal("政府采购审批", BpmnParser.Parse(exported).Processes.Single().Name);
    }

    [Fact]
    public void Export_ToStream_WritesUtf8BytesThatParseBack()
    {
        var definitions = TestFiles.ParseParsingFile("tw-tender-announcement.bpmn");
        using var stream = new MemoryStream();

        BpmnExporter.Export(definitions, stream);
        stream.Position = 0;
        var reparsed = BpmnParser.Parse(stream);

        Assert.Equal(
            definitions.Processes.Single().Elements.Keys.Order(),
            reparsed.Processes.Single().Elements.Keys.Order());
    }

    [Fact]
    public void Export_NameWithLineBreaks_KeepsTheLineBreaks()
    {
        // Signavio, Bonita and Trisotech write two-line names as "Invoice&#xA;received" (the BPMN MIWG files do);
        // written raw, a reader turns the break into a space.
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
              <process id="p" isExecutable="true">
                <startEvent id="start" name="Invoice&#xA;received" />
                <exclusiveGateway id="split" name="Gateway&#xD;&#xA;(Split Flow)&#x9;x" />
                <sequenceFlow id="f" sourceRef="start" targetRef="split" />
              </process>
            </definitions>
            """;

        var again = BpmnParser.Parse(BpmnExporter.Export(BpmnParser.Parse(xml))).Processes.Single();

        Assert.Equal("Invoice\nreceived", again.FindNode("start")!.Name);
        Assert.Equal("Gateway\r\n(Split Flow)\tx", again.FindNode("split")!.Name);
    }

    private static XDocument LoadOriginal(string path)
    {
        using var stream = File.OpenRead(path);
        return XDocument.Load(stream, LoadOptions.PreserveWhitespace);
    }
}
