using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// <see cref="IWorkflowEngine.SetTaskDueAsync"/> on the durable store: the moved due date is stored (a second node reads
/// it, the inbox orders by it) and its history row joins the instance's chain.
/// </summary>
public abstract class TaskDueContract
{
    protected abstract DatabaseProvider Provider { get; }

    [Fact]
    public async Task SetTaskDue_IsStored_OrdersTheInbox_AndKeepsTheHistoryChain()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var first = await host.Engine.StartAsync("approval", "BK-D1", null, "alice");
        var second = await host.Engine.StartAsync("approval", "BK-D2", null, "alice");
        var firstTask = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = first.Id }));
        var secondTask = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = second.Id }));
        var early = DurableHost.StartTime.AddDays(2);
        var late = DurableHost.StartTime.AddDays(5);
        await host.Engine.SetTaskDueAsync(firstTask.Id, late, "first");
        await host.Engine.SetTaskDueAsync(secondTask.Id, early, "second");

        // Moved again, later than the other: the inbox follows the stored date.
        await host.Engine.SetTaskDueAsync(secondTask.Id, late.AddDays(1), "extended", "staff");

        await using var other = DurableHost.StartBeside(host);
        Assert.Equal(late, (await other.Engine.GetTaskAsync(firstTask.Id))!.Due);
        Assert.Equal(late.AddDays(1), (await other.Engine.GetTaskAsync(secondTask.Id))!.Due);
        var inbox = await other.Engine.GetOpenTasksForUserAsync("bob", ["approver"]);
        Assert.Equal([firstTask.Id, secondTask.Id], inbox.Select(t => t.Id));
        var moves = (await other.Engine.GetHistoryAsync(second.Id)).Where(e => e.Type == HistoryEventType.TaskDueChanged).ToList();
        Assert.Equal(["second", "extended"], moves.Select(e => e.Details));
        Assert.Equal("staff", moves[1].UserId);
        var chain = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<HistoryChainVerifier>(other.Services)
            .VerifyInstanceAsync(second.Id);
        Assert.True(chain!.IsIntact, chain.ToString());
    }
}

public sealed class SqliteTaskDueTests : TaskDueContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlTaskDueTests : TaskDueContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
