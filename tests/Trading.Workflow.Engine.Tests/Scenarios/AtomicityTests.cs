using Trading.Workflow.Engine.Handlers;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Tests.Scenarios.Support;

namespace Trading.Workflow.Engine.Tests.Scenarios;

/// <summary>Issue 3 item 6: a command stores all of its effects, on every instance it touched, or none.</summary>
public sealed class AtomicityTests
{
    [Fact]
    public async Task SignalBroadcast_OneReceiverFails_NoReceiverAdvances()
    {
        await using var h = await EngineTestHost.ScenarioAsync("extra/signalThenGateway.bpmn");
        var healthy = await h.StartProcessAsync("signalThenGateway", new { bids = 5 });
        var broken = await h.StartProcessAsync("signalThenGateway", new { bids = 1 });
        var healthyBefore = await h.SnapshotAsync(healthy.Id);
        var brokenBefore = await h.SnapshotAsync(broken.Id);

        await Assert.ThrowsAsync<NoFlowSelectedException>(async () => await h.Engine.BroadcastSignalAsync("开标"));

        Assert.Equal(healthyBefore, await h.SnapshotAsync(healthy.Id));
        Assert.Equal(brokenBefore, await h.SnapshotAsync(broken.Id));
    }

    [Fact]
    public async Task HandlerThrowsDuringComplete_CommandFailsAndLeavesNoTrace()
    {
        var handler = new DelegateHandler("raiser", (ServiceTaskContext c) =>
        {
            c.SetVariable("halfDone", true);
            throw new InvalidOperationException("registry unavailable");
        });
        await using var h = await EngineTestHost.ScenarioAsync(["errors"], [handler]);
        var instance = await h.StartProcessAsync("errorUncaught");
        var before = await h.SnapshotAsync(instance.Id);

        await Assert.ThrowsAnyAsync<Exception>(async () => await h.CompleteAsync(instance.Id, "prepare", new { note = "x" }));

        Assert.Equal(before, await h.SnapshotAsync(instance.Id));
    }

    [Fact]
    public async Task CompleteWithUnsupportedVariableType_IsRefusedAndTaskStaysOpen()
    {
        await using var h = await EngineTestHost.ScenarioAsync("start-none.bpmn");
        var instance = await h.StartProcessAsync("startNone");
        var before = await h.SnapshotAsync(instance.Id);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await h.CompleteAsync(instance.Id, "work", new Dictionary<string, object?> { ["stream"] = new MemoryStream() }));

        Assert.Equal(before, await h.SnapshotAsync(instance.Id));
    }

    [Fact]
    public async Task ParallelTasksCompletedConcurrently_JoinFiresExactlyOnce()
    {
        await using var h = await EngineTestHost.ScenarioAsync("gateways");
        for (var round = 0; round < 20; round++)
        {
            var instance = await h.StartProcessAsync("parallel");
            var tasks = await h.OpenTasksAsync(instance.Id);

            var attempts = tasks.Select(t => Task.Run(async () => await CompleteRetryingOnConflictAsync(h.Engine, t.Id))).ToArray();
            await Task.WhenAll(attempts);

            Assert.Equal(["after"], await h.OpenTaskIdsAsync(instance.Id));
        }
    }

    /// <summary>What a client does on a concurrency conflict: reload and try again while the task is still open.</summary>
    private static async Task CompleteRetryingOnConflictAsync(IWorkflowEngine engine, Guid taskId)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                await engine.CompleteTaskAsync(taskId);
                return;
            }
            catch (WorkflowConflictException)
            {
                if ((await engine.GetTaskAsync(taskId))?.State != Store.UserTaskState.Open)
                {
                    throw;
                }
            }
        }

        throw new InvalidOperationException($"task {taskId} could not be completed");
    }
}
