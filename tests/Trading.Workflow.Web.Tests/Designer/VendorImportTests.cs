using System.Xml.Linq;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

public sealed class VendorImportTests
{
    private const string CamundaNs = "http://camunda.org/schema/1.0/bpmn";
    private static readonly XNamespace Tw = Bpmn.TwNs;
    private static readonly XNamespace Camunda = CamundaNs;

    [Fact]
    public void ToOurs_CamundaUserTask_BecomesTwAttributes()
    {
        var xml = Bpmn.Process(
            """<bpmn:userTask id="t" camunda:assignee="${initiator}" camunda:candidateGroups="Staff,Supervisor" camunda:formKey="review" camunda:dueDate="P5WD" camunda:priority="60" />""",
            extraNamespaces: $"xmlns:camunda=\"{CamundaNs}\"");

        var task = Element(VendorImport.ToOurs(xml).Xml, "t");

        Assert.Equal(
            ("${initiator}", "Staff,Supervisor", "review", "P5WD", "60", 0),
            ((string?)task.Attribute(Tw + "assignee"), (string?)task.Attribute(Tw + "candidateRoles"), (string?)task.Attribute(Tw + "formKey"),
             (string?)task.Attribute(Tw + "dueDate"), (string?)task.Attribute(Tw + "priority"), task.Attributes().Count(a => a.Name.Namespace == Camunda)));
    }

    [Fact]
    public void ToOurs_CamundaClass_BecomesHandlerBySimpleClassName()
    {
        var xml = Bpmn.Process(
            """<bpmn:serviceTask id="s" camunda:class="com.acme.RegisterSupplierDelegate" camunda:asyncBefore="true" />""",
            extraNamespaces: $"xmlns:camunda=\"{CamundaNs}\"");

        var task = Element(VendorImport.ToOurs(xml).Xml, "s");

        Assert.Equal(("RegisterSupplierDelegate", "true"), ((string?)task.Attribute(Tw + "handler"), (string?)task.Attribute(Tw + "async")));
    }

    [Fact]
    public void ToOurs_FlowableDelegateExpression_BecomesHandler()
    {
        var xml = Bpmn.Process(
            """<bpmn:serviceTask id="s" flowable:delegateExpression="${notifyApplicant}" />""",
            extraNamespaces: "xmlns:flowable=\"http://flowable.org/bpmn\"");

        var task = Element(VendorImport.ToOurs(xml).Xml, "s");

        Assert.Equal("notifyApplicant", (string?)task.Attribute(Tw + "handler"));
    }

    [Fact]
    public void ToOurs_ExternalTopic_BecomesHandlerAndDropsType()
    {
        var xml = Bpmn.Process(
            """<bpmn:serviceTask id="s" camunda:type="external" camunda:topic="archive" />""",
            extraNamespaces: $"xmlns:camunda=\"{CamundaNs}\"");

        var task = Element(VendorImport.ToOurs(xml).Xml, "s");

        Assert.Equal(("archive", 0), ((string?)task.Attribute(Tw + "handler"), task.Attributes().Count(a => a.Name.Namespace == Camunda)));
    }

    [Fact]
    public void ToOurs_WhenOursAlreadyWritten_OursWins()
    {
        var xml = Bpmn.Process(
            """<bpmn:userTask id="t" tw:assignee="zhang" activiti:assignee="li" />""",
            extraNamespaces: "xmlns:activiti=\"http://activiti.org/bpmn\"");

        var task = Element(VendorImport.ToOurs(xml).Xml, "t");

        Assert.Equal("zhang", (string?)task.Attribute(Tw + "assignee"));
    }

    [Fact]
    public void ToOurs_ConvertedFile_MeansTheSameToTheEngine()
    {
        var xml = Bpmn.Process(
            """<bpmn:userTask id="t" camunda:assignee="zhang" camunda:candidateGroups="Staff" camunda:formKey="review" />""",
            extraNamespaces: $"xmlns:camunda=\"{CamundaNs}\"");
        var before = (UserTask)BpmnParser.Parse(xml).Processes[0].Elements["t"];

        var after = (UserTask)BpmnParser.Parse(VendorImport.ToOurs(xml).Xml).Processes[0].Elements["t"];

        Assert.Equal((before.Assignee, before.CandidateRoles, before.FormKey), (after.Assignee, after.CandidateRoles, after.FormKey));
    }

    [Fact]
    public void ToOurs_WithoutVendorAttributes_ReturnsTheTextUnchanged()
    {
        var xml = Bpmn.Process(Bpmn.ReviewBody);

        var result = VendorImport.ToOurs(xml);

        Assert.Equal((xml, 0), (result.Xml, result.ConvertedAttributes));
    }

    [Fact]
    public void ToOurs_FileWithDtd_IsRefusedByTheParser()
    {
        const string Xml = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&e;</definitions>""";

        var error = Assert.Throws<BpmnParseException>(() => VendorImport.ToOurs(Xml));

        Assert.Equal("XML_DTD_PROHIBITED", error.Code);
    }

    private static XElement Element(string xml, string id) =>
        XDocument.Parse(xml).Descendants().Single(e => (string?)e.Attribute("id") == id);
}
