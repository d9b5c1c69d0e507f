using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.Inbox;

/// <summary>The inbox: open tasks a user may work on by assignee, candidate user or role; earliest due first; paged.</summary>
public abstract class InboxQueryContract
{
    protected abstract DatabaseProvider Provider { get; }

    private static async Task<Guid> TaskAsync(DurableHost host, string key, string? assignee, string users, string roles, DateTimeOffset? due)
    {
        var instance = await host.Engine.StartAsync("inbox", key, new Dictionary<string, object?>
        {
            ["assignee"] = assignee,
            ["users"] = users,
            ["roles"] = roles,
            ["due"] = due,
        });
        return (await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }))[0].Id;
    }

    private async Task<DurableHost> HostAsync()
    {
        var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/inbox.bpmn");
        return host;
    }

    [Fact]
    public async Task Inbox_AssigneeCandidateUserAndRole_AllFoundEarliestDueFirst()
    {
        await using var host = await HostAsync();
        var t0 = DurableHost.StartTime;
        var byRole = await TaskAsync(host, "K1", null, "", "clerk", t0.AddDays(1));
        var assigned = await TaskAsync(host, "K2", "alice", "", "", t0.AddDays(3));
        var byUser = await TaskAsync(host, "K3", null, "alice", "", t0.AddDays(2));
        var noDue = await TaskAsync(host, "K4", null, "", "clerk", null);
        await TaskAsync(host, "K5", null, "", "director", t0);

        var inbox = await host.Store.GetInboxAsync("alice", ["clerk"], 0, 50);

        Assert.Equal([byRole, byUser, assigned, noDue], inbox.Select(t => t.Id));
    }

    [Fact]
    public async Task Inbox_TaskClaimedBySomeoneElse_LeavesOtherCandidatesInboxes()
    {
        await using var host = await HostAsync();
        var task = await TaskAsync(host, "K1", null, "alice, bob", "", null);

        await host.Engine.ClaimTaskAsync(task, "bob");

        Assert.Empty(await host.Store.GetInboxAsync("alice", [], 0, 50));
        Assert.Equal([task], (await host.Store.GetInboxAsync("bob", [], 0, 50)).Select(t => t.Id));
    }

    [Fact]
    public async Task Inbox_CompletedTask_Disappears()
    {
        await using var host = await HostAsync();
        var task = await TaskAsync(host, "K1", "alice", "", "", null);

        await host.Engine.CompleteTaskAsync(task, null, "alice");

        Assert.Empty(await host.Engine.GetOpenTasksForUserAsync("alice"));
    }

    [Fact]
    public async Task Inbox_Pages_DoNotOverlapAndKeepOrder()
    {
        await using var host = await HostAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await TaskAsync(host, $"K{i}", null, "alice", "clerk", DurableHost.StartTime.AddHours(i)));
        }

        var first = await host.Store.GetInboxAsync("alice", ["clerk"], 0, 3);
        var second = await host.Store.GetInboxAsync("alice", ["clerk"], 3, 3);
        var third = await host.Store.GetInboxAsync("alice", ["clerk"], 6, 3);

        Assert.Equal(ids, first.Concat(second).Concat(third).Select(t => t.Id));
    }

    [Fact]
    public async Task TaskQueryByAssignee_OpenTasksAssignedToTheUser_OnlyThose()
    {
        await using var host = await HostAsync();
        var assigned = await TaskAsync(host, "K1", "alice", "", "clerk", DurableHost.StartTime.AddDays(1));
        var claimed = await TaskAsync(host, "K2", null, "alice, bob", "", null);
        await host.Engine.ClaimTaskAsync(claimed, "alice");
        var completed = await TaskAsync(host, "K3", "alice", "", "", null);
        await host.Engine.CompleteTaskAsync(completed, null, "alice");
        var reassigned = await TaskAsync(host, "K4", "alice", "", "", null);
        await host.Engine.AssignTaskAsync(reassigned, "bob", "admin");
        await TaskAsync(host, "K5", null, "alice", "clerk", null);
        var bobs = await TaskAsync(host, "K6", "bob", "", "", null);

        var open = await host.Engine.GetTasksAsync(new() { Assignee = "alice" });
        var all = await host.Engine.GetTasksAsync(new() { Assignee = "alice", OpenOnly = false });

        Assert.Equal(new[] { assigned, claimed }.Order(), open.Select(t => t.Id).Order());
        Assert.Equal(new[] { assigned, claimed, completed }.Order(), all.Select(t => t.Id).Order());
        Assert.Equal(new[] { reassigned, bobs }.Order(), (await host.Engine.GetTasksAsync(new() { Assignee = "bob" })).Select(t => t.Id).Order());
        Assert.Equal(["clerk"], open.Single(t => t.Id == assigned).CandidateRoles);
    }
}

public sealed class SqliteInboxQueryTests : InboxQueryContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlInboxQueryTests : InboxQueryContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
