using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>A model imported from Camunda may leave a user task without receivers; on the platform staff claim it.</summary>
public sealed class UnassignedTaskTests(WorkflowFactory factory) : IClassFixture<WorkflowFactory>
{
    private const string Bpmn = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="http://camunda.org/examples">
          <bpmn:process id="camunda-import.unassigned" name="导入的流程" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:userTask id="check" name="核对材料" />
            <bpmn:endEvent id="end" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
            <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    private IWorkflowEngine Engine => factory.App.Services.GetRequiredService<IWorkflowEngine>();

    [Fact]
    public async Task TaskWithoutReceivers_ReachesStaffToClaimAndNoOneElse()
    {
        await Engine.DeployAsync(BpmnParser.Parse(Bpmn), "admin");
        var code = "IMP-" + Guid.NewGuid().ToString("N")[..8];
        await Engine.StartAsync("camunda-import.unassigned", code, new Dictionary<string, object?>(), "admin");
        var staff = await WorkflowApiClient.SignInAsync(factory.App, "staff");
        var tenderee = await WorkflowApiClient.SignInAsync(factory.App, "tenderee");

        Assert.Empty((await tenderee.InboxAsync($"tab=Group&projectCode={code}")).Rows);
        var taskId = await staff.OpenTaskIdAsync(code, "check");
        var claim = await staff.PostAsync($"/api/workflow/tasks/{taskId}/claim");

        Assert.Equal(HttpStatusCode.NoContent, claim.StatusCode);
        Assert.Single((await staff.InboxAsync($"tab=Mine&projectCode={code}")).Rows);
    }
}
