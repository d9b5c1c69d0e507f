using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Store;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Upgrade;

/// <summary>
/// SQLite schema 0005 rebuilds wf_variables and wf_task_candidates as WITHOUT ROWID tables and changes two indexes;
/// 0006 rebuilds wf_history without AUTOINCREMENT and its business-key index: a database file written at version 4 or 5 keeps every row of every
/// engine table (history with its sequence numbers), and its instances go on.
/// </summary>
public sealed class SqliteCommandTablesUpgradeTests
{
    [Fact]
    public async Task Upgrade_FromVersion4FileWithRows_KeepsEveryRowAndTheInstancesGoOn()
    {
        // The engine's rows, copied into a file at version 4 (today's store writes columns version 4 does not have).
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite, persistence: o => o.UpgradeSchemaOnStart = false);
        Assert.Equal(4, (await host.Database.UpgradeSchemaAsync(targetVersion: 4)).ToVersion);
        await using var source = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        await source.DeployFileAsync("Bpmn/inbox.bpmn");
        await source.DeployFileAsync("Bpmn/call-inbox.bpmn");
        var aliceInbox = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var instance = await source.Engine.StartAsync("inbox", $"BK-{i}", new Dictionary<string, object?>
            {
                ["assignee"] = i % 3 == 0 ? "alice" : null,
                ["users"] = i % 3 == 1 ? "alice, bob" : "",
                ["roles"] = i % 2 == 0 ? "clerk, director" : "clerk",
                ["due"] = i % 2 == 0 ? DurableHost.StartTime.AddDays(i) : null,
                ["amount"] = 1000.25m * i,
                ["note"] = i % 4 == 0 ? null : $"备注 {i}",
            }, "starter");
            var task = (await source.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id }))[0];
            if (i % 4 == 1 && task.Assignee is null)
            {
                await source.Engine.ClaimTaskAsync(task.Id, "bob");
            }
            else if (i % 4 == 2)
            {
                await source.Engine.CompleteTaskAsync(task.Id, new Dictionary<string, object?> { ["approved"] = true }, "alice");
            }
            else
            {
                aliceInbox.Add(task.Id);
            }
        }

        var parent = await source.Engine.StartAsync("call-inbox", "P-1", new Dictionary<string, object?> { ["assignee"] = "carol", ["users"] = "", ["roles"] = "", ["due"] = null });
        await EngineRowCopy.CopyAsync(source, host);
        var before = await DumpAsync(host);
        Assert.True(before["wf_variables"].Count > 12 && before["wf_task_candidates"].Count > 12, "the version-4 file holds rows");

        var upgrade = await host.Database.UpgradeSchemaAsync();

        Assert.Equal((4, WorkflowDatabase.ScriptsFor(DatabaseProvider.Sqlite).LatestVersion), (upgrade.FromVersion, upgrade.ToVersion));
        // Columns later versions add (0008: history rows of several events) are not part of what version 4 held.
        var after = await DumpAsync(host, ["entry_count", "entries"]);
        // 0010 adds the record of when keyed chaining began: none for a store without a key.
        Assert.Empty(after["wf_history_keys"]);
        Assert.Equal(before.Keys.Order(), after.Keys.Where(t => t != "wf_history_keys").Order());
        foreach (var (table, rows) in before)
        {
            Assert.True(rows.SequenceEqual(after[table]), $"{table}: {rows.Count} rows before, {after[table].Count} after, or a value changed");
        }

        Assert.Equal("ok", await host.ScalarAsync("PRAGMA integrity_check"));
        foreach (var table in new[] { "wf_variables", "wf_task_candidates" })
        {
            Assert.EndsWith("WITHOUT ROWID", ((string)(await host.ScalarAsync($"SELECT sql FROM sqlite_master WHERE name = '{table}'"))!).Trim(), StringComparison.Ordinal);
        }

        // The instances go on: inboxes, queries by assignee and parent, variables, completing a task.
        var inbox = await host.Store.GetInboxAsync("alice", ["clerk"], 0, 50);
        Assert.Equal(aliceInbox.Order(), inbox.Select(t => t.Id).Order());
        var aliceOpen = await host.Engine.GetTasksAsync(new TaskQuery { Assignee = "alice" });
        Assert.All(aliceOpen, t => Assert.Equal(("alice", UserTaskState.Open), (t.Assignee, t.State)));
        Assert.Equal(3, aliceOpen.Count);
        Assert.Equal(2, (await host.Engine.GetTasksAsync(new TaskQuery { Assignee = "bob" })).Count);
        var child = Assert.Single(await host.Engine.GetInstancesAsync(new InstanceQuery { ParentInstanceId = parent.Id }));
        var first = (await host.Engine.GetInstancesAsync(new InstanceQuery { BusinessKey = "BK-0" }))[0];
        Assert.Equal(0m, (await host.Engine.GetVariablesAsync(first.Id))!["amount"]);
        var childTask = Assert.Single(await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = child.Id }));
        await host.Engine.CompleteTaskAsync(childTask.Id, null, "carol");
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(parent.Id))!.State);
        Assert.Empty(await host.Engine.GetTasksAsync(new TaskQuery { Assignee = "carol" }));
    }

    [Fact]
    public async Task Upgrade_FromVersion5FileWithHistory_KeepsEveryRowAndSequenceAndNumbersOnWithoutSqliteSequence()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.Sqlite, persistence: o => o.UpgradeSchemaOnStart = false);
        Assert.Equal(5, (await host.Database.UpgradeSchemaAsync(targetVersion: 5)).ToVersion);
        await using var source = await DurableHost.StartAsync(DatabaseProvider.Sqlite);
        await source.DeployFileAsync("Bpmn/inbox.bpmn");
        await source.DeployFileAsync("Bpmn/call-inbox.bpmn");
        var open = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            var instance = await source.Engine.StartAsync(i % 2 == 0 ? "inbox" : "call-inbox", $"BK-{i}", new Dictionary<string, object?>
            {
                ["assignee"] = null, ["users"] = "alice", ["roles"] = "clerk", ["due"] = null, ["note"] = $"备注 {i}",
            }, "starter");
            var task = (await source.Store.GetInboxAsync("alice", [], 0, 50)).Single(t => !open.Contains(t.Id));
            if (i % 3 == 0)
            {
                await source.Engine.CompleteTaskAsync(task.Id, null, "alice");
            }
            else
            {
                open.Add(task.Id);
            }
        }

        await EngineRowCopy.CopyAsync(source, host);
        var before = await DumpAsync(host);
        var lastSequence = Convert.ToInt64(await host.ScalarAsync("SELECT MAX(\"sequence\") FROM \"wf_history\""), CultureInfo.InvariantCulture);
        Assert.True(before["wf_history"].Count > 30, "the version-5 file holds history");
        Assert.Equal(lastSequence, Convert.ToInt64(await host.ScalarAsync("SELECT \"seq\" FROM sqlite_sequence WHERE name = 'wf_history'"), CultureInfo.InvariantCulture));

        var upgrade = await host.Database.UpgradeSchemaAsync(targetVersion: 6);

        Assert.Equal((5, 6), (upgrade.FromVersion, upgrade.ToVersion));
        var after = await DumpAsync(host);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (table, rows) in before)
        {
            Assert.True(rows.SequenceEqual(after[table]), $"{table}: {rows.Count} rows before, {after[table].Count} after, or a value changed");
        }

        Assert.Equal("ok", await host.ScalarAsync("PRAGMA integrity_check"));
        var sql = (string)(await host.ScalarAsync("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'wf_history'"))!;
        Assert.DoesNotContain("AUTOINCREMENT", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, await host.ScalarAsync("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'wf_history'"));
        Assert.NotNull(await host.ScalarAsync("SELECT name FROM sqlite_master WHERE name = 'IX_wf_history_instance'"));
        Assert.Null(await host.ScalarAsync("SELECT name FROM sqlite_master WHERE name = 'IX_wf_history_business_key'"));
        // Today's store reads and writes the columns of later versions.
        await host.Database.UpgradeSchemaAsync();
        var byKey = await host.Admin.GetHistoryByBusinessKeyAsync("BK-1");
        var ofKey = new List<long>();
        foreach (var keyed in await host.Engine.GetInstancesAsync(new InstanceQuery { BusinessKey = "BK-1" }))
        {
            ofKey.AddRange((await host.Engine.GetHistoryAsync(keyed.Id)).Select(h => h.Sequence));
        }

        Assert.NotEmpty(byKey);
        Assert.Equal(ofKey.Order(), byKey.Select(h => h.Sequence));

        // New rows number on after the largest kept; the chains of the old rows and the new ones hold.
        await host.Engine.CompleteTaskAsync(open[0], null, "alice");
        var next = await host.Engine.StartAsync("inbox", "BK-NEXT", new Dictionary<string, object?> { ["assignee"] = "bob", ["users"] = "", ["roles"] = "", ["due"] = null });
        var history = await host.Engine.GetHistoryAsync(next.Id);
        Assert.All(history, h => Assert.True(h.Sequence > lastSequence, $"{h.Sequence} after {lastSequence}"));
        Assert.Equal(await host.CountAsync("wf_history"), Convert.ToInt64(await host.ScalarAsync("SELECT COUNT(DISTINCT \"sequence\") FROM \"wf_history\""), CultureInfo.InvariantCulture));
        var chains = await host.Services.GetRequiredService<HistoryChainVerifier>().VerifyAllAsync();
        Assert.True(chains.IsIntact, string.Join("; ", chains.Broken));
        Assert.Equal(open.Count - 1, (await host.Store.GetInboxAsync("alice", [], 0, 50)).Count);
    }

    /// <summary>Every row of every engine table, each as its columns' types and values, in a stable order.</summary>
    private static async Task<Dictionary<string, List<string>>> DumpAsync(DurableHost host, string[]? without = null)
    {
        var tables = new List<string>();
        await using var connection = await host.Database.OpenConnectionAsync();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'wf\\_%' ESCAPE '\\' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            var rows = new List<string>();
            await using var read = connection.CreateCommand();
            read.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Where(i => without?.Contains(reader.GetName(i)) != true).Select(i =>
                    $"{reader.GetName(i)}={reader.GetFieldType(i).Name}:{Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}")));
            }

            rows.Sort(StringComparer.Ordinal);
            dump[table] = rows;
        }

        return dump;
    }
}
