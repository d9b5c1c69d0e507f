using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// With a key, the history chain is HMAC-SHA256: someone who can write the database but does not hold the key can
/// neither edit a row and recompute the chain, nor rewrite an instance's history as a plain chain, nor remove the
/// record of when keyed chaining began; rows from before the upgrade that began it stay verifiable as plain.
/// </summary>
public abstract class KeyedHistoryChainContract
{
    private static readonly HistoryChainKey First = new("key-one", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly HistoryChainKey Second = new("key-two", Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    protected abstract DatabaseProvider Provider { get; }

    private static HistoryChainKeys Keys(HistoryChainKey current, params HistoryChainKey[] previous) => new(current, previous);

    private async Task<(DurableHost Host, Guid InstanceId)> CompletedApprovalAsync(HistoryChainKeys keys)
    {
        var host = await DurableHost.StartAsync(Provider, historyKeys: keys);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", "BK-K1", null, "alice");
        await CompleteOpenTaskAsync(host, instance.Id);
        return (host, instance.Id);
    }

    private static async Task CompleteOpenTaskAsync(DurableHost host, Guid instanceId)
    {
        var task = Assert.Single(await host.Engine.GetTasksAsync(new() { InstanceId = instanceId }));
        await host.Engine.ClaimTaskAsync(task.Id, "bob");
        await host.Engine.CompleteTaskAsync(task.Id, null, "bob");
    }

    private static Task<HistoryChainReport?> VerifyAsync(DurableHost host, Guid instanceId) =>
        host.Services.GetRequiredService<HistoryChainVerifier>().VerifyInstanceAsync(instanceId);

    /// <summary>As a database owner would: on PostgreSQL past the append-only triggers, which the app's SQL cannot pass.</summary>
    private async Task TamperAsync(DurableHost host, string sql)
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            sql = "ALTER TABLE \"wf_history\" DISABLE TRIGGER USER; ALTER TABLE \"wf_history_keys\" DISABLE TRIGGER USER; "
                  + sql + "; ALTER TABLE \"wf_history\" ENABLE TRIGGER USER; ALTER TABLE \"wf_history_keys\" ENABLE TRIGGER USER;";
        }

        await host.ExecuteAsync(sql);
    }

    /// <summary>
    /// What someone without the key would do: change a field of the first row, then hash every row of the instance
    /// again by plain SHA-256 (the rows' inner events under the key they were written with) and move the instance's head.
    /// </summary>
    private async Task RewritePlainAsync(DurableHost host, Guid instanceId, HistoryChainKey writtenWith)
    {
        List<HistoryEntity> rows;
        await using (var connection = await host.Database.OpenConnectionAsync())
        await using (var db = host.Database.CreateContext(connection))
        {
            rows = await db.History.AsNoTracking().Where(h => h.InstanceId == instanceId).OrderBy(h => h.Sequence).ToListAsync();
        }

        var previous = HistoryChain.Genesis;
        var statements = new List<string>();
        foreach (var row in rows)
        {
            var events = HistoryRows.Expand(row, writtenWith);
            var first = previous;
            foreach (var e in events)
            {
                e.PreviousHash = previous;
                e.Hash = HistoryChain.Compute(e);
                previous = e.Hash;
            }

            statements.Add($"UPDATE \"wf_history\" SET \"previous_hash\" = '{first}', \"hash\" = '{previous}' WHERE \"sequence\" = {row.Sequence.ToString(CultureInfo.InvariantCulture)}");
        }

        statements.Add($"UPDATE \"wf_instances\" SET \"history_head\" = '{previous}' WHERE \"id\" = '{instanceId:D}'");
        await TamperAsync(host, string.Join("; ", statements));
    }

    [Fact]
    public async Task KeyedChain_IsIntactUnderItsKey_AndNotAPlainChain()
    {
        var (host, instanceId) = await CompletedApprovalAsync(Keys(First));
        await using var _ = host;
        await using var keyless = DurableHost.StartBeside(host);

        var report = await VerifyAsync(host, instanceId);
        var all = await host.Services.GetRequiredService<HistoryChainVerifier>().VerifyAllAsync();
        var withoutKey = await VerifyAsync(keyless, instanceId);

        Assert.True(report!.IsIntact, report.ToString());
        Assert.Equal((await host.Engine.GetHistoryAsync(instanceId)).Count, report.CheckedCount);
        Assert.True(all.IsIntact);
        Assert.Equal(1L, await host.CountAsync("wf_history_keys"));
        Assert.Equal(HistoryChainBreak.KeyUnavailable, withoutKey!.Break);
    }

    [Fact]
    public async Task HistoryRewrittenAsAPlainChain_ReportsUnkeyed()
    {
        var (host, instanceId) = await CompletedApprovalAsync(Keys(First));
        await using var _ = host;
        var firstRow = Convert.ToInt64(await host.ScalarAsync($"SELECT MIN(\"sequence\") FROM \"wf_history\" WHERE \"instance_id\" = '{instanceId:D}'"), CultureInfo.InvariantCulture);

        await RewritePlainAsync(host, instanceId, First);
        var report = await VerifyAsync(host, instanceId);

        Assert.False(report!.IsIntact);
        Assert.Equal(HistoryChainBreak.Unkeyed, report.Break);
        Assert.Equal(firstRow, report.BrokenSequence);
    }

    [Fact]
    public async Task KeyRecordDeleted_ReportsItMissing_EvenAfterARestart()
    {
        var (host, instanceId) = await CompletedApprovalAsync(Keys(First));
        await using var _ = host;

        await RewritePlainAsync(host, instanceId, First);
        await TamperAsync(host, "DELETE FROM \"wf_history_keys\"");
        // A node starting afterwards must not record a new cut-over, which would make the plain rewrite pass.
        await using var restarted = DurableHost.StartBeside(host, historyKeys: Keys(First));
        await restarted.Engine.StartAsync("approval", "BK-K2", null, "alice");
        var report = await VerifyAsync(restarted, instanceId);

        Assert.Equal(0L, await restarted.CountAsync("wf_history_keys"));
        Assert.False(report!.IsIntact);
        Assert.Equal(HistoryChainBreak.KeyRecordMissing, report.Break);
    }

    [Fact]
    public async Task KeyRecordMoved_ReportsItMissing()
    {
        var (host, instanceId) = await CompletedApprovalAsync(Keys(First));
        await using var _ = host;

        await RewritePlainAsync(host, instanceId, First);
        await TamperAsync(host, "UPDATE \"wf_history_keys\" SET \"keyed_after\" = (SELECT MAX(\"sequence\") FROM \"wf_history\")");
        var report = await VerifyAsync(host, instanceId);

        Assert.Equal(HistoryChainBreak.KeyRecordMissing, report!.Break);
    }

    [Fact]
    public async Task KeyChange_WithTheOldKeyKept_VerifiesBoth_AndWithoutItDoesNot()
    {
        await using var host = await DurableHost.StartAsync(Provider, historyKeys: Keys(First));
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", "BK-K3", null, "alice");
        await using var changed = DurableHost.StartBeside(host, historyKeys: Keys(Second, First));
        await CompleteOpenTaskAsync(changed, instance.Id);
        await using var forgotten = DurableHost.StartBeside(host, historyKeys: Keys(Second));

        var both = await VerifyAsync(changed, instance.Id);
        var newOnly = await VerifyAsync(forgotten, instance.Id);

        Assert.True(both!.IsIntact, both.ToString());
        Assert.False(newOnly!.IsIntact);
    }

    [Fact]
    public async Task UpgradeWithAKey_KeepsOlderPlainRowsVerifiable_AndKeysTheNewOnes()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        await using var owned = database;
        var scripts = WorkflowDatabase.ScriptsFor(Provider);
        var before = HistoryKeyRecords.TableVersion(scripts) - 1;

        // The previous release: no key, its schema one version short of the record's table.
        Guid instanceId;
        await using (var old = DurableHost.StartOn(Provider, database.ConnectionString, o => o.UpgradeSchemaOnStart = false))
        {
            await old.Database.UpgradeSchemaAsync(before);
            await old.DeployFileAsync("Bpmn/approval-v1.bpmn");
            instanceId = (await old.Engine.StartAsync("approval", "BK-K4", null, "alice")).Id;
        }

        await using var upgraded = DurableHost.StartOn(Provider, database.ConnectionString, historyKeys: Keys(First));
        await CompleteOpenTaskAsync(upgraded, instanceId);
        var report = await VerifyAsync(upgraded, instanceId);
        var keyedAfter = Convert.ToInt64(await upgraded.ScalarAsync("SELECT \"keyed_after\" FROM \"wf_history_keys\""), CultureInfo.InvariantCulture);
        var plainRows = Convert.ToInt64(await upgraded.ScalarAsync($"SELECT COUNT(*) FROM \"wf_history\" WHERE \"sequence\" <= {keyedAfter}"), CultureInfo.InvariantCulture);

        Assert.True(report!.IsIntact, report.ToString());
        Assert.True(plainRows > 0);
        Assert.True(Convert.ToInt64(await upgraded.ScalarAsync($"SELECT COUNT(*) FROM \"wf_history\" WHERE \"sequence\" > {keyedAfter}"), CultureInfo.InvariantCulture) > 0);
    }
}

public sealed class SqliteKeyedHistoryChainTests : KeyedHistoryChainContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlKeyedHistoryChainTests : KeyedHistoryChainContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    [Theory]
    [InlineData("UPDATE \"wf_history_keys\" SET \"keyed_after\" = 0")]
    [InlineData("DELETE FROM \"wf_history_keys\"")]
    [InlineData("TRUNCATE \"wf_history_keys\"")]
    public async Task AppendOnlyTrigger_RefusesChangingTheKeyRecord(string sql)
    {
        await using var host = await DurableHost.StartAsync(Provider, historyKeys: new HistoryChainKeys(new HistoryChainKey("k", new byte[32])));
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => host.ExecuteAsync(sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal(1L, await host.CountAsync("wf_history_keys"));
    }
}
