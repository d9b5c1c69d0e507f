namespace Trading.Workflow.Web.Tests.Designer;

/// <summary>Small BPMN documents for the designer tests: a process body wrapped in definitions with our namespaces.</summary>
internal static class Bpmn
{
    public const string ModelNs = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    public const string TwNs = "http://trading.workflow/schema/bpmn";

    public static string Process(string body, string processId = "p", string extraNamespaces = "") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="{ModelNs}" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:tw="{TwNs}" {extraNamespaces} id="d" targetNamespace="http://example.org">
          <bpmn:process id="{processId}" isExecutable="true">
            {body}
          </bpmn:process>
        </bpmn:definitions>
        """;

    /// <summary>start → review (user task for Staff) → end.</summary>
    public const string ReviewBody = """
        <bpmn:startEvent id="start" />
        <bpmn:userTask id="review" name="Review" tw:candidateRoles="Staff" />
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
        <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
        """;
}
