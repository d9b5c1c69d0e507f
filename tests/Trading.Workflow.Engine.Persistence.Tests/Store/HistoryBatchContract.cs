using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Concurrency;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// A commit's history rows go as multi-row inserts (and its other rows of one table too): each event still gets the
/// sequence of its own row, mapped back by instance and chain position whatever order the rows come back in, under
/// concurrent grouped commits and in a command with thousands of rows (split to stay within the parameter limits);
/// the chains still verify.
/// </summary>
public abstract class HistoryBatchContract
{
    protected abstract DatabaseProvider Provider { get; }

    /// <summary>Every committed command's history events, with the sequences the store gave them.</summary>
    private sealed class Recorder : IWorkflowCommitObserver
    {
        public ConcurrentQueue<HistoryEvent> Events { get; } = new();

        public ValueTask OnCommittedAsync(WorkflowCommit commit, CancellationToken cancellationToken = default)
        {
            foreach (var e in commit.Changes.History)
            {
                Events.Enqueue(e);
            }

            return ValueTask.CompletedTask;
        }
    }

    private async Task<(DurableHost Host, Recorder Recorder)> StartAsync()
    {
        var recorder = new Recorder();
        var host = await DurableHost.StartAsync(Provider, b => b.Services.AddSingleton<IWorkflowCommitObserver>(recorder));
        return (host, recorder);
    }

    /// <summary>
    /// Each instance's events in the order they were raised must carry the sequences of its rows in chain order
    /// (position 1, 2, ...), and the rows must be those events.
    /// </summary>
    private static async Task AssertSequencesAreTheRowsAsync(DurableHost host, IEnumerable<HistoryEvent> events)
    {
        var byInstance = events.GroupBy(e => e.InstanceId).ToList();
        Assert.NotEmpty(byInstance);
        await using var connection = await host.Database.OpenConnectionAsync();
        await using var db = host.Database.CreateContext(connection);
        foreach (var instance in byInstance)
        {
            var rows = HistoryRows.Expand(await db.History.AsNoTracking().Where(h => h.InstanceId == instance.Key).OrderBy(h => h.ChainPosition).ToListAsync())
                .Select(h => new { h.Sequence, Position = h.ChainPosition!.Value, h.Type, Element = h.ElementId }).ToList();
            var raised = instance.ToList();
            Assert.Equal(Enumerable.Range(1, rows.Count).Select(p => (long)p), rows.Select(r => r.Position));
            Assert.Equal(rows.Select(r => (r.Type, r.Element)), raised.Select(e => ((int)e.Type, e.ElementId)));
            Assert.Equal(rows.Select(r => r.Sequence), raised.Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task ConcurrentGroupedCommits_OfSeveralInstancesAndEvents_EachEventGetsItsOwnRowsSequence()
    {
        var (host, recorder) = await StartAsync();
        await using var owned = host;
        await host.DeployFileAsync("Bpmn/inbox.bpmn");
        await host.DeployFileAsync("Bpmn/call-inbox.bpmn");
        // SQLite: held back so they commit as one group. PostgreSQL has no group: they commit side by side.
        var group = host.Store.CommitGroup;
        async Task<IAsyncDisposable> HoldAsync() => group is null ? new Released() : await group.HoldAsync();
        Task QueuedAsync(int count) => group is null ? Task.CompletedTask : GroupCommitContract.WaitQueuedAsync(group, count);
        Dictionary<string, object?> Variables(int i) => new() { ["assignee"] = null, ["users"] = "alice", ["roles"] = "clerk", ["due"] = null, ["i"] = i };

        // Starts held back so they commit as one group: each writes several events, a call activity two instances' events.
        Task[] starts;
        await using (await HoldAsync())
        {
            starts = Enumerable.Range(0, 6).Select(i => Task.Run(async () => await host.Engine.StartAsync(
                i % 2 == 0 ? "call-inbox" : "inbox", $"BK-{i}", Variables(i)))).ToArray();
            await QueuedAsync(starts.Length);
        }

        await Task.WhenAll(starts);
        var tasks = await host.Store.GetInboxAsync("alice", [], 0, 50);
        Assert.Equal(6, tasks.Count);
        var (flushesBefore, commitsBefore) = host.Store.GroupedCommits;
        Task[] completions;
        await using (await HoldAsync())
        {
            completions = tasks.Select(t => Task.Run(async () => await host.Engine.CompleteTaskAsync(t.Id, null, "alice"))).ToArray();
            await QueuedAsync(completions.Length);
        }

        await Task.WhenAll(completions);

        var (flushes, commits) = host.Store.GroupedCommits;
        Assert.Equal(group is null ? (0L, 0L) : (1L, 6L), (flushes - flushesBefore, commits - commitsBefore));
        var events = recorder.Events.ToList();
        Assert.Equal(await host.HistoryEventsAsync(), events.Count);
        Assert.Equal(events.Count, events.Select(e => e.Sequence).Distinct().Count());
        Assert.DoesNotContain(events, e => e.Sequence <= 0);
        await AssertSequencesAreTheRowsAsync(host, events);
        var chains = await host.Services.GetRequiredService<HistoryChainVerifier>().VerifyAllAsync();
        Assert.True(chains.IsIntact, string.Join("; ", chains.Broken));
    }

    [Fact]
    public async Task ACommandWithThousandsOfRows_IsSplitAcrossStatementsAndEveryRowIsWritten()
    {
        var (host, recorder) = await StartAsync();
        await using var owned = host;
        await host.DeployFileAsync("Bpmn/many-tasks.bpmn");
        const int Count = 1500;

        var instance = await host.Engine.StartAsync("many-tasks", "BK-MANY", new Dictionary<string, object?> { ["count"] = Count });

        var events = recorder.Events.ToList();
        Assert.True(events.Count > 2 * Count, $"{events.Count} history events");
        Assert.Equal(events.Count, await host.HistoryEventsAsync());
        Assert.Equal(Count, await host.CountAsync("wf_tasks"));
        Assert.Equal(2 * Count, await host.CountAsync("wf_task_candidates"));
        Assert.Equal(Count, (await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id })).Count);
        await AssertSequencesAreTheRowsAsync(host, events);
        var chain = await host.Services.GetRequiredService<HistoryChainVerifier>().VerifyInstanceAsync(instance.Id);
        Assert.True(chain!.IsIntact, chain.ToString());
        Assert.Equal(events.Count, chain.CheckedCount);

        // Completing one of them still commits (the instance goes on with its other tasks).
        var first = (await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }))[0];
        await host.Engine.CompleteTaskAsync(first.Id, null, "alice");
        Assert.Equal(Count - 1, (await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id })).Count);
        await AssertSequencesAreTheRowsAsync(host, recorder.Events.ToList());
    }

}

public sealed class SqliteHistoryBatchTests : HistoryBatchContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlHistoryBatchTests : HistoryBatchContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}

/// <summary>
/// How many rows one multi-row insert carries: at most 32; on PostgreSQL fewer only when a row is so wide that its
/// 65,535 parameters bind, on SQLite when a statement would bind more than 999.
/// </summary>
public sealed class StatementBatchLimitTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, 19, 32)]
    [InlineData(DatabaseProvider.Sqlite, 3, 32)]
    [InlineData(DatabaseProvider.Sqlite, 40, 24)]
    [InlineData(DatabaseProvider.Sqlite, 2000, 1)]
    [InlineData(DatabaseProvider.PostgreSql, 19, 32)]
    [InlineData(DatabaseProvider.PostgreSql, 4000, 16)]
    [InlineData(DatabaseProvider.PostgreSql, 70000, 1)]
    public void RowsPerStatement_StayWithinTheProvidersParameterBudget(DatabaseProvider provider, int columns, int expected)
    {
        var batch = new StatementBatch(provider);

        Assert.Equal(expected, batch.RowsPerStatement(columns));
        Assert.True(expected == 1 || expected * columns <= batch.ParameterBudget);
    }
}

/// <summary>A hold that holds nothing (PostgreSQL has no commit group).</summary>
file sealed class Released : IAsyncDisposable
{
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
