using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Trades;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Instances;

/// <summary>
/// The instance viewer's demo "fire now" first has the parts move the date the timer stands for (the variable its
/// <c>${...}</c> names), then fires it: a step that reads the date again would otherwise only re-arm the timer.
/// </summary>
public sealed class DemoFastForwardDateTests : IAsyncLifetime
{
    private const string ProcessId = "tests.demo-date";
    private readonly DemoDateRecorder _dates = new();
    private PlatformFactory _app = default!;

    public Task InitializeAsync()
    {
        _app = new PlatformFactory(configureServices: services => services.AddSingleton<IDemoTimerDate>(_dates));
        _ = _app.Server;
        _dates.Engine = _app.Services.GetRequiredService<IWorkflowEngine>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task FireNow_DemoProject_PartsMoveTheTimersDateFirst_ThenItFires()
    {
        var engine = _app.Services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.Parse(Procedure));
        var code = "DATE-" + Guid.NewGuid().ToString("N")[..8];
        var instance = await engine.StartAsync(ProcessId, code, new Dictionary<string, object?>
        {
            ["demoDueAt"] = DateTimeOffset.UtcNow.AddDays(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        }, "tenderee");
        var timer = Assert.Single(await engine.GetTimersAsync(instance.Id));
        using var scope = _app.Services.CreateScope();

        await scope.ServiceProvider.GetRequiredService<InstanceService>().FastForwardTimerAsync(DemoProjects.Staff, instance.Id, timer.Id);

        var (demo, actor, pending) = Assert.Single(_dates.Calls);
        Assert.Equal((instance.Id, code, ProcessId, "waitDue", "demoDueAt", timer.Due), (demo.InstanceId, demo.BusinessKey, demo.ProcessId, demo.ElementId, demo.DateVariable, demo.Due));
        Assert.Equal("staff", actor);
        Assert.True(pending, "the date moves before the timer fires");
        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(instance.Id))!.State);
    }

    private const string Procedure = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="http://trading.workflow/tests">
          <bpmn:process id="tests.demo-date" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:intermediateCatchEvent id="waitDue"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
              <bpmn:timerEventDefinition><bpmn:timeDate>${demoDueAt}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="waitDue" />
            <bpmn:sequenceFlow id="f2" sourceRef="waitDue" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

}

/// <summary>A part that records what it was asked to move, and whether the timer was still pending then.</summary>
internal sealed class DemoDateRecorder : IDemoTimerDate
{
    public IWorkflowEngine? Engine { get; set; }

    public List<(DemoTimer Timer, string Actor, bool Pending)> Calls { get; } = [];

    public async Task<bool> MoveToNowAsync(DemoTimer timer, string actor, CancellationToken cancellationToken = default)
    {
        var pending = Engine is not null && (await Engine.GetTimersAsync(timer.InstanceId, cancellationToken)).Any(t => t.ElementId == timer.ElementId);
        Calls.Add((timer, actor, pending));
        return false;
    }
}
