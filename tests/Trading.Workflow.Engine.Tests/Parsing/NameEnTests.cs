using System.Xml.Linq;
using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Tests.Validation;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Tests.Parsing;

/// <summary>
/// tw:nameEn, the English name of the process and of any named element (Model/EXTENSIONS.md): read into the model, kept
/// as written (a ${...} part included), accepted by the validator and written back unchanged by export.
/// </summary>
public sealed class NameEnTests
{
    private const string Xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="d" targetNamespace="urn:t">
          <bpmn:process id="review" name="公告审核" tw:nameEn="Notice review" isExecutable="true">
            <bpmn:laneSet id="ls">
              <bpmn:lane id="centre" name="交易中心" tw:nameEn="Trading centre"><bpmn:flowNodeRef>check</bpmn:flowNodeRef></bpmn:lane>
            </bpmn:laneSet>
            <bpmn:startEvent id="start" name="提交公告" tw:nameEn="Notice submitted" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:userTask id="check" name="审核公告：${projectCode}" tw:nameEn="Review the notice: ${projectCode}" tw:candidateRoles="Staff" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="decide" />
            <bpmn:exclusiveGateway id="decide" name="是否通过？" tw:nameEn="Approved?" default="no" />
            <bpmn:sequenceFlow id="yes" name="通过" tw:nameEn="Yes" sourceRef="decide" targetRef="publish">
              <bpmn:conditionExpression>${approved}</bpmn:conditionExpression>
            </bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="no" name="退回" tw:nameEn="  " sourceRef="decide" targetRef="returned" />
            <bpmn:subProcess id="publish" name="发布" tw:nameEn="Publication">
              <bpmn:startEvent id="s2" />
              <bpmn:sequenceFlow id="f3" sourceRef="s2" targetRef="e2" />
              <bpmn:endEvent id="e2" name="已发布" tw:nameEn="Published" />
            </bpmn:subProcess>
            <bpmn:sequenceFlow id="f4" sourceRef="publish" targetRef="done" />
            <bpmn:endEvent id="done" name="结束" />
            <bpmn:endEvent id="returned" name="已退回" tw:nameEn="Returned" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public void Parse_ReadsTheEnglishNameOfTheProcessAndOfEveryNamedElement()
    {
        var process = BpmnParser.Parse(Xml).Processes.Single();

        Assert.Equal(("公告审核", "Notice review"), (process.Name, process.NameEn));
        Assert.Equal("Notice submitted", process.FindNode("start")!.NameEn);
        Assert.Equal(("审核公告：${projectCode}", "Review the notice: ${projectCode}"), (process.FindNode("check")!.Name, process.FindNode("check")!.NameEn));
        Assert.Equal("Approved?", process.FindNode("decide")!.NameEn);
        Assert.Equal("Yes", process.FindFlow("yes")!.NameEn);
        Assert.Equal("Publication", process.FindNode("publish")!.NameEn);
        Assert.Equal("Published", process.FindNode("e2")!.NameEn);
        Assert.Equal("Trading centre", Assert.Single(process.Lanes).NameEn);
        // Not written, or blank: absent, and the name is what readers of English see.
        Assert.Null(process.FindNode("done")!.NameEn);
        Assert.Null(process.FindFlow("no")!.NameEn);
        Assert.Equal("Review the notice: ${projectCode}", process.FindNode("check")!.ExtensionAttributes["{http://trading.workflow/schema/bpmn}nameEn"]);
    }

    [Fact]
    public void Validate_AcceptsTheEnglishNames()
    {
        var problems = BpmnValidator.Validate(BpmnParser.Parse(Xml), new ValidationTestContext().Create());

        Assert.Empty(problems);
    }

    [Fact]
    public void Export_WritesTheEnglishNamesBackUnchanged()
    {
        var exported = BpmnExporter.Export(BpmnParser.Parse(Xml));

        XNamespace tw = BpmnNamespaces.TradingWorkflow;
        var written = XDocument.Parse(exported).Descendants().Where(e => e.Attribute(tw + "nameEn") is not null)
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute(tw + "nameEn")!);
        var original = XDocument.Parse(Xml).Descendants().Where(e => e.Attribute(tw + "nameEn") is not null)
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute(tw + "nameEn")!);
        Assert.Equal(10, original.Count);
        Assert.Equal(original, written);
        var again = BpmnParser.Parse(exported).Processes.Single();
        Assert.Equal(("Notice review", "Review the notice: ${projectCode}"), (again.NameEn, again.FindNode("check")!.NameEn));
    }
}
