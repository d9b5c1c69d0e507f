using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>
/// The inbox hears of tasks through the engine's one post-commit seam (<see cref="IWorkflowCommitObserver"/>), not a
/// store decorator: in the real app a committed command reaches <see cref="TaskNotifier"/>, a refused one does not.
/// </summary>
public sealed class TaskNotifierTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private const string Bpmn = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="defs" targetNamespace="http://example.org">
          <bpmn:process id="notifier.check" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="check" tw:candidateRoles="Staff" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task CommittedStart_RaisesTaskCreatedForItsRoles_RefusedStartRaisesNothing()
    {
        var engine = factory.App.Services.GetRequiredService<IWorkflowEngine>();
        var notifier = factory.App.Services.GetRequiredService<TaskNotifier>();
        await engine.DeployAsync(BpmnParser.Parse(Bpmn), "admin");
        var heard = new List<TaskChange>();
        void OnChanged(IReadOnlyList<TaskChange> changes)
        {
            lock (heard)
            {
                heard.AddRange(changes);
            }
        }

        notifier.TasksChanged += OnChanged;
        try
        {
            var instance = await engine.StartAsync("notifier.check", "N-" + Guid.NewGuid().ToString("N")[..8], new Dictionary<string, object?>(), "admin");
            await Assert.ThrowsAnyAsync<WorkflowException>(() => engine.StartAsync("notifier.no-such-process", null, new Dictionary<string, object?>(), "admin").AsTask());

            TaskChange[] mine;
            lock (heard)
            {
                mine = heard.Where(c => c.InstanceId == instance.Id).ToArray();
            }

            var created = Assert.Single(mine);
            Assert.Equal((HistoryEventType.TaskCreated, "Staff"), (created.Kind, Assert.Single(created.CandidateRoles)));
            Assert.All(heard, c => Assert.Equal(instance.Id, c.InstanceId));
        }
        finally
        {
            notifier.TasksChanged -= OnChanged;
        }
    }
}
