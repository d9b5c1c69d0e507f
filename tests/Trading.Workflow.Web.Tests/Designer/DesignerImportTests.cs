using System.Xml.Linq;
using Trading.Workflow.Engine.Validation;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>
/// Files imported together in the designer are validated as one set (issue 15, point 1): a call activity may call a
/// process of any file of the set, in any order; a process defined twice is an error; an unreadable file is named.
/// </summary>
public sealed class DesignerImportTests
{
    private const string CamundaNs = "http://camunda.org/schema/1.0/bpmn";

    private static readonly string Parent = Bpmn.Process("""
        <bpmn:startEvent id="start" />
        <bpmn:callActivity id="call" calledElement="child" />
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
        <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
        """, processId: "parent");

    private static readonly string Child = Bpmn.Process(Bpmn.ReviewBody, processId: "child");

    private static readonly IReadOnlySet<string> NothingDeployed = new HashSet<string>(StringComparer.Ordinal);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Read_CallActivityIntoAnotherFileOfTheSet_InEitherOrder_HasNoError(bool parentFirst)
    {
        ImportFile[] files = parentFirst
            ? [new("parent.bpmn", Parent), new("child.bpmn", Child)]
            : [new("child.bpmn", Child), new("parent.bpmn", Parent)];

        var imported = new DesignerImport(new DesignerValidation()).Read(files, NothingDeployed);

        Assert.True(imported.Readable);
        Assert.DoesNotContain(imported.AllProblems, p => p.Severity == ValidationSeverity.Error);
        Assert.Equal("parent.bpmn", imported.Defining("parent")?.Name);
    }

    [Fact]
    public void Read_CalledProcessInNoFileAndNotDeployed_IsAnErrorNamingTheFile()
    {
        // Control for the test above: without the child's file the same parent is refused.
        var imported = new DesignerImport(new DesignerValidation()).Read([new("parent.bpmn", Parent)], NothingDeployed);

        var problem = Assert.Single(imported.AllProblems, p => p.Code == ValidationCodes.CallUnknownProcess);
        Assert.Equal(("call", "parent.bpmn"), (problem.ElementId, problem.File));
    }

    [Fact]
    public void Read_CalledProcessDeployedAlready_HasNoError()
    {
        var imported = new DesignerImport(new DesignerValidation()).Read([new("parent.bpmn", Parent)], new HashSet<string> { "child" });

        Assert.DoesNotContain(imported.AllProblems, p => p.Severity == ValidationSeverity.Error);
    }

    [Fact]
    public void Read_SameProcessInTwoFiles_IsAnErrorOnTheLaterFile()
    {
        var imported = new DesignerImport(new DesignerValidation()).Read([new("a.bpmn", Child), new("b.bpmn", Child)], NothingDeployed);

        var problem = Assert.Single(imported.AllProblems, p => p.Code == ValidationCodes.DuplicateProcessInSet);
        Assert.Equal("b.bpmn", problem.File);
    }

    [Fact]
    public void Read_UnreadableFile_IsNamedAndTheOthersAreStillRead()
    {
        var imported = new DesignerImport(new DesignerValidation()).Read([new("child.bpmn", Child), new("broken.bpmn", "<definitions><process>")], NothingDeployed);

        var problem = Assert.Single(imported.Unreadable);
        Assert.Equal(("broken.bpmn", false, "child.bpmn"), (problem.File, imported.Readable, Assert.Single(imported.Files).Name));
    }

    [Fact]
    public void Read_CamundaFile_IsConvertedToOurAttributes()
    {
        var xml = Bpmn.Process(
            """<bpmn:startEvent id="s" /><bpmn:userTask id="t" camunda:candidateGroups="Staff" /><bpmn:endEvent id="e" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t" /><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e" />""",
            processId: "camunda_process",
            extraNamespaces: $"xmlns:camunda=\"{CamundaNs}\"");

        var file = Assert.Single(new DesignerImport(new DesignerValidation()).Read([new("c.bpmn", xml)]).Files);

        Assert.Equal((1, "camunda_process"), (file.ConvertedAttributes, Assert.Single(file.ProcessIds)));
    }
}

/// <summary>
/// Adopting an imported file whose process id differs from the open procedure's (issue 15, point 1): the process and
/// every reference BPMN makes to it by id take the new id; nothing else changes.
/// </summary>
public sealed class ProcessAdoptionTests
{
    private static readonly XNamespace Model = Bpmn.ModelNs;
    private static readonly XNamespace Di = "http://www.omg.org/spec/BPMN/20100524/DI";

    private const string Exported = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://example.org">
          <bpmn:collaboration id="collab">
            <bpmn:participant id="pool" name="Centre" processRef="Process_0x1abc" />
          </bpmn:collaboration>
          <bpmn:process id="Process_0x1abc" isExecutable="true" camunda:historyTimeToLive="P180D">
            <bpmn:startEvent id="start" />
            <bpmn:callActivity id="again" calledElement="Process_0x1abc" />
            <bpmn:callActivity id="other" calledElement="archive" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="again" />
            <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="other" />
            <bpmn:sequenceFlow id="f3" sourceRef="other" targetRef="end" />
          </bpmn:process>
          <bpmndi:BPMNDiagram id="diagram">
            <bpmndi:BPMNPlane id="plane" bpmnElement="collab">
              <bpmndi:BPMNShape id="pool_di" bpmnElement="pool"><dc:Bounds x="10" y="10" width="600" height="200" /></bpmndi:BPMNShape>
            </bpmndi:BPMNPlane>
          </bpmndi:BPMNDiagram>
          <bpmndi:BPMNDiagram id="diagram2">
            <bpmndi:BPMNPlane id="plane2" bpmnElement="Process_0x1abc" />
          </bpmndi:BPMNDiagram>
        </bpmn:definitions>
        """;

    [Fact]
    public void Rename_MovesTheProcessIdAndEveryReferenceToIt()
    {
        var result = ProcessAdoption.Rename(Exported, "Process_0x1abc", "supplier_review");

        var document = XDocument.Parse(result.Xml!);
        Assert.Equal(
            ("supplier_review", "supplier_review", "supplier_review", "supplier_review"),
            ((string?)document.Descendants(Model + "process").Single().Attribute("id"),
             (string?)document.Descendants(Model + "participant").Single().Attribute("processRef"),
             (string?)document.Descendants(Model + "callActivity").Single(c => (string?)c.Attribute("id") == "again").Attribute("calledElement"),
             (string?)document.Descendants(Di + "BPMNPlane").Single(p => (string?)p.Attribute("id") == "plane2").Attribute("bpmnElement")));
        Assert.DoesNotContain("Process_0x1abc", result.Xml!, StringComparison.Ordinal);
    }

    [Fact]
    public void Rename_KeepsOtherReferencesAndForeignAttributes()
    {
        var document = XDocument.Parse(ProcessAdoption.Rename(Exported, "Process_0x1abc", "supplier_review").Xml!);

        Assert.Equal(
            ("archive", "collab", "P180D"),
            ((string?)document.Descendants(Model + "callActivity").Single(c => (string?)c.Attribute("id") == "other").Attribute("calledElement"),
             (string?)document.Descendants(Di + "BPMNPlane").Single(p => (string?)p.Attribute("id") == "plane").Attribute("bpmnElement"),
             (string?)document.Descendants(Model + "process").Single().Attribute(XName.Get("historyTimeToLive", "http://camunda.org/schema/1.0/bpmn"))));
    }

    [Fact]
    public void Rename_ResultIsValidUnderTheNewId()
    {
        var xml = ProcessAdoption.Rename(Bpmn.Process(Bpmn.ReviewBody, processId: "Process_1"), "Process_1", "tender").Xml!;

        var check = new DesignerValidation().Check(xml);

        Assert.Equal((false, "tender"), (check.HasErrors, Assert.Single(check.ProcessIds)));
    }

    [Theory]
    [InlineData("pool", AdoptionRefusal.IdTaken)]
    [InlineData("1-not-an-id", AdoptionRefusal.InvalidId)]
    public void Rename_ToAnIdItCannotTake_IsRefused(string newId, AdoptionRefusal expected)
    {
        var result = ProcessAdoption.Rename(Exported, "Process_0x1abc", newId);

        Assert.Equal((false, (AdoptionRefusal?)expected), (result.Adopted, result.Refusal));
    }

    [Fact]
    public void Rename_ProcessNotInTheFile_IsRefused()
    {
        Assert.Equal(AdoptionRefusal.ProcessMissing, ProcessAdoption.Rename(Exported, "nope", "tender").Refusal);
    }
}
