using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class ActivityTests
{
    private static readonly string[] Reviewers = ["ann", "ben", "cid"];

    [Fact]
    public async Task ParallelMultiInstance_CreatesOneTaskPerElementWithRenderedNames()
    {
        await using var host = await EngineTestHost.StartAsync("multi-instance.bpmn");

        var instance = await host.StartAsync("multiInstance", new { reviewers = Reviewers, quorum = 3 });

        var tasks = await host.OpenTasksAsync(instance.Id);
        Assert.Equal(["Review 0 by ann", "Review 1 by ben", "Review 2 by cid"], tasks.Select(t => t.Name).Order());
        Assert.Equal(["ann", "ben", "cid"], tasks.Select(t => t.Assignee).Order());
    }

    [Fact]
    public async Task ParallelMultiInstance_CompletionCondition_CancelsRemainingInstances()
    {
        await using var host = await EngineTestHost.StartAsync("multi-instance.bpmn");
        var instance = await host.StartAsync("multiInstance", new { reviewers = Reviewers, quorum = 2 });
        var tasks = await host.OpenTasksAsync(instance.Id);

        await host.Engine.CompleteTaskAsync(tasks[0].Id);
        await host.Engine.CompleteTaskAsync(tasks[1].Id);

        Assert.Equal(["done"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Equal(UserTaskState.Cancelled, (await host.Engine.GetTaskAsync(tasks[2].Id))!.State);
    }

    [Fact]
    public async Task ParallelMultiInstance_AllComplete_Continues()
    {
        await using var host = await EngineTestHost.StartAsync("multi-instance.bpmn");
        var instance = await host.StartAsync("multiInstance", new { reviewers = Reviewers, quorum = 99 });

        foreach (var task in await host.OpenTasksAsync(instance.Id))
        {
            await host.Engine.CompleteTaskAsync(task.Id);
        }

        Assert.Equal(["done"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ParallelMultiInstance_EmptyCollection_SkipsActivity()
    {
        await using var host = await EngineTestHost.StartAsync("multi-instance.bpmn");

        var instance = await host.StartAsync("multiInstance", new { reviewers = Array.Empty<string>(), quorum = 1 });

        Assert.Equal(["done"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task SequentialMultiInstance_OneAtATimeWithCounters()
    {
        await using var host = await EngineTestHost.StartAsync("multi-instance.bpmn");
        var instance = await host.StartAsync("sequential");
        var names = new List<string?>();

        for (var i = 0; i < 3; i++)
        {
            var open = Assert.Single(await host.OpenTasksAsync(instance.Id));
            names.Add(open.Name);
            await host.Engine.CompleteTaskAsync(open.Id);
        }

        Assert.Equal(["Step 0 of 3", "Step 1 of 3", "Step 2 of 3"], names);
        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task MultiInstance_VariablesStayInTheirScope()
    {
        await using var host = await EngineTestHost.StartAsync("multi-instance.bpmn");
        var instance = await host.StartAsync("multiInstance", new { reviewers = Reviewers, quorum = 3 });

        var variables = await host.VariablesAsync(instance.Id);

        Assert.False(variables.ContainsKey("loopCounter"));
        Assert.False(variables.ContainsKey("reviewer"));
        Assert.False(variables.ContainsKey("nrOfInstances"));
    }

    [Fact]
    public async Task UserTask_AttributesEvaluatedAtCreation()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");

        var instance = await host.StartAsync("tasks", new { projectCode = "GC2026-017", budget = 1500.50m, reviewRole = "auditors", urgent = true });

        var task = await host.TaskAsync(instance.Id, "audit");
        Assert.Equal("审核 GC2026-017 招标公告", task.Name);
        Assert.Equal("Project GC2026-017, budget 1500.5", task.Documentation);
        Assert.Equal(["bob", "carol"], task.CandidateUsers);
        Assert.Equal(["auditors"], task.CandidateRoles);
        Assert.Equal(80, task.Priority);
        Assert.Equal("forms/audit", task.FormKey);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.FromHours(8)), task.Due);
    }

    [Fact]
    public async Task UserTask_CandidateUserSeesTaskInInbox()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");
        await host.StartAsync("tasks", new { projectCode = "X", budget = 1m, reviewRole = "auditors", urgent = false });

        var bob = await host.Engine.GetOpenTasksForUserAsync("bob");

        Assert.Equal("audit", Assert.Single(bob).ElementId);
    }

    [Fact]
    public async Task TaskQuery_DueBefore_ReturnsOnlyOpenTasksDueByThen()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");
        var early = await host.StartAsync("tasks", new { projectCode = "A", budget = 1m, reviewRole = "r", urgent = false });
        host.Clock.Advance(TimeSpan.FromDays(1));
        await host.StartAsync("tasks", new { projectCode = "B", budget = 1m, reviewRole = "r", urgent = false });
        var withoutDue = await host.StartAsync("tasks", new { projectCode = "C", budget = 1m, reviewRole = "r", urgent = false });
        await host.CompleteAsync(withoutDue.Id, "audit");

        // Five working days from Monday 2 March 09:00 (Beijing): the first audit is due 9 March 09:00, the others a day later.
        var due = await host.Engine.GetTasksAsync(new TaskQuery { DueBefore = new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.FromHours(8)) });

        Assert.Equal((early.Id, "audit"), (Assert.Single(due).InstanceId, due[0].ElementId));
    }

    [Fact]
    public async Task SubProcess_InputMappingIsLocalAndOutputMappingWritesBack()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");
        var instance = await host.StartAsync("tasks", new { projectCode = "X", budget = 10m, reviewRole = "r", urgent = false });
        await host.CompleteAsync(instance.Id, "audit");
        var inner = await host.TaskAsync(instance.Id, "inner");

        await host.Engine.CompleteTaskAsync(inner.Id);

        Assert.Equal("Inner 20", inner.Name);
        var variables = await host.VariablesAsync(instance.Id);
        Assert.Equal(20m, variables["doubled"]);
        Assert.False(variables.ContainsKey("local"));
        Assert.Equal(InstanceState.Completed, (await host.InstanceAsync(instance.Id)).State);
    }

    [Fact]
    public async Task Claim_ThenClaimByOther_ThrowsConflict()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");
        var instance = await host.StartAsync("tasks", new { projectCode = "X", budget = 1m, reviewRole = "r", urgent = false });
        var task = await host.TaskAsync(instance.Id, "audit");

        await host.Engine.ClaimTaskAsync(task.Id, "bob");

        await Assert.ThrowsAsync<WorkflowConflictException>(() => host.Engine.ClaimTaskAsync(task.Id, "carol").AsTask());
        var claimed = (await host.Engine.GetTaskAsync(task.Id))!;
        Assert.Equal("bob", claimed.Assignee);
        Assert.Equal(EngineTestHost.StartTime, claimed.ClaimedAt);
    }

    [Fact]
    public async Task Unclaim_ReturnsTaskToCandidates()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");
        var instance = await host.StartAsync("tasks", new { projectCode = "X", budget = 1m, reviewRole = "r", urgent = false });
        var task = await host.TaskAsync(instance.Id, "audit");
        await host.Engine.ClaimTaskAsync(task.Id, "bob");

        await host.Engine.UnclaimTaskAsync(task.Id, "bob");

        Assert.Single(await host.Engine.GetOpenTasksForUserAsync("carol"));
    }

    [Fact]
    public async Task Delegate_MovesTaskAndKeepsOwnerAndNote()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");
        var instance = await host.StartAsync("tasks", new { projectCode = "X", budget = 1m, reviewRole = "r", urgent = false });
        var task = await host.TaskAsync(instance.Id, "audit");
        await host.Engine.AssignTaskAsync(task.Id, "bob", "lead");

        await host.Engine.DelegateTaskAsync(task.Id, "dora", "please check the budget", "bob");

        var delegated = (await host.Engine.GetTaskAsync(task.Id))!;
        Assert.Equal("dora", delegated.Assignee);
        Assert.Equal("bob", delegated.Owner);
        var entry = Assert.Single(await host.Engine.GetHistoryAsync(instance.Id), e => e.Type == HistoryEventType.TaskDelegated);
        Assert.Equal("please check the budget", entry.Details);
        Assert.Equal("bob", entry.UserId);
    }

    [Fact]
    public async Task MultiInstanceSubProcess_OneScopePerElement_ThenSequentialCallActivity()
    {
        await using var host = await EngineTestHost.StartAsync("multi-instance.bpmn");
        var instance = await host.StartAsync("miScopes", new { lotNames = new[] { "Lot 1", "Lot 2" }, nrOfLots = 2 });
        var lots = await host.OpenTasksAsync(instance.Id);

        foreach (var lot in lots)
        {
            await host.Engine.CompleteTaskAsync(lot.Id);
        }

        Assert.Equal(["Evaluate Lot 1", "Evaluate Lot 2"], lots.Select(t => t.Name).Order());
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = instance.Id, State = InstanceState.Active }));
        Assert.Equal("sequential", child.ProcessId);
        Assert.Empty(await host.Engine.GetTimersAsync(instance.Id));
    }

    [Fact]
    public async Task BoundaryTimerOnMultiInstanceSubProcess_CancelsEveryInstance()
    {
        await using var host = await EngineTestHost.StartAsync("multi-instance.bpmn");
        var instance = await host.StartAsync("miScopes", new { lotNames = new[] { "Lot 1", "Lot 2" }, nrOfLots = 2 });
        host.Clock.Advance(TimeSpan.FromDays(1));

        await host.Engine.FireDueTimersAsync();

        Assert.Equal(["late"], await host.OpenTaskIdsAsync(instance.Id));
    }
}
