using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

public sealed class MultiInstanceTests
{
    private static Task<EngineTestHost> StartAsync(string processId, params IServiceTaskHandler[] handlers) =>
        EngineTestHost.ScenarioAsync([$"multi-instance/{processId}.bpmn"], handlers);

    [Fact]
    public async Task ParallelCardinality_CreatesAllInstancesAtOnceWithLoopCounterInName()
    {
        await using var h = await StartAsync("miParallelCardinality");

        var instance = await h.StartProcessAsync("miParallelCardinality");

        var names = (await h.OpenTasksAsync(instance.Id)).Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["My Task 0", "My Task 1", "My Task 2"], names);
    }

    [Fact]
    public async Task Parallel_NotAllInstancesCompleted_ActivityWaits()
    {
        await using var h = await StartAsync("miParallelCardinality");
        var instance = await h.StartProcessAsync("miParallelCardinality");
        var tasks = await h.OpenTasksAsync(instance.Id);

        await h.Engine.CompleteTaskAsync(tasks[0].Id);
        await h.Engine.CompleteTaskAsync(tasks[1].Id);

        Assert.Equal(["review"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Parallel_AllInstancesCompleted_ContinuesOnce()
    {
        await using var h = await StartAsync("miParallelCardinality");
        var instance = await h.StartProcessAsync("miParallelCardinality");

        foreach (var task in await h.OpenTasksAsync(instance.Id))
        {
            await h.Engine.CompleteTaskAsync(task.Id);
        }

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task SequentialCollection_OneInstanceAtATimeWithElementVariable()
    {
        await using var h = await StartAsync("miSequentialCollection");
        var instance = await h.StartProcessAsync("miSequentialCollection", new { signers = new[] { "zhao", "qian", "sun" } });
        var assignees = new List<string?>();

        for (var i = 0; i < 3; i++)
        {
            var task = Assert.Single(await h.OpenTasksAsync(instance.Id));
            assignees.Add(task.Assignee);
            await h.Engine.CompleteTaskAsync(task.Id);
        }

        Assert.Equal(["zhao", "qian", "sun"], assignees);
        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task SequentialCollection_Empty_SkipsTheActivity()
    {
        await using var h = await StartAsync("miSequentialCollection");

        // Camunda 7 and Flowable: an empty collection creates no instance and the activity completes at once.
        var instance = await h.StartProcessAsync("miSequentialCollection", new { signers = Array.Empty<string>() });

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Sequential_LoopVariables_SeenByEachInstance()
    {
        var seen = new List<string>();
        var recorder = new DelegateHandler("recorder", (ServiceTaskContext c) => seen.Add(
            $"{c.GetVariable("loopCounter")}:{c.GetVariable("nrOfInstances")}:{c.GetVariable("nrOfActiveInstances")}:{c.GetVariable("nrOfCompletedInstances")}"));
        await using var h = await StartAsync("miSequentialService", recorder);

        await h.StartProcessAsync("miSequentialService", new { count = 3 });

        // loopCounter:nrOfInstances:nrOfActiveInstances:nrOfCompletedInstances, as Camunda 7 documents them for sequential loops.
        Assert.Equal(["0:3:1:0", "1:3:1:1", "2:3:1:2"], seen);
    }

    [Fact]
    public async Task Sequential_CardinalityExpression_RunsThatManyTimes()
    {
        var recorder = TestHandlers.Noop("recorder");
        await using var h = await StartAsync("miSequentialService", recorder);

        await h.StartProcessAsync("miSequentialService", new { count = 4 });

        Assert.Equal(4, recorder.Calls);
    }

    [Fact]
    public async Task Sequential_LoopVariables_AreNotLeftOnTheProcess()
    {
        await using var h = await StartAsync("miSequentialService", TestHandlers.Noop("recorder"));

        var instance = await h.StartProcessAsync("miSequentialService", new { count = 2 });

        var variables = await h.VariablesAsync(instance.Id);
        Assert.DoesNotContain("loopCounter", variables.Keys);
        Assert.DoesNotContain("nrOfInstances", variables.Keys);
    }

    [Fact]
    public async Task Parallel_CompletionConditionMet_CancelsRemainingInstancesAndContinues()
    {
        await using var h = await StartAsync("miParallelCompletion");
        var instance = await h.StartProcessAsync("miParallelCompletion");
        var tasks = await h.OpenTasksAsync(instance.Id);

        await h.Engine.CompleteTaskAsync(tasks[0].Id);
        await h.Engine.CompleteTaskAsync(tasks[1].Id);

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        await Assert.ThrowsAsync<WorkflowConflictException>(async () => await h.Engine.CompleteTaskAsync(tasks[2].Id));
    }

    [Fact]
    public async Task Parallel_CompletionConditionNotYetMet_KeepsWaiting()
    {
        await using var h = await StartAsync("miParallelCompletion");
        var instance = await h.StartProcessAsync("miParallelCompletion");

        await h.Engine.CompleteTaskAsync((await h.OpenTasksAsync(instance.Id))[0].Id);

        Assert.Equal(["vote", "vote"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ParallelSubProcess_Collection_EachInstanceHasItsOwnElementVariable()
    {
        await using var h = await StartAsync("miSubProcess");

        var instance = await h.StartProcessAsync("miSubProcess", new { lots = new[] { "标段一", "标段二" } });

        var names = (await h.OpenTasksAsync(instance.Id)).Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["评审 标段一", "评审 标段二"], names);
    }

    [Fact]
    public async Task ParallelSubProcess_AllInstancesCompleted_ContinuesAfterSubProcess()
    {
        await using var h = await StartAsync("miSubProcess");
        var instance = await h.StartProcessAsync("miSubProcess", new { lots = new[] { "标段一", "标段二" } });

        foreach (var task in await h.OpenTasksAsync(instance.Id))
        {
            await h.Engine.CompleteTaskAsync(task.Id);
        }

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.DoesNotContain("lot", (await h.VariablesAsync(instance.Id)).Keys);
    }

    [Fact]
    public async Task ParallelCallActivity_StartsOneChildPerInstance()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "call-activities"]);

        var parent = await h.StartProcessAsync("parentMultiCall");

        var children = await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent.Id });
        Assert.Equal(2, children.Count);
    }

    [Fact]
    public async Task ParallelCallActivity_AllChildrenComplete_ParentContinues()
    {
        await using var h = await EngineTestHost.ScenarioAsync(["child-v1.bpmn", "call-activities"]);
        var parent = await h.StartProcessAsync("parentMultiCall");

        foreach (var child in await h.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent.Id }))
        {
            await h.CompleteAsync(child.Id, "childTask");
        }

        Assert.Equal(["afterCall"], await h.OpenTaskIdsAsync(parent.Id));
    }

    [Fact]
    public async Task ParallelSubProcess_ObjectElements_NestedPropertyIsUsableInTemplates()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/miErrorBoundary.bpmn");
        var bidders = new[] { new Dictionary<string, object?> { ["name"] = "甲公司" }, new Dictionary<string, object?> { ["name"] = "乙公司" } };

        var instance = await h.StartProcessAsync("miErrorBoundary", new { bidders });

        var names = (await h.OpenTasksAsync(instance.Id)).Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["资格审查 乙公司", "资格审查 甲公司"], names);
    }

    [Fact]
    public async Task ParallelSubProcess_ErrorInOneInstance_BoundaryOnMultiInstanceCancelsAllInstances()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/miErrorBoundary.bpmn");
        var bidders = new[] { new Dictionary<string, object?> { ["name"] = "甲公司" }, new Dictionary<string, object?> { ["name"] = "乙公司" } };
        var instance = await h.StartProcessAsync("miErrorBoundary", new { bidders });
        var tasks = await h.OpenTasksAsync(instance.Id);

        await h.Engine.CompleteTaskAsync(tasks[0].Id, new Dictionary<string, object?> { ["fraud"] = true });

        Assert.Equal(["restart"], await h.OpenTaskIdsAsync(instance.Id));
        Assert.Equal(Store.UserTaskState.Cancelled, (await h.Engine.GetTaskAsync(tasks[1].Id))!.State);
    }

    [Fact]
    public async Task SequentialCompletionCondition_MetEarly_SkipsRemainingElements()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/miSequentialCompletion.bpmn");
        var instance = await h.StartProcessAsync("miSequentialCompletion", new { banks = new[] { "工商银行", "建设银行", "农业银行" }, accepted = false });
        await h.CompleteAsync(instance.Id, "askBank");

        await h.CompleteAsync(instance.Id, "askBank", new { accepted = true });

        Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task SequentialCompletionCondition_NotMet_AsksNextElement()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/miSequentialCompletion.bpmn");
        var instance = await h.StartProcessAsync("miSequentialCompletion", new { banks = new[] { "工商银行", "建设银行", "农业银行" }, accepted = false });

        await h.CompleteAsync(instance.Id, "askBank");

        Assert.Equal("询问 建设银行", Assert.Single(await h.OpenTasksAsync(instance.Id)).Name);
    }
}
