using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

public sealed class ProcedureFormsTests
{
    private const string WithForms = """
        <bpmn:extensionElements>
          <tw:form key="apply" name="申请表">{"type":"default","components":[{"type":"textfield","key":"name"}]}</tw:form>
          <tw:form key="review" />
        </bpmn:extensionElements>
        <bpmn:startEvent id="start" />
        """;

    [Fact]
    public void Read_ReturnsEveryFormOfTheProcessInOrder()
    {
        var definitions = BpmnParser.Parse(Bpmn.Process(WithForms));

        var forms = ProcedureForms.Read(definitions, "p");

        Assert.Equal([("apply", "申请表"), ("review", "")], forms.Select(f => (f.Key, f.Name)));
    }

    [Fact]
    public void Find_ByFormKey_ReturnsItsSchema()
    {
        var definitions = BpmnParser.Parse(Bpmn.Process(WithForms));

        var form = ProcedureForms.Find(definitions, "p", "apply");

        Assert.Equal("name", FormSchema.Parse(form!.Schema).Components.Single().Key);
    }

    [Fact]
    public void Read_OtherProcess_HasNoForms()
    {
        var definitions = BpmnParser.Parse(Bpmn.Process(WithForms));

        Assert.Empty(ProcedureForms.Read(definitions, "other"));
    }
}
