using Trading.Workflow.Web.Designer;

namespace Trading.Workflow.Web.Tests.Designer;

public sealed class DryRunServiceTests
{
    private readonly DryRunService _dryRun = new(TimeProvider.System);

    [Fact]
    public async Task Run_CompletesUserTasks_AndReportsThePathTaken()
    {
        var result = await _dryRun.RunAsync(new DryRunRequest(Bpmn.Process(Bpmn.ReviewBody), "p", null, null));

        Assert.Equal((true, true), (result.Ended, new[] { "start", "f1", "review", "f2", "end" }.All(result.TakenElementIds.Contains)));
    }

    [Fact]
    public async Task Run_GatewayCondition_TakesOnlyTheChosenBranch()
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" />
            <bpmn:exclusiveGateway id="g" default="small" />
            <bpmn:endEvent id="bigEnd" /><bpmn:endEvent id="smallEnd" />
            <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g" />
            <bpmn:sequenceFlow id="big" sourceRef="g" targetRef="bigEnd"><bpmn:conditionExpression>${amount > 1000000}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="small" sourceRef="g" targetRef="smallEnd" />
            """);

        var result = await _dryRun.RunAsync(new DryRunRequest(xml, "p", """{"amount": 5000000}""", null));

        Assert.Equal((true, false), (result.TakenElementIds.Contains("bigEnd"), result.TakenElementIds.Contains("smallEnd")));
    }

    [Fact]
    public async Task Run_TimerInWorkingDays_FiresOnTheSimulatedClock()
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" />
            <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P5WD</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" /><bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
            """);

        var result = await _dryRun.RunAsync(new DryRunRequest(xml, "p", null, null));

        Assert.Equal((true, true), (result.Ended, result.Steps.Any(s => s.Action == DryRunService.ActionTimersFired && s.ElementId == "wait")));
    }

    [Fact]
    public async Task Run_UnknownVariableInCondition_StopsWithTheEngineError()
    {
        var xml = Bpmn.Process("""
            <bpmn:startEvent id="start" />
            <bpmn:exclusiveGateway id="g" default="b" />
            <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" />
            <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="g" />
            <bpmn:sequenceFlow id="a" sourceRef="g" targetRef="e1"><bpmn:conditionExpression>${missing > 1}</bpmn:conditionExpression></bpmn:sequenceFlow>
            <bpmn:sequenceFlow id="b" sourceRef="g" targetRef="e2" />
            """);

        var result = await _dryRun.RunAsync(new DryRunRequest(xml, "p", null, null));

        Assert.Equal((false, true, true), (result.Ended, result.ErrorZh is not null, result.ErrorEn is not null));
    }

    [Fact]
    public async Task Run_InvalidVariablesJson_ReportsItInBothLanguages()
    {
        var result = await _dryRun.RunAsync(new DryRunRequest(Bpmn.Process(Bpmn.ReviewBody), "p", "{not json", null));

        Assert.Equal((true, true, 0), (result.ErrorZh is not null, result.ErrorEn is not null, result.TakenElementIds.Count));
    }
}
