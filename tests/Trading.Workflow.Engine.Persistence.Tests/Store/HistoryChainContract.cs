using Npgsql;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// The engine's history is chained per instance in the command's commit: the verifier finds an edited row, a deleted
/// row (in the middle or at the end), a deleted task row and a rewritten completion; concurrent writers keep one chain.
/// </summary>
public abstract class HistoryChainContract
{
    protected abstract DatabaseProvider Provider { get; }

    private async Task<(DurableHost Host, Guid InstanceId, Guid TaskId)> CompletedApprovalAsync()
    {
        var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", "BK-H1", null, "alice");
        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await host.Engine.ClaimTaskAsync(task.Id, "bob");
        await host.Engine.CompleteTaskAsync(task.Id, null, "bob");
        return (host, instance.Id, task.Id);
    }

    private static HistoryChainVerifier Verifier(DurableHost host) =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<HistoryChainVerifier>(host.Services);

    /// <summary>Tampers as a database owner would: on PostgreSQL past the append-only trigger, which the app's SQL cannot pass.</summary>
    private async Task TamperAsync(DurableHost host, string sql)
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            sql = $"ALTER TABLE \"wf_history\" DISABLE TRIGGER USER; {sql}; ALTER TABLE \"wf_history\" ENABLE TRIGGER USER;";
        }

        await host.ExecuteAsync(sql);
    }

    private static string Id(Guid id) => $"'{id:D}'";

    private async Task<long> SequenceOfAsync(DurableHost host, Guid instanceId, HistoryEventType type) =>
        (await host.Engine.GetHistoryAsync(instanceId)).Single(h => h.Type == type).Sequence;

    [Fact]
    public async Task Commands_ChainEveryHistoryRow_VerifierFindsChainIntact()
    {
        var (host, instanceId, _) = await CompletedApprovalAsync();
        await using var _ = host;

        var report = await Verifier(host).VerifyInstanceAsync(instanceId);
        var all = await Verifier(host).VerifyAllAsync();

        Assert.NotNull(report);
        Assert.True(report.IsIntact, report.ToString());
        Assert.Equal((await host.Engine.GetHistoryAsync(instanceId)).Count, report.CheckedCount);
        Assert.Equal(0, report.UnchainedRows);
        Assert.True(all.IsIntact);
        Assert.Equal(1, all.InstancesChecked);
    }

    [Fact]
    public async Task RewrittenUserId_ReportsContentChangedAtThatRow()
    {
        var (host, instanceId, _) = await CompletedApprovalAsync();
        await using var _ = host;
        var claimed = await SequenceOfAsync(host, instanceId, HistoryEventType.TaskClaimed);
        await TamperAsync(host, $"UPDATE \"wf_history\" SET \"user_id\" = 'mallory' WHERE \"sequence\" = {claimed}");

        var report = await Verifier(host).VerifyInstanceAsync(instanceId);
        var all = await Verifier(host).VerifyAllAsync();

        Assert.False(report!.IsIntact);
        Assert.Equal(HistoryChainBreak.ContentChanged, report.Break);
        Assert.Equal(claimed, report.BrokenSequence);
        Assert.Equal(instanceId, Assert.Single(all.Broken).InstanceId);
    }

    [Fact]
    public async Task RewrittenEventOfACommandWithManyEvents_ReportsContentChanged()
    {
        var (host, instanceId, _) = await CompletedApprovalAsync();
        await using var _ = host;
        var started = await SequenceOfAsync(host, instanceId, HistoryEventType.InstanceStarted);
        // The start command's events are one row, whose sequence is the last event's.
        var row = Convert.ToInt64(await host.ScalarAsync($"SELECT MIN(\"sequence\") FROM \"wf_history\" WHERE \"sequence\" >= {started}"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Convert.ToInt64(await host.ScalarAsync($"SELECT \"entry_count\" FROM \"wf_history\" WHERE \"sequence\" = {row}"), System.Globalization.CultureInfo.InvariantCulture) > 1);
        await TamperAsync(host, $"UPDATE \"wf_history\" SET \"entries\" = replace(\"entries\", '\"p\":\"approval\"', '\"p\":\"approvaX\"') WHERE \"sequence\" = {row}");

        var report = await Verifier(host).VerifyInstanceAsync(instanceId);

        Assert.False(report!.IsIntact);
        Assert.Equal(HistoryChainBreak.ContentChanged, report.Break);
        Assert.Equal(row, report.BrokenSequence);
    }

    [Fact]
    public async Task DeletedClaimRow_ReportsTheNextRowAsBroken()
    {
        var (host, instanceId, _) = await CompletedApprovalAsync();
        await using var _ = host;
        var history = await host.Engine.GetHistoryAsync(instanceId);
        var claimed = history.Single(h => h.Type == HistoryEventType.TaskClaimed).Sequence;
        var next = history.First(h => h.Sequence > claimed).Sequence;
        await TamperAsync(host, $"DELETE FROM \"wf_history\" WHERE \"sequence\" = {claimed}");

        var report = await Verifier(host).VerifyInstanceAsync(instanceId);

        Assert.False(report!.IsIntact);
        Assert.Equal(HistoryChainBreak.PositionGap, report.Break);
        Assert.Equal(next, report.BrokenSequence);
    }

    [Fact]
    public async Task DeletedLastRows_ReportTruncatedChain()
    {
        var (host, instanceId, _) = await CompletedApprovalAsync();
        await using var _ = host;
        var last = (await host.Engine.GetHistoryAsync(instanceId))[^1].Sequence;
        await TamperAsync(host, $"DELETE FROM \"wf_history\" WHERE \"sequence\" = {last}");

        var report = await Verifier(host).VerifyInstanceAsync(instanceId);

        Assert.False(report!.IsIntact);
        Assert.Equal(HistoryChainBreak.Truncated, report.Break);
    }

    [Fact]
    public async Task DeletedTaskRow_ReportsTaskMissing()
    {
        var (host, instanceId, taskId) = await CompletedApprovalAsync();
        await using var _ = host;
        await host.ExecuteAsync($"DELETE FROM \"wf_tasks\" WHERE \"id\" = {Id(taskId)}");

        var report = await Verifier(host).VerifyInstanceAsync(instanceId);

        Assert.False(report!.IsIntact);
        Assert.Equal(HistoryChainBreak.TaskMissing, report.Break);
        Assert.Equal(taskId, report.TaskId);
    }

    [Fact]
    public async Task RewrittenCompletedBy_ReportsTaskChanged()
    {
        var (host, instanceId, taskId) = await CompletedApprovalAsync();
        await using var _ = host;
        await host.ExecuteAsync($"UPDATE \"wf_tasks\" SET \"completed_by\" = 'mallory' WHERE \"id\" = {Id(taskId)}");

        var report = await Verifier(host).VerifyInstanceAsync(instanceId);

        Assert.Equal(HistoryChainBreak.TaskChanged, report!.Break);
    }

    [Fact]
    public async Task TwoProcesses_ConcurrentCommandsOnOneInstance_KeepOneChain()
    {
        await using var first = await DurableHost.StartAsync(Provider);
        await first.DeployFileAsync("Bpmn/approval-v1.bpmn");
        await using var second = DurableHost.StartBeside(first);
        var instance = await first.Engine.StartAsync("approval", "BK-H2");
        var others = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => first.Engine.StartAsync("approval", $"BK-H3-{i}").AsTask()));

        async Task WriterAsync(IWorkflowEngine engine, string prefix)
        {
            for (var i = 0; i < 8; i++)
            {
                while (true)
                {
                    try
                    {
                        var target = i % 2 == 0 ? instance.Id : others[i % others.Length].Id;
                        await engine.SetVariablesAsync(target, new Dictionary<string, object?> { [$"{prefix}{i}"] = (long)i }, prefix);
                        break;
                    }
                    catch (WorkflowConflictException)
                    {
                        await Task.Yield();
                    }
                }
            }
        }

        await Task.WhenAll(Task.Run(() => WriterAsync(first.Engine, "a")), Task.Run(() => WriterAsync(second.Engine, "b")), Task.Run(() => WriterAsync(second.Engine, "c")));

        var summary = await Verifier(first).VerifyAllAsync();
        Assert.True(summary.IsIntact, string.Join("; ", summary.Broken));
        Assert.Equal(4, summary.InstancesChecked);
        var history = await first.Engine.GetHistoryAsync(instance.Id);
        Assert.Equal(12, history.Count(h => h.Type is HistoryEventType.VariableCreated or HistoryEventType.VariableUpdated));
        Assert.Equal(history.Count, (await Verifier(first).VerifyInstanceAsync(instance.Id))!.CheckedCount);
    }
}

public sealed class SqliteHistoryChainTests : HistoryChainContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlHistoryChainTests : HistoryChainContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    [Theory]
    [InlineData("UPDATE \"wf_history\" SET \"user_id\" = 'mallory'")]
    [InlineData("DELETE FROM \"wf_history\"")]
    [InlineData("TRUNCATE \"wf_history\"")]
    public async Task AppendOnlyTrigger_RefusesChangingHistory(string sql)
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        await host.Engine.StartAsync("approval", "BK-H4");
        var before = await host.CountAsync("wf_history");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => host.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal(before, await host.CountAsync("wf_history"));
    }
}
