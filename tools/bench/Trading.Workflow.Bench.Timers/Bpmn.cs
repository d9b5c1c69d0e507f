namespace Trading.Workflow.Bench.Timers;

internal static class Bpmn
{
    /// <summary>Start → timer at the date in variable <c>due</c> → record the firing → end.</summary>
    public const string TimerProcess = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="defs-bench-timer" targetNamespace="http://trading.workflow/bench">
          <bpmn:process id="benchTimer" name="Bench timer" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="deadline" />
            <bpmn:intermediateCatchEvent id="deadline">
              <bpmn:timerEventDefinition>
                <bpmn:timeDate>${due}</bpmn:timeDate>
              </bpmn:timerEventDefinition>
            </bpmn:intermediateCatchEvent>
            <bpmn:sequenceFlow id="f2" sourceRef="deadline" targetRef="record" />
            <bpmn:serviceTask id="record" tw:handler="recordFiring" />
            <bpmn:sequenceFlow id="f3" sourceRef="record" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;
}
