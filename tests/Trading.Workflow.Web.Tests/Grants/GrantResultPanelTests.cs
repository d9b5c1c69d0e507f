using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Grants;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Web.Grants;
using Trading.Workflow.Web.Tests.Components;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Grants;

/// <summary>
/// Staff's 发布结果公示 on the result panel: the publication says it is done (its own message, not the claim's earlier
/// one) and leads to the offering's page. The task is the panel's (<c>component:grant-result</c>) on a one-task procedure
/// of the offering's project, assigned to <c>staff</c>.
/// </summary>
public sealed class GrantResultPanelTests : PlatformComponentTest
{
    private const string Procedure = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:tw="http://trading.workflow/schema/bpmn" id="result-panel" targetNamespace="http://trading.workflow/tests">
          <bpmn:process id="tests.grant-result" name="结果公示（测试）" isExecutable="true">
            <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
            <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="publishResultTask" />
            <bpmn:userTask id="publishResultTask" name="发布出让结果公示" tw:assignee="staff" tw:formKey="component:grant-result"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
            <bpmn:sequenceFlow id="f2" sourceRef="publishResultTask" targetRef="end" />
            <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
          </bpmn:process>
        </bpmn:definitions>
        """;

    [Theory]
    [InlineData("zh-CN", "已发布出让结果公示。")]
    [InlineData("en", "The grant result is published.")]
    public async Task Publish_SaysTheResultIsPublished_AndOpensTheOffering(string culture, string done)
    {
        await using var factory = new PlatformFactory();
        _ = factory.CreateClient();
        using var scope = factory.Services.CreateScope();
        var services = scope.ServiceProvider;
        Services.AddSingleton(services.GetRequiredService<GrantsWeb>());
        var offering = (await services.GetRequiredService<GrantService>().ListAsync(
            new GrantActor("supervisor", "supervisor", [PlatformRoles.Supervisor], null), Trading.Workflow.Domain.Trades.TradeTypes.LandRights)).First();
        var engine = services.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.Parse(Procedure));
        var instance = await engine.StartAsync("tests.grant-result", offering.ProjectCode);
        var task = (await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id })).Single();
        var staff = (await services.GetRequiredService<IUserDirectory>().FindByUserNameAsync("staff"))!;
        var user = SignIn("staff", PlatformRoles.Staff);
        user.SetClaims(new Claim(ClaimTypes.NameIdentifier, staff.AccountId), new Claim(Trading.Workflow.Web.Logging.CentreClaimsPrincipalFactory.ClaimType, offering.CentreId.ToString()));
        Culture(culture);
        RenderProviders();
        // What the task's claim left on screen.
        Services.GetRequiredService<ISnackbar>().Add("已认领任务。", Severity.Success);

        var panel = Render<GrantResultPanel>(p => p.Add(c => c.Task, task));
        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=grant-publish-result]")));
        panel.Find("button[data-testid=grant-publish-result], [data-testid=grant-publish-result] button").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        panel.WaitForAssertion(() => Assert.EndsWith($"/grants/{offering.Id}", navigation.Uri, StringComparison.Ordinal));
        var shown = Services.GetRequiredService<ISnackbar>().ShownSnackbars.Select(s => s.Message).ToList();
        Assert.Equal([done], shown);
        Assert.Empty(await engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }));
    }
}
