using System.Diagnostics;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Web.Designer;
using Trading.Workflow.Web.Forms;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// Issue 16 §5: XML nesting depth and element count are bounded in every path of the web that reads a model's XML, not
/// only in the engine's parser (100,000 nested elements inside extensionElements cost 101 CPU-seconds in the designer).
/// </summary>
public sealed class ModelBoundsTests
{
    private static readonly string Nested = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<bpmn:definitions xmlns:bpmn=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" xmlns:x=\"urn:probe\" id=\"d\" targetNamespace=\"t\">"
        + "<bpmn:process id=\"p\" isExecutable=\"true\"><bpmn:extensionElements>"
        + string.Concat(Enumerable.Repeat("<x:a>", 100_000)) + string.Concat(Enumerable.Repeat("</x:a>", 100_000))
        + "</bpmn:extensionElements><bpmn:startEvent id=\"s\" name=\"Start\" /></bpmn:process></bpmn:definitions>";

    private static void Quickly(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void BpmnFormsRead_DeeplyNested_IsRefused() =>
        Quickly(() => Assert.Equal(BpmnParseErrorCodes.TooDeep, Assert.Throws<BpmnParseException>(() => BpmnForms.Read(Nested, "p")).Code));

    [Fact]
    public void BpmnFormsWrite_DeeplyNested_IsRefused() =>
        Quickly(() => Assert.Throws<BpmnParseException>(() => BpmnForms.Write(Nested, "p", [("f", "F", "{}")])));

    [Fact]
    public void DryRunVariables_DeeplyNested_IsRefused() =>
        Quickly(() => Assert.Throws<BpmnParseException>(() => DryRunVariables.Find(Nested, "p")));

    [Fact]
    public void DisplayNames_DeeplyNested_FallsBackToIds() =>
        Quickly(() => Assert.Empty(DisplayNames.Of(Nested, null)));

    [Fact]
    public void DesignerValidation_DeeplyNested_IsAProblemNotAWait() =>
        Quickly(() => Assert.Equal(BpmnParseErrorCodes.TooDeep, Assert.Single(new DesignerValidation().Check(Nested).Problems).Code));
}
