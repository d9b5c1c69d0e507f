using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Tests.Runtime;

public sealed class AtomicityTests
{
    [Fact]
    public async Task Complete_NoFlowSelected_ThrowsAndLeavesNoTrace()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");
        var task = await host.TaskAsync(instance.Id, "enter");
        var historyBefore = (await host.Engine.GetHistoryAsync(instance.Id)).Count;
        var versionBefore = (await host.InstanceAsync(instance.Id)).Version;

        var error = await Assert.ThrowsAsync<NoFlowSelectedException>(() => host.Engine.CompleteTaskAsync(task.Id, EngineTestHost.Vars(new { amount = 5 })).AsTask());

        Assert.Equal("route", error.ElementId);
        Assert.Equal(UserTaskState.Open, (await host.Engine.GetTaskAsync(task.Id))!.State);
        Assert.Equal(versionBefore, (await host.InstanceAsync(instance.Id)).Version);
        Assert.False((await host.VariablesAsync(instance.Id)).ContainsKey("amount"));
        Assert.Equal(historyBefore, (await host.Engine.GetHistoryAsync(instance.Id)).Count);
    }

    [Fact]
    public async Task Complete_UnknownVariableInCondition_ThrowsUnknownVariable()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");

        var error = await Assert.ThrowsAsync<UnknownVariableException>(() => host.CompleteAsync(instance.Id, "enter"));

        Assert.Equal("amount", error.VariableName);
        Assert.Equal(["enter"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task ExclusiveGateway_FirstTrueConditionInDocumentOrderWins()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");

        await host.CompleteAsync(instance.Id, "enter", new { amount = 500 });

        Assert.Equal(["big"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Complete_TaskAlreadyCompleted_ThrowsConflict()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");
        var task = await host.TaskAsync(instance.Id, "enter");
        await host.Engine.CompleteTaskAsync(task.Id, EngineTestHost.Vars(new { amount = 50 }));

        var error = await Assert.ThrowsAsync<WorkflowConflictException>(() => host.Engine.CompleteTaskAsync(task.Id).AsTask());

        Assert.Equal("conflict", error.Code);
        Assert.Equal(["medium"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Complete_UnknownTask_ThrowsNotFound()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");

        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.Engine.CompleteTaskAsync(Guid.NewGuid()).AsTask());
    }

    [Fact]
    public async Task Complete_TwoConcurrentCompletes_ExactlyOneSucceeds()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");
        var task = await host.TaskAsync(instance.Id, "enter");
        using var gate = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
        {
            gate.Wait();
            await host.Engine.CompleteTaskAsync(task.Id, EngineTestHost.Vars(new { amount = 50 + i }), $"user{i}");
        })).ToArray();
        gate.Set();
        var results = await Task.WhenAll(attempts.Select(async t =>
        {
            try
            {
                await t;
                return "ok";
            }
            catch (WorkflowConflictException)
            {
                return "conflict";
            }
        }));

        Assert.Equal(["conflict", "ok"], results.Order());
        Assert.Equal(["medium"], await host.OpenTaskIdsAsync(instance.Id));
        Assert.Equal(2, (await host.InstanceAsync(instance.Id)).Version);
    }

    [Fact]
    public async Task Commit_StaleInstanceVersion_ThrowsConflict()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");
        await using var first = await host.Store.OpenSessionAsync();
        await using var second = await host.Store.OpenSessionAsync();
        var a = (await first.LoadInstanceAsync(instance.Id))!;
        var b = (await second.LoadInstanceAsync(instance.Id))!;
        var commitA = new WorkflowChangeSet();
        commitA.Instances.Add(new InstanceChange(a, a.Version, false));
        await first.CommitAsync(commitA);
        var commitB = new WorkflowChangeSet();
        commitB.Instances.Add(new InstanceChange(b, b.Version, false));

        await Assert.ThrowsAsync<WorkflowConflictException>(() => second.CommitAsync(commitB).AsTask());
    }

    [Fact]
    public async Task SuspendedInstance_RefusesCompleteUntilResumed()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");
        await host.Engine.SuspendInstanceAsync(instance.Id, "audit", "admin");

        await Assert.ThrowsAsync<InstanceSuspendedException>(() => host.CompleteAsync(instance.Id, "enter", new { amount = 50 }));
        await host.Engine.ResumeInstanceAsync(instance.Id, "audit done", "admin");
        await host.CompleteAsync(instance.Id, "enter", new { amount = 50 });

        Assert.Equal(["medium"], await host.OpenTaskIdsAsync(instance.Id));
    }

    [Fact]
    public async Task Cancel_CancelsTasksAndRecordsWhoAndWhy()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");
        var task = await host.TaskAsync(instance.Id, "enter");

        await host.Engine.CancelInstanceAsync(instance.Id, "withdrawn by bidder", "admin");

        var after = await host.InstanceAsync(instance.Id);
        Assert.Equal(InstanceState.Cancelled, after.State);
        Assert.Equal(UserTaskState.Cancelled, (await host.Engine.GetTaskAsync(task.Id))!.State);
        var cancelled = Assert.Single(await host.Engine.GetHistoryAsync(instance.Id), e => e.Type == History.HistoryEventType.InstanceCancelled);
        Assert.Equal("admin", cancelled.UserId);
        Assert.Equal("withdrawn by bidder", cancelled.Details);
    }

    [Fact]
    public async Task Complete_OnCancelledInstance_ThrowsConflict()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");
        var task = await host.TaskAsync(instance.Id, "enter");
        await host.Engine.CancelInstanceAsync(instance.Id);

        await Assert.ThrowsAsync<WorkflowConflictException>(() => host.Engine.CompleteTaskAsync(task.Id).AsTask());
    }

    [Fact]
    public async Task Start_NonExecutableProcess_IsRefused()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");

        await Assert.ThrowsAsync<WorkflowDefinitionException>(() => host.StartAsync("notExecutable"));
    }

    [Fact]
    public async Task Start_HandlerThrows_FailsWithHandlerErrorAndLeavesNoInstance()
    {
        await using var host = await EngineTestHost.StartAsync(["benchmark.bpmn"], b => b.AddHandler(new BrokenRecordHandler()));

        var error = await Assert.ThrowsAsync<WorkflowHandlerException>(() => host.StartAsync("benchmark", new { input = 75 }));

        Assert.Equal("score", error.ElementId);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(0, host.Store.InstanceCount);
        Assert.Empty(await host.Engine.GetOpenTasksForUserAsync("alice"));
    }

    [Fact]
    public async Task Complete_VariableOfUnsupportedType_ThrowsInvalidVariable()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        var instance = await host.StartAsync("exclusive");

        var error = await Assert.ThrowsAsync<InvalidVariableException>(() => host.CompleteAsync(instance.Id, "enter", new { amount = new object() }));

        Assert.Equal("amount", error.VariableName);
        Assert.Equal(["enter"], await host.OpenTaskIdsAsync(instance.Id));
    }

    private sealed class BrokenRecordHandler : Handlers.IServiceTaskHandler
    {
        public string Name => "record";

        public string Description => "Always times out (tests)";

        public ValueTask ExecuteAsync(Handlers.ServiceTaskContext context)
        {
            context.SetVariable("partial", "written before the failure");
            throw new TimeoutException("scoring service timed out");
        }
    }
}

public sealed class StartBeforeCommitTests
{
    [Fact]
    public async Task Start_BeforeCommit_SeesTheNewInstanceAtItsFirstWaitState()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        ProcessInstanceInfo? seen = null;

        var started = await host.Engine.StartAsync(new StartInstanceRequest("exclusive")
        {
            BusinessKey = "P-1",
            BeforeCommit = (_, instance, _) =>
            {
                seen = instance;
                return ValueTask.CompletedTask;
            },
        });

        Assert.NotNull(seen);
        Assert.Equal((started.Id, "P-1"), (seen.Id, seen.BusinessKey));
        Assert.Equal(["enter"], await host.OpenTaskIdsAsync(started.Id));
    }

    [Fact]
    public async Task Start_BeforeCommitThrows_StoresNothing()
    {
        await using var host = await EngineTestHost.StartAsync("exclusive.bpmn");
        Guid attempted = Guid.Empty;

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Engine.StartAsync(new StartInstanceRequest("exclusive")
        {
            BusinessKey = "P-2",
            BeforeCommit = (_, instance, _) =>
            {
                attempted = instance.Id;
                throw new InvalidOperationException("the caller's own write failed");
            },
        }).AsTask());

        Assert.NotEqual(Guid.Empty, attempted);
        Assert.Null(await host.Engine.GetInstanceAsync(attempted));
        Assert.Empty(await host.Engine.GetInstancesAsync(new InstanceQuery { BusinessKey = "P-2" }));
    }
}
