using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Concurrency;

/// <summary>
/// Grouped commits (issue 15 §2): concurrent commands share one transaction, each in its own savepoint. A command
/// that conflicts fails alone and leaves nothing behind (atomic); the others commit; no command sees or loses
/// another's update (isolated); the history chains stay whole.
/// </summary>
public abstract class GroupCommitContract
{
    protected abstract DatabaseProvider Provider { get; }

    private static HistoryChainVerifier Verifier(DurableHost host) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<HistoryChainVerifier>(host.Services);

    private static async Task<string> OutcomeAsync(Func<Task> command)
    {
        try
        {
            await command();
            return "ok";
        }
        catch (WorkflowConflictException)
        {
            return "conflict";
        }
    }

    /// <summary>A host with one approval instance waiting at its task.</summary>
    internal static async Task<(DurableHost Host, ProcessInstanceInfo Instance, UserTaskInfo Task)> StartWaitingAsync(DatabaseProvider provider, string businessKey)
    {
        var host = await DurableHost.StartAsync(provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", businessKey);
        return (host, instance, Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id })));
    }

    /// <summary>A change committed outside the engine: every command that loaded the instance before is stale.</summary>
    private static Task BumpVersionAsync(DurableHost host, Guid instanceId) =>
        host.ExecuteAsync($"UPDATE \"wf_instances\" SET \"version\" = \"version\" + 1 WHERE \"id\" = '{instanceId:D}'");

    internal static async Task WaitQueuedAsync(CommitGroup group, int count)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (group.Queued < count)
        {
            Assert.True(DateTime.UtcNow < until, $"only {group.Queued} of {count} commits were handed over");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task OneGroup_WithAConflictingCommand_TheConflictFailsAloneAndLeavesNothingTheOthersCommit()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var first = await host.Engine.StartAsync("approval", "BK-G1");
        var second = await host.Engine.StartAsync("approval", "BK-G2");
        var third = await host.Engine.StartAsync("approval", "BK-G3");
        var contested = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = first.Id }));
        var other = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = third.Id }));
        var group = host.Store.CommitGroup!;
        var (flushesBefore, commitsBefore) = host.Store.GroupedCommits;
        var retriesBefore = group.Retries;
        var historyBefore = await host.CountAsync("wf_history");

        Task<string>[] commands;
        await using (await group.HoldAsync())
        {
            // All four load while the flush is held, so both completions of the contested task load the same version.
            commands =
            [
                Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(contested.Id, new Dictionary<string, object?> { ["winner"] = "a" }, "a"))),
                Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(contested.Id, new Dictionary<string, object?> { ["winner"] = "b" }, "b"))),
                Task.Run(() => OutcomeAsync(async () => await host.Engine.SetVariablesAsync(second.Id, new Dictionary<string, object?> { ["note"] = "kept" }, "c"))),
                Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(other.Id, null, "d"))),
            ];
            await WaitQueuedAsync(group, 4);
        }

        var outcomes = await Task.WhenAll(commands);

        // One transaction carried the three commits that held.
        var (flushes, commits) = host.Store.GroupedCommits;
        Assert.Equal(1, flushes - flushesBefore);
        Assert.Equal(3, commits - commitsBefore);

        // SQLite runs a group without savepoints: the conflict rolled the attempt back and the others ran again once.
        Assert.Equal(Provider == DatabaseProvider.Sqlite ? 1 : 0, group.Retries - retriesBefore);
        Assert.Equal(1, outcomes[..2].Count(o => o == "ok"));
        Assert.Equal(1, outcomes[..2].Count(o => o == "conflict"));
        Assert.Equal("ok", outcomes[2]);
        Assert.Equal("ok", outcomes[3]);

        // The loser left nothing: one completion, one winner's variable, the version moved once.
        var winner = outcomes[0] == "ok" ? "a" : "b";
        var variables = await host.Engine.GetVariablesAsync(first.Id);
        Assert.Equal(winner, variables["winner"]);
        var history = await host.Engine.GetHistoryAsync(first.Id);
        Assert.Single(history, h => h.Type == HistoryEventType.TaskCompleted);
        Assert.Single(history, h => h.Type == HistoryEventType.InstanceCompleted);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(first.Id))!.State);
        Assert.Equal(2, (await host.Engine.GetInstanceAsync(first.Id))!.Version);
        var completed = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = first.Id, OpenOnly = false }));
        Assert.Equal(winner, completed.CompletedBy);

        // The others are whole.
        Assert.Equal("kept", (await host.Engine.GetVariablesAsync(second.Id))["note"]);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(third.Id))!.State);
        var all = (await host.Engine.GetHistoryAsync(first.Id)).Concat(await host.Engine.GetHistoryAsync(second.Id)).Concat(await host.Engine.GetHistoryAsync(third.Id)).ToList();
        Assert.Equal(all.Count, all.Select(h => h.Sequence).Distinct().Count());
        Assert.Equal(all.Count, await host.CountAsync("wf_history"));
        Assert.True(await host.CountAsync("wf_history") > historyBefore);
        var chains = await Verifier(host).VerifyAllAsync();
        Assert.True(chains.IsIntact, string.Join("; ", chains.Broken));
    }

    [Fact]
    public async Task OneGroup_WhoseEveryCommandConflicts_CommitsNothing()
    {
        var (host, instance, task) = await StartWaitingAsync(Provider, "BK-G4");
        await using var owned = host;
        var group = host.Store.CommitGroup!;

        // A change committed outside the group after the commands loaded: all of them are stale.
        Task<string>[] commands;
        await using (await group.HoldAsync())
        {
            commands = Enumerable.Range(0, 3).Select(i => Task.Run(() => OutcomeAsync(async () =>
                await host.Engine.CompleteTaskAsync(task.Id, null, "u" + i)))).ToArray();
            await WaitQueuedAsync(group, 3);
            await BumpVersionAsync(host, instance.Id);
        }

        var outcomes = await Task.WhenAll(commands);

        Assert.All(outcomes, o => Assert.Equal("conflict", o));
        Assert.Equal(InstanceState.Active, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
        Assert.DoesNotContain(await host.Engine.GetHistoryAsync(instance.Id), h => h.Type == HistoryEventType.TaskCompleted);
        Assert.Equal(UserTaskState.Open, (await host.Engine.GetTaskAsync(task.Id))!.State);
    }

    [Fact]
    public async Task ALoneStaleCommand_FailsWithNothingLeftAndTheNextCommandCommits()
    {
        var (host, instance, task) = await StartWaitingAsync(Provider, "BK-G9");
        await using var owned = host;
        var group = host.Store.CommitGroup!;

        // A group of one (on PostgreSQL: BEGIN, the batch and COMMIT in one round trip) whose version check fails.
        Task<string> stale;
        await using (await group.HoldAsync())
        {
            stale = Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?> { ["late"] = true }, "u")));
            await WaitQueuedAsync(group, 1);
            await BumpVersionAsync(host, instance.Id);
        }

        Assert.Equal("conflict", await stale);
        Assert.DoesNotContain(await host.Engine.GetHistoryAsync(instance.Id), h => h.Type == HistoryEventType.TaskCompleted);
        Assert.False((await host.Engine.GetVariablesAsync(instance.Id)).ContainsKey("late"));

        // The group's connection was left outside any transaction: the next command commits for good.
        await host.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["after"] = "kept" }, "u");
        await host.Engine.CompleteTaskAsync(task.Id, null, "u");
        Assert.Equal("kept", (await host.Engine.GetVariablesAsync(instance.Id))["after"]);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
        var chains = await Verifier(host).VerifyAllAsync();
        Assert.True(chains.IsIntact, string.Join("; ", chains.Broken));
    }

    [Fact]
    public async Task ManyConcurrentWriters_OnFewInstances_NoUpdateIsLostAndEveryChainHolds()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        await using var beside = DurableHost.StartBeside(host);
        var instances = new[] { await host.Engine.StartAsync("approval", "BK-G5"), await host.Engine.StartAsync("approval", "BK-G6") };
        const int writers = 8;
        const int writes = 6;
        var conflicts = 0;

        // Eight writers per node, two nodes, each writing its own variables on both instances: every write conflicts
        // with others on the same instance, in the same group or in the other node's.
        var tasks = Enumerable.Range(0, writers * 2).Select(w => Task.Run(async () =>
        {
            var engine = w % 2 == 0 ? host.Engine : beside.Engine;
            for (var i = 0; i < writes; i++)
            {
                var instance = instances[(w + i) % instances.Length];
                while (true)
                {
                    try
                    {
                        await engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { [$"w{w}_{i}"] = (decimal)i }, "w" + w);
                        break;
                    }
                    catch (WorkflowConflictException)
                    {
                        Interlocked.Increment(ref conflicts);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);

        var total = 0;
        foreach (var instance in instances)
        {
            var variables = await host.Engine.GetVariablesAsync(instance.Id);
            var written = variables.Keys.Count(k => k.StartsWith('w'));
            total += written;
            Assert.Equal(1 + written, (await host.Engine.GetInstanceAsync(instance.Id))!.Version);
        }

        Assert.Equal(writers * 2 * writes, total);
        var chains = await Verifier(host).VerifyAllAsync();
        Assert.True(chains.IsIntact, string.Join("; ", chains.Broken));
        var (flushes, commits) = host.Store.GroupedCommits;
        Assert.True(commits >= flushes, $"{commits} commits in {flushes} flushes");
    }

    [Fact]
    public async Task GroupingOff_CommandsStillCommitOneByOne()
    {
        await using var host = await DurableHost.StartAsync(Provider, persistence: o => o.GroupCommits = false);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", "BK-G7");
        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await host.Engine.CompleteTaskAsync(task.Id, null, "u");

        Assert.Null(host.Store.CommitGroup);
        Assert.Equal((0, 0), host.Store.GroupedCommits);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
    }
}

public sealed class SqliteGroupCommitTests : GroupCommitContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlGroupCommitTests : GroupCommitContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    [Fact]
    public async Task TheGroupsConnectionIsKilled_ItIsReplacedAndLaterCommandsCommit()
    {
        var (host, instance, task) = await StartWaitingAsync(Provider, "BK-G8");
        await using var owned = host;

        // The server ends the backend of the connection the group keeps open between flushes.
        var kept = Assert.IsType<Npgsql.NpgsqlConnection>(host.Store.CommitGroup!.Connection);
        await host.ExecuteAsync($"SELECT pg_terminate_backend({kept.ProcessID})");
        try
        {
            // The next flush meets the dead connection and fails (a dead pooled connection would too); it is not kept.
            await host.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["probe"] = 1m }, "u");
        }
        catch (Npgsql.NpgsqlException)
        {
        }

        await host.Engine.CompleteTaskAsync(task.Id, null, "u");

        Assert.NotSame(kept, host.Store.CommitGroup.Connection);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
    }
}
