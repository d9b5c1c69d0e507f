using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class BasicFlowTests
{
    private static Task<EngineTestHost> HostAsync(RecordingHandler? handler = null) =>
        EngineTestHost.StartAsync(["benchmark.bpmn"], b => b.AddHandler(handler ?? new RecordingHandler()));

    [Fact]
    public async Task Start_RunsServiceTaskAndForks_TwoTasksOpen()
    {
        var handler = new RecordingHandler();
        await using var host = await HostAsync(handler);

        var instance = await host.StartAsync("benchmark", new { input = 75 }, businessKey: "BK-1");

        Assert.Equal(["taskA", "taskB"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Equal(1, handler.Calls);
        Assert.Equal("BK-1", handler.LastBusinessKey);
        Assert.Equal(InstanceState.Active, instance.State);
    }

    [Fact]
    public async Task Start_NumbersAreStoredAsDecimal()
    {
        await using var host = await HostAsync();

        var instance = await host.StartAsync("benchmark", new { input = 75 });

        Assert.Equal(75m, (await host.VariablesAsync(instance.Id))["score"]);
    }

    [Fact]
    public async Task CompleteBothTasks_JoinFires_InstanceCompleted()
    {
        await using var host = await HostAsync();
        var instance = await host.StartAsync("benchmark", new { input = 75 });

        await host.CompleteAsync(instance.Id, "taskA");
        await host.CompleteAsync(instance.Id, "taskB");

        var after = await host.InstanceAsync(instance.Id);
        Assert.Equal(InstanceState.Completed, after.State);
        Assert.Equal(EngineTestHost.StartTime, after.EndedAt);
    }

    [Fact]
    public async Task CompleteOneTask_JoinWaits_InstanceActive()
    {
        await using var host = await HostAsync();
        var instance = await host.StartAsync("benchmark", new { input = 75 });

        await host.CompleteAsync(instance.Id, "taskA");

        Assert.Equal(["taskB"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Equal(InstanceState.Active, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task ExclusiveGateway_NoConditionTrue_TakesDefaultFlow()
    {
        await using var host = await HostAsync();

        var instance = await host.StartAsync("benchmark", new { input = 10 });

        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Empty(await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task History_RecordsInstanceActivitiesAndTasksInOrder()
    {
        await using var host = await HostAsync();
        var instance = await host.StartAsync("benchmark", new { input = 75 });
        await host.CompleteAsync(instance.Id, "taskA", user: "alice");

        var history = await host.Engine.GetHistoryAsync(instance.Id);

        Assert.Equal(HistoryEventType.InstanceStarted, history[0].Type);
        Assert.Equal("starter", history[0].UserId);
        Assert.Contains(history, e => e.Type == HistoryEventType.ActivityCompleted && e.ElementId == "score");
        Assert.Contains(history, e => e.Type == HistoryEventType.TaskCompleted && e.ElementId == "taskA" && e.UserId == "alice");
        Assert.Contains(history, e => e.Type == HistoryEventType.VariableCreated && e.VariableName == "score" && Equals(e.NewValue, 75m));
        Assert.True(history.Select(e => e.Sequence).SequenceEqual(history.Select(e => e.Sequence).Order()));
    }

    [Fact]
    public async Task OpenTasksForUser_FindsAssignedAndCandidateRoleTasks()
    {
        await using var host = await HostAsync();
        await host.StartAsync("benchmark", new { input = 75 });

        var alice = await host.Engine.GetOpenTasksForUserAsync("alice");
        var clerk = await host.Engine.GetOpenTasksForUserAsync("dave", ["clerks"]);
        var stranger = await host.Engine.GetOpenTasksForUserAsync("eve", ["auditors"]);

        Assert.Equal("taskA", Assert.Single(alice).ElementId);
        Assert.Equal("taskB", Assert.Single(clerk).ElementId);
        Assert.Empty(stranger);
    }

    [Fact]
    public async Task Start_UnknownProcess_ThrowsNotFound()
    {
        await using var host = await HostAsync();

        var error = await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.StartAsync("nope"));

        Assert.Equal("not_found", error.Code);
        Assert.Contains("nope", error.MessageZh);
    }

    [Fact]
    public async Task Deploy_Twice_StartUsesLatestVersion()
    {
        await using var host = await HostAsync();
        var again = await host.Engine.DeployAsync(Trading.Workflow.Engine.Parsing.BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn", "benchmark.bpmn")));

        var instance = await host.StartAsync("benchmark", new { input = 75 });

        Assert.Equal(2, Assert.Single(again).Version);
        Assert.Equal(2, instance.ProcessVersion);
    }

    [Fact]
    public async Task Deploy_UnknownHandler_RefusedWithProblems()
    {
        await using var host = await EngineTestHost.StartAsync();

        var error = await Assert.ThrowsAsync<WorkflowValidationException>(() => host.Engine.DeployAsync(Trading.Workflow.Engine.Parsing.BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Runtime", "Bpmn", "benchmark.bpmn"))).AsTask());

        Assert.Contains(error.Problems, p => p.ElementId == "score");
    }

    [Fact]
    public async Task Start_WithoutHandlerRegistered_FailsAndLeavesNoInstance()
    {
        await using var host = await EngineTestHost.StartAsync(["benchmark.bpmn"], options: o => o.ValidateOnDeploy = false);

        await Assert.ThrowsAsync<WorkflowDefinitionException>(() => host.StartAsync("benchmark", new { input = 75 }));

        Assert.Equal(0, host.Store.InstanceCount);
    }

    [Fact]
    public async Task Start_UnknownHandlerInNoOpMode_PassesThrough()
    {
        await using var host = await EngineTestHost.StartAsync(["benchmark.bpmn"], options: o => o.UnknownHandlersAreNoOps = true);

        var instance = await host.StartAsync("benchmark", new { score = 90 });

        Assert.Equal(["taskA", "taskB"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task LatestDefinitions_ListEveryDeployedProcessWithVersion()
    {
        await using var host = await EngineTestHost.StartAsync(["multi-instance.bpmn"]);

        var definitions = await host.Engine.GetLatestDefinitionsAsync();

        Assert.Equal(["miScopes", "multiInstance", "sequential"], definitions.Select(d => d.ProcessId));
        Assert.All(definitions, d => Assert.Equal(1, d.Version));
    }
}
