using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Components.Pages.Inbox;
using Trading.Workflow.Web.Tests.Components;

namespace Trading.Workflow.Web.Tests.Inbox;

/// <summary>
/// The task page's description (the user task's documentation) in the reader's language: in English the element's
/// English documentation (tw:documentationEn) with the values the engine filled into the stored one, in Chinese the
/// stored documentation, and the Chinese one in English where the element has no English one.
/// </summary>
public sealed class TaskDocumentationTests(WorkflowFactory factory) : PlatformComponentTest, IClassFixture<WorkflowFactory>
{
    private const string Bpmn = """
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="PROCESS-definitions" targetNamespace="urn:t">
          <bpmn:process id="PROCESS" name="说明测试" isExecutable="true">
            <bpmn:startEvent id="start" />
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
            <bpmn:parallelGateway id="fork" />
            <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="check" />
            <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="plain" />
            <bpmn:userTask id="check" name="核对招标公告" tw:nameEn="Check the tender notice" tw:assignee="tenderee"
                           tw:documentationEn="Check the tender notice of ${projectCode} (${projectName}) before it is published.">
              <bpmn:documentation>发布前核对 ${projectCode} 的招标公告（${projectName}）。</bpmn:documentation>
            </bpmn:userTask>
            <bpmn:userTask id="plain" name="登记" tw:assignee="tenderee">
              <bpmn:documentation>登记公告的发布日期。</bpmn:documentation>
            </bpmn:userTask>
            <bpmn:sequenceFlow id="f4" sourceRef="check" targetRef="join" />
            <bpmn:sequenceFlow id="f5" sourceRef="plain" targetRef="join" />
            <bpmn:parallelGateway id="join" />
            <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="end" />
            <bpmn:endEvent id="end" />
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Fact]
    public async Task TheDescription_ReadsInTheUsersLanguage_WithTheValuesTheEngineFilledIn_InZhAndEn()
    {
        var engine = factory.App.Services.GetRequiredService<IWorkflowEngine>();
        var processId = "test.documentation-" + Guid.NewGuid().ToString("N")[..8];
        await engine.DeployAsync(BpmnParser.Parse(Bpmn.Replace("PROCESS", processId, StringComparison.Ordinal)), "admin");
        var instance = await engine.StartAsync(processId, "DOC-1",
            new Dictionary<string, object?> { ["projectCode"] = "DOC-1", ["projectName"] = "演示道路改造工程" }, "tenderee");
        var tasks = await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id });
        var (check, plain) = (tasks.Single(t => t.ElementId == "check").Id, tasks.Single(t => t.ElementId == "plain").Id);
        await using var scope = factory.App.Services.CreateAsyncScope();
        Services.AddFallbackServiceProvider(scope.ServiceProvider);
        SignIn("tenderee", "Tenderee");
        RenderProviders();

        Assert.Equal("发布前核对 DOC-1 的招标公告（演示道路改造工程）。", Description(check));
        Assert.Equal("登记公告的发布日期。", Description(plain));

        Culture("en");
        Assert.Equal("Check the tender notice of DOC-1 (演示道路改造工程) before it is published.", Description(check));
        // No English documentation: the Chinese one.
        Assert.Equal("登记公告的发布日期。", Description(plain));
    }

    private string Description(Guid taskId)
    {
        var page = Render<TaskPage>(p => p.Add(x => x.TaskId, taskId));
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=task-title]").GetAttribute("data-interactive")));
        return page.Find("[data-testid=task-documentation]").TextContent.Trim();
    }
}
