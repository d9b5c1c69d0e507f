using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Tests.Runtime;

/// <summary><see cref="IWorkflowEngine.SetTaskDueAsync"/> on the in-memory store: an open task's due date moves, with its history.</summary>
public sealed class TaskDueTests
{
    [Fact]
    public async Task SetTaskDue_MovesAnOpenTasksDueDate_AndRecordsOldNewAndReason()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");
        var instance = await host.StartAsync("tasks", new { projectCode = "X", budget = 1m, reviewRole = "r", urgent = false });
        var task = await host.TaskAsync(instance.Id, "audit");
        var before = task.Due;
        var later = (before ?? DateTimeOffset.UnixEpoch).AddDays(1);

        await host.Engine.SetTaskDueAsync(task.Id, later, "more time", "staff");

        Assert.Equal(later, (await host.Engine.GetTaskAsync(task.Id))!.Due);
        var entry = Assert.Single(await host.Engine.GetHistoryAsync(instance.Id), e => e.Type == HistoryEventType.TaskDueChanged);
        Assert.Equal((task.Id, "more time", "staff"), (entry.TaskId!.Value, entry.Details, entry.UserId));
        Assert.Equal(before, (DateTimeOffset?)entry.OldValue);
        Assert.Equal(later, (DateTimeOffset?)entry.NewValue);
    }

    [Fact]
    public async Task SetTaskDue_SameDateChangesNothing_AndAClosedTaskIsRefused()
    {
        await using var host = await EngineTestHost.StartAsync("tasks.bpmn");
        var instance = await host.StartAsync("tasks", new { projectCode = "X", budget = 1m, reviewRole = "r", urgent = false });
        var task = await host.TaskAsync(instance.Id, "audit");

        await host.Engine.SetTaskDueAsync(task.Id, task.Due);
        Assert.DoesNotContain(await host.Engine.GetHistoryAsync(instance.Id), e => e.Type == HistoryEventType.TaskDueChanged);

        await host.Engine.CompleteTaskAsync(task.Id, null, "bob");
        await Assert.ThrowsAsync<WorkflowConflictException>(() => host.Engine.SetTaskDueAsync(task.Id, DateTimeOffset.UnixEpoch).AsTask());
    }
}
