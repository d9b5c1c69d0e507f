using System.Xml.Linq;
using Trading.Workflow.Engine.Export;
using Trading.Workflow.Engine.Model;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Tests.Validation;
using Trading.Workflow.Engine.Validation;

namespace Trading.Workflow.Engine.Tests.Parsing;

/// <summary>
/// tw:documentationEn, the English of an element's documentation (Model/EXTENSIONS.md): read into the model on the
/// process, nodes and flows, kept as written (a ${...} part included), its template checked on a user task as the
/// documentation's is, and written back unchanged by export.
/// </summary>
public sealed class DocumentationEnTests
{
    private const string Xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="d" targetNamespace="urn:t">
          <bpmn:process id="review" name="公告审核" tw:documentationEn="Staff review each submitted notice." isExecutable="true">
            <bpmn:documentation>工作人员审核提交的公告。</bpmn:documentation>
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" tw:documentationEn="Every notice is reviewed.">
              <bpmn:documentation>每份公告都要审核。</bpmn:documentation>
            </bpmn:sequenceFlow>
            <bpmn:userTask id="check" name="审核公告" tw:documentationEn="Check the notice of ${projectCode}: approve or return it with a reason." tw:candidateRoles="Staff">
              <bpmn:documentation>核对 ${projectCode} 的公告：通过，或写明理由退回。</bpmn:documentation>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="publish" />
            <bpmn:serviceTask id="publish" tw:handler="publishNotice" tw:documentationEn="  ">
              <bpmn:documentation>发布到门户。</bpmn:documentation>
            </bpmn:serviceTask>
            <bpmn:sequenceFlow id="f3" sourceRef="publish" targetRef="done" />
            <bpmn:endEvent id="done" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public void Parse_ReadsTheEnglishDocumentationOfTheProcessNodesAndFlows()
    {
        var process = BpmnParser.Parse(Xml).Processes.Single();

        Assert.Equal(("工作人员审核提交的公告。", "Staff review each submitted notice."), (process.Documentation, process.DocumentationEn));
        var check = process.FindNode("check")!;
        Assert.Equal(("核对 ${projectCode} 的公告：通过，或写明理由退回。", "Check the notice of ${projectCode}: approve or return it with a reason."), (check.Documentation, check.DocumentationEn));
        Assert.Equal("Every notice is reviewed.", process.FindFlow("f1")!.DocumentationEn);
        // Blank, or not written: absent, and the documentation is what readers of English see.
        Assert.Null(process.FindNode("publish")!.DocumentationEn);
        Assert.Equal("发布到门户。", process.FindNode("publish")!.Documentation);
        Assert.Null(process.FindNode("done")!.DocumentationEn);
    }

    [Fact]
    public void Validate_AcceptsTheEnglishDocumentation_AndChecksItsTemplateOnAUserTask()
    {
        var context = new ValidationTestContext();
        Assert.Empty(BpmnValidator.Validate(BpmnParser.Parse(Xml), context.Create()));

        var broken = Xml.Replace("Check the notice of ${projectCode}:", "Check the notice of ${projectCode(:", StringComparison.Ordinal);
        var problem = Assert.Single(BpmnValidator.Validate(BpmnParser.Parse(broken), new ValidationTestContext().Create()));
        Assert.Equal((ValidationCodes.ExpressionInvalid, "check"), (problem.Code, problem.ElementId));
        Assert.Contains("English documentation", problem.MessageEn, StringComparison.Ordinal);
        Assert.Contains("英文说明", problem.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_WritesTheEnglishDocumentationBackUnchanged()
    {
        var exported = BpmnExporter.Export(BpmnParser.Parse(Xml));

        XNamespace tw = BpmnNamespaces.TradingWorkflow;
        static Dictionary<string, string> Written(string xml, XNamespace tw) => XDocument.Parse(xml).Descendants()
            .Where(e => e.Attribute(tw + "documentationEn") is not null)
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute(tw + "documentationEn")!);
        Assert.Equal(4, Written(Xml, tw).Count);
        Assert.Equal(Written(Xml, tw), Written(exported, tw));
        var again = BpmnParser.Parse(exported).Processes.Single();
        Assert.Equal(("Staff review each submitted notice.", "Check the notice of ${projectCode}: approve or return it with a reason."), (again.DocumentationEn, again.FindNode("check")!.DocumentationEn));
    }
}
