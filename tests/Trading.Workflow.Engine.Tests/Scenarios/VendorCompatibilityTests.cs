using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Files written for Camunda 7 and Flowable run with their own attributes.</summary>
public sealed class VendorCompatibilityTests
{
    private static DelegateHandler CalcFee() =>
        new("CalcFeeDelegate", (ServiceTaskContext c) => c.SetVariable("fee", (decimal)c.GetVariable("amount")! * 0.01m));

    [Fact]
    public async Task Camunda_ClassDelegate_RunsHandlerNamedAfterTheClass()
    {
        var handler = CalcFee();
        await using var h = await EngineTestHost.ScenarioAsync("vendor-camunda.bpmn", handler);

        var instance = await h.StartProcessAsync("camundaTender", new { amount = 50000m, projectCode = "P-1", director = "boss" });

        Assert.Equal(1, handler.Calls);
        Assert.Equal(500.00m, (await h.VariablesAsync(instance.Id))["fee"]);
    }

    [Fact]
    public async Task Camunda_AssigneeExpressionAndPriority_AreApplied()
    {
        await using var h = await EngineTestHost.ScenarioAsync("vendor-camunda.bpmn", CalcFee());

        var instance = await h.StartProcessAsync("camundaTender", new { amount = 500000m, projectCode = "P-1", director = "boss" });

        var task = await h.SingleTaskAsync(instance.Id, "Activity_Approve");
        Assert.Equal("boss", task.Assignee);
        Assert.Equal(90, task.Priority);
        Assert.Equal("Approve P-1", task.Name);
    }

    [Fact]
    public async Task Camunda_CandidateUsersGroupsAndFormKey_AreApplied()
    {
        await using var h = await EngineTestHost.ScenarioAsync("vendor-camunda.bpmn", CalcFee());

        var instance = await h.StartProcessAsync("camundaTender", new { amount = 5000m, projectCode = "P-1", director = "boss" });

        var task = await h.SingleTaskAsync(instance.Id, "Activity_Review");
        Assert.Equal(["wang"], task.CandidateUsers);
        Assert.Equal(["auditor", "finance"], task.CandidateRoles);
        Assert.Equal("embedded:app:forms/review.html", task.FormKey);
        Assert.Single(await h.Engine.GetOpenTasksForUserAsync("li", ["finance"]));
    }

    [Fact]
    public async Task Flowable_AsyncDelegateExpression_RunsAsJobThroughNamedHandler()
    {
        var handler = TestHandlers.Noop("publishNoticeDelegate");
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "vendor-flowable.bpmn"], [handler]);
        var instance = await h.StartProcessAsync("flowableNotice", new { confirmBy = EngineTestHost.StartTime.AddDays(3), noticeNo = "GG-1" });
        var callsBeforeJob = handler.Calls;

        await h.RunJobsAsync();

        Assert.Equal(0, callsBeforeJob);
        Assert.Equal(1, handler.Calls);
        Assert.Equal(["confirm"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Flowable_UserTaskCandidatesAndDueDate_AreApplied()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "vendor-flowable.bpmn"], [TestHandlers.Noop("publishNoticeDelegate")]);
        var instance = await h.StartProcessAsync("flowableNotice", new { confirmBy = EngineTestHost.StartTime.AddDays(3), noticeNo = "GG-1" });
        await h.RunJobsAsync();

        var task = await h.SingleTaskAsync(instance.Id, "confirm");

        Assert.Equal(["zhao", "qian"], task.CandidateUsers);
        Assert.Equal(["clerk"], task.CandidateRoles);
        Assert.Equal(EngineTestHost.StartTime.AddDays(3), task.Due);
    }

    [Fact]
    public async Task Flowable_CallActivityInOutMappings_CopyVariablesBothWays()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "vendor-flowable.bpmn"], [TestHandlers.Noop("publishNoticeDelegate")]);
        var instance = await h.StartProcessAsync("flowableNotice", new { confirmBy = EngineTestHost.StartTime.AddDays(3), noticeNo = "GG-1" });
        await h.RunJobsAsync();
        await h.CompleteAsync(instance.Id, "confirm");
        var child = Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = instance.Id }));
        var childNotice = (await h.VariablesAsync(child.Id))["childNotice"];

        await h.CompleteAsync(child.Id, "childTask", new { childAnswer = "已阅" });

        Assert.Equal("GG-1", childNotice);
        Assert.Equal("已阅", (await h.VariablesAsync(instance.Id))["answer"]);
        Assert.Equal(Store.InstanceState.Completed, await h.StateAsync(instance.Id));
    }

    [Fact]
    public async Task Camunda_AsyncBeforeDelegateExpression_RunsAsJob()
    {
        var handler = TestHandlers.Noop("prepareDelegate");
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "child-v2.bpmn", "vendor-camunda-call.bpmn"], [handler]);
        var instance = await h.StartProcessAsync("camundaCaller", new { budget = 800000m }, "ZB-CAM");
        var callsBeforeJob = handler.Calls;

        await h.RunJobsAsync();

        Assert.Equal(0, callsBeforeJob);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task Camunda_CallActivityVersionBindingAndBusinessKey_AreApplied()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "child-v2.bpmn", "vendor-camunda-call.bpmn"], [TestHandlers.Noop("prepareDelegate")]);
        var instance = await h.StartProcessAsync("camundaCaller", new { budget = 800000m }, "ZB-CAM");

        await h.RunJobsAsync();

        var child = Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = instance.Id }));
        Assert.Equal(1, child.ProcessVersion);
        Assert.Equal("ZB-CAM", child.BusinessKey);
        Assert.Equal(800000m, (await h.VariablesAsync(child.Id))["childBudget"]);
    }

    [Fact]
    public async Task Camunda_CallActivityOutMapping_CopiesChildResultAndParentCompletes()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "child-v2.bpmn", "vendor-camunda-call.bpmn"], [TestHandlers.Noop("prepareDelegate")]);
        var instance = await h.StartProcessAsync("camundaCaller", new { budget = 800000m }, "ZB-CAM");
        await h.RunJobsAsync();
        var child = Assert.Single(await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = instance.Id }));

        await h.CompleteAsync(child.Id, "childTask", new { verdict = "通过" });

        Assert.Equal("通过", (await h.VariablesAsync(instance.Id))["verdict"]);
        Assert.Equal(Store.InstanceState.Completed, await h.StateAsync(instance.Id));
    }
}
