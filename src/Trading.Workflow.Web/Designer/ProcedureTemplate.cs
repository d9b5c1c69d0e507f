using System.Security;

namespace Trading.Workflow.Web.Designer;

/// <summary>The diagram a new procedure starts from: an executable process with a start event, ready for the palette.</summary>
public static class ProcedureTemplate
{
    public static string Create(string processId, string? name)
    {
        var id = SecurityElement.Escape(processId);
        var title = SecurityElement.Escape(string.IsNullOrWhiteSpace(name) ? processId : name);
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:tw="http://trading.workflow/schema/bpmn" id="Definitions_{id}" targetNamespace="http://trading.workflow/procedures">
              <bpmn:process id="{id}" name="{title}" isExecutable="true">
                <bpmn:startEvent id="StartEvent_1" />
              </bpmn:process>
              <bpmndi:BPMNDiagram id="BPMNDiagram_1">
                <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="{id}">
                  <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
                    <dc:Bounds x="180" y="160" width="36" height="36" />
                  </bpmndi:BPMNShape>
                </bpmndi:BPMNPlane>
              </bpmndi:BPMNDiagram>
            </bpmn:definitions>
            """;
    }
}
