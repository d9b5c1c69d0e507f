using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Concurrency;

/// <summary>
/// Concurrent commits (issue 15 §2). On SQLite concurrent commands share one transaction, each in its own savepoint
/// (the store's commit group); on PostgreSQL each commits on its own connection, side by side, and the server shares
/// the WAL flush. Either way a command that conflicts fails alone and leaves nothing behind (atomic); the others
/// commit; no command sees or loses another's update (isolated); the history chains stay whole.
/// </summary>
public abstract class GroupCommitContract
{
    protected abstract DatabaseProvider Provider { get; }

    /// <summary>
    /// Commands that reach their commit while this is held wait there, each with what it loaded, and go on together
    /// when it is disposed: on SQLite the group's flush is held, on PostgreSQL the instances' rows are locked.
    /// </summary>
    internal abstract Task<HeldCommits> HoldCommitsAsync(DurableHost host, params Guid[] instances);

    /// <summary>The store's group counters moved by one transaction carrying <paramref name="commits"/> commits (SQLite), or not at all (PostgreSQL, no group).</summary>
    internal abstract void AssertOneGroup(DurableHost host, (long Flushes, long Commits) before, int commits);

    internal abstract class HeldCommits : IAsyncDisposable
    {
        /// <summary>Waits until <paramref name="count"/> commands wait at their commit.</summary>
        public abstract Task WaitForAsync(int count);

        /// <summary>A change committed outside the engine before the held commits go on: every command that loaded the instance is stale.</summary>
        public abstract Task BumpVersionAsync(Guid instanceId);

        public abstract ValueTask DisposeAsync();
    }

    /// <summary>
    /// The commands below load the instance from the database, not from the store's cache of what it committed: the
    /// version bumped meanwhile is then another writer's change, a conflict the caller sees. (A command that loaded
    /// the cached entry would run once more on the database's rows, see InstanceCacheContract.)
    /// </summary>
    internal static void ReadFromTheDatabase(DurableHost host, Guid instanceId) => host.Store.Cache!.Evict(instanceId);

    internal static async Task WaitUntilAsync(Func<Task<long>> count, long expected, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        long now;
        while ((now = await count()) < expected)
        {
            Assert.True(DateTime.UtcNow < until, $"only {now} of {expected} {what}");
            await Task.Delay(10);
        }
    }

    internal static HistoryChainVerifier Verifier(DurableHost host) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<HistoryChainVerifier>(host.Services);

    internal static async Task<string> OutcomeAsync(Func<Task> command)
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

    /// <summary>Waits until <paramref name="count"/> commits were handed over to the SQLite group (held by <c>HoldAsync</c>).</summary>
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
    public async Task ConcurrentCommits_WithAConflictingCommand_TheConflictFailsAloneAndLeavesNothingTheOthersCommit()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var first = await host.Engine.StartAsync("approval", "BK-G1");
        var second = await host.Engine.StartAsync("approval", "BK-G2");
        var third = await host.Engine.StartAsync("approval", "BK-G3");
        var contested = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = first.Id }));
        var other = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = third.Id }));
        var groupedBefore = host.Store.GroupedCommits;
        var retriesBefore = host.Store.CommitGroup?.Retries ?? 0;
        var historyBefore = await host.HistoryEventsAsync();

        Task<string>[] commands;
        await using (var held = await HoldCommitsAsync(host, first.Id, second.Id, third.Id))
        {
            // All four load while the commits are held, so both completions of the contested task load the same version.
            commands =
            [
                Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(contested.Id, new Dictionary<string, object?> { ["winner"] = "a" }, "a"))),
                Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(contested.Id, new Dictionary<string, object?> { ["winner"] = "b" }, "b"))),
                Task.Run(() => OutcomeAsync(async () => await host.Engine.SetVariablesAsync(second.Id, new Dictionary<string, object?> { ["note"] = "kept" }, "c"))),
                Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(other.Id, null, "d"))),
            ];
            await held.WaitForAsync(4);
        }

        var outcomes = await Task.WhenAll(commands);

        // On SQLite one transaction carried the three commits that held; the group runs without savepoints, so the
        // conflict rolled the attempt back and the others ran again once.
        AssertOneGroup(host, groupedBefore, 3);
        Assert.Equal(Provider == DatabaseProvider.Sqlite ? 1 : 0, (host.Store.CommitGroup?.Retries ?? 0) - retriesBefore);
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
        Assert.Equal(all.Count, await host.HistoryEventsAsync());
        Assert.True(await host.HistoryEventsAsync() > historyBefore);
        var chains = await Verifier(host).VerifyAllAsync();
        Assert.True(chains.IsIntact, string.Join("; ", chains.Broken));
    }

    [Fact]
    public async Task ConcurrentCommits_WhoseEveryCommandConflicts_CommitNothing()
    {
        var (host, instance, task) = await StartWaitingAsync(Provider, "BK-G4");
        await using var owned = host;
        ReadFromTheDatabase(host, instance.Id);

        // A change committed outside the engine after the commands loaded: all of them are stale.
        Task<string>[] commands;
        await using (var held = await HoldCommitsAsync(host, instance.Id))
        {
            commands = Enumerable.Range(0, 3).Select(i => Task.Run(() => OutcomeAsync(async () =>
                await host.Engine.CompleteTaskAsync(task.Id, null, "u" + i)))).ToArray();
            await held.WaitForAsync(3);
            await held.BumpVersionAsync(instance.Id);
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
        ReadFromTheDatabase(host, instance.Id);

        // A commit alone (SQLite: a group of one; PostgreSQL: one batch, one implicit transaction) whose version check fails.
        Task<string> stale;
        await using (var held = await HoldCommitsAsync(host, instance.Id))
        {
            stale = Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?> { ["late"] = true }, "u")));
            await held.WaitForAsync(1);
            await held.BumpVersionAsync(instance.Id);
        }

        Assert.Equal("conflict", await stale);
        Assert.DoesNotContain(await host.Engine.GetHistoryAsync(instance.Id), h => h.Type == HistoryEventType.TaskCompleted);
        Assert.False((await host.Engine.GetVariablesAsync(instance.Id)).ContainsKey("late"));

        // The connection was left outside any transaction: the next command commits for good.
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

    internal override async Task<HeldCommits> HoldCommitsAsync(DurableHost host, params Guid[] instances) =>
        new HeldFlush(host, await host.Store.CommitGroup!.HoldAsync());

    internal override void AssertOneGroup(DurableHost host, (long Flushes, long Commits) before, int commits)
    {
        var (flushes, committed) = host.Store.GroupedCommits;
        Assert.Equal(1, flushes - before.Flushes);
        Assert.Equal(commits, committed - before.Commits);
    }

    /// <summary>The group's flush held: commits queue up and go as one group after it (the database itself stays free).</summary>
    private sealed class HeldFlush(DurableHost host, IAsyncDisposable hold) : HeldCommits
    {
        public override Task WaitForAsync(int count) =>
            WaitUntilAsync(() => Task.FromResult((long)host.Store.CommitGroup!.Queued), count, "commits were handed over");

        public override Task BumpVersionAsync(Guid instanceId) =>
            host.ExecuteAsync($"UPDATE \"wf_instances\" SET \"version\" = \"version\" + 1 WHERE \"id\" = '{instanceId:D}'");

        public override ValueTask DisposeAsync() => hold.DisposeAsync();
    }
}

public sealed class PostgreSqlGroupCommitTests : GroupCommitContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    internal override async Task<HeldCommits> HoldCommitsAsync(DurableHost host, params Guid[] instances) =>
        await RowLock.TakeAsync(host, instances);

    internal override void AssertOneGroup(DurableHost host, (long Flushes, long Commits) before, int commits)
    {
        // No group on PostgreSQL: the commits went side by side on their own connections.
        Assert.Null(host.Store.CommitGroup);
        Assert.Equal((0, 0), host.Store.GroupedCommits);
    }

    /// <summary>
    /// The instances' rows locked by a transaction of the test's own: a command's commit starts with its instances'
    /// version updates, which wait for the lock; loads read without locks and go on.
    /// </summary>
    private sealed class RowLock(DurableHost host, Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction) : HeldCommits
    {
        public int ProcessId => connection.ProcessID;

        public static async Task<RowLock> TakeAsync(DurableHost host, Guid[] instances)
        {
            var connection = (Npgsql.NpgsqlConnection)await host.Database.OpenConnectionAsync();
            var transaction = await connection.BeginTransactionAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT 1 FROM \"wf_instances\" WHERE \"id\" = ANY($1) FOR UPDATE", connection, transaction);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = instances });
            await command.ExecuteNonQueryAsync();
            return new RowLock(host, connection, transaction);
        }

        /// <summary>
        /// Backends waiting for this lock (the commits held), oldest first: directly, or behind another waiter (the
        /// second of two updates of one row waits for the first, which holds the row's place in the queue).
        /// </summary>
        public async Task<List<int>> WaitingAsync()
        {
            var pids = new List<int>();
            await using var probe = (Npgsql.NpgsqlConnection)await host.Database.OpenConnectionAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                """
                WITH RECURSIVE waiting(pid) AS (
                    SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
                    UNION
                    SELECT a.pid FROM pg_stat_activity a JOIN waiting w ON w.pid = ANY(pg_blocking_pids(a.pid)))
                SELECT w.pid FROM waiting w JOIN pg_stat_activity a ON a.pid = w.pid ORDER BY a.query_start
                """, probe);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = ProcessId });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                pids.Add(reader.GetInt32(0));
            }

            return pids;
        }

        public override Task WaitForAsync(int count) =>
            WaitUntilAsync(async () => (await WaitingAsync()).Count, count, "commits wait for the locked rows");

        public override async Task BumpVersionAsync(Guid instanceId)
        {
            await using var command = new Npgsql.NpgsqlCommand("UPDATE \"wf_instances\" SET \"version\" = \"version\" + 1 WHERE \"id\" = $1", connection, transaction);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = instanceId });
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        private bool _released;

        public override async ValueTask DisposeAsync()
        {
            if (_released)
            {
                return;
            }

            _released = true;
            await transaction.CommitAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task ACommitWaitingForALock_HoldsUpNoOtherCommandsCommit()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var blocked = await host.Engine.StartAsync("approval", "BK-P1");
        var free = await host.Engine.StartAsync("approval", "BK-P2");

        await using var held = await RowLock.TakeAsync(host, [blocked.Id]);
        var waiting = Task.Run(async () => await host.Engine.SetVariablesAsync(blocked.Id, new Dictionary<string, object?> { ["late"] = "yes" }, "a"));
        await held.WaitForAsync(1);

        // The other command commits on its own connection while the first still waits in its commit (one shared
        // commit connection would have queued it behind the waiting one).
        var other = host.Engine.SetVariablesAsync(free.Id, new Dictionary<string, object?> { ["note"] = "kept" }, "b").AsTask();
        Assert.Same(other, await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(30))));
        await other;
        Assert.Equal("kept", (await host.Engine.GetVariablesAsync(free.Id))["note"]);
        Assert.False(waiting.IsCompleted);
        Assert.Single(await held.WaitingAsync());

        await held.DisposeAsync();
        await waiting;
        Assert.Equal("yes", (await host.Engine.GetVariablesAsync(blocked.Id))["late"]);
        Assert.Null(host.Store.CommitGroup);
    }

    [Fact]
    public async Task ACommandsConnectionIsKilledInItsCommit_ItFailsAloneWithNothingLeftTheOthersCommit()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var (killed, survivor) = (await host.Engine.StartAsync("approval", "BK-P3"), await host.Engine.StartAsync("approval", "BK-P4"));
        var killedTask = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = killed.Id }));
        var survivorTask = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = survivor.Id }));

        Task dying;
        Task<string> living;
        await using (var held = await RowLock.TakeAsync(host, [killed.Id, survivor.Id]))
        {
            dying = Task.Run(async () => await host.Engine.CompleteTaskAsync(killedTask.Id, new Dictionary<string, object?> { ["lost"] = true }, "a"));
            await held.WaitForAsync(1);
            var pid = Assert.Single(await held.WaitingAsync());
            living = Task.Run(() => OutcomeAsync(async () => await host.Engine.CompleteTaskAsync(survivorTask.Id, null, "b")));
            await held.WaitForAsync(2);

            // The server ends the first command's backend while it waits in its commit; the other waits on.
            await host.ExecuteAsync($"SELECT pg_terminate_backend({pid})");
            await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => dying);
        }

        Assert.Equal("ok", await living);
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(survivor.Id))!.State);

        // Nothing of the killed command remains, and the pool hands out live connections: the task completes now.
        Assert.Equal(UserTaskState.Open, (await host.Engine.GetTaskAsync(killedTask.Id))!.State);
        Assert.False((await host.Engine.GetVariablesAsync(killed.Id)).ContainsKey("lost"));
        await host.Engine.CompleteTaskAsync(killedTask.Id, null, "a");
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(killed.Id))!.State);
        var chains = await Verifier(host).VerifyAllAsync();
        Assert.True(chains.IsIntact, string.Join("; ", chains.Broken));
    }
}
