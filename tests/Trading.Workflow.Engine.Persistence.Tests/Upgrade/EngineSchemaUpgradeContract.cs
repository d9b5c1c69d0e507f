using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Upgrade;

/// <summary>The engine tables upgrade in place: a database at the previous schema version keeps its data.</summary>
public abstract class EngineSchemaUpgradeContract
{
    protected abstract DatabaseProvider Provider { get; }

    [Fact]
    public void EngineScripts_AreNumberedWithoutGapsAndHaveAnUpgrade()
    {
        var scripts = WorkflowDatabase.ScriptsFor(Provider);

        Assert.Equal(WorkflowDatabase.SchemaModule, scripts.Module);
        Assert.True(scripts.LatestVersion >= 2);
    }

    [Fact]
    public async Task Upgrade_FromVersionOneWithData_KeepsInstancesTasksAndHistory()
    {
        // The rows a version-1 database holds, written by the engine and copied into a database at version 1 (today's
        // store writes columns version 1 does not have).
        await using var source = await DurableHost.StartAsync(Provider);
        await source.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await source.Engine.StartAsync("approval", "BK-U1", new Dictionary<string, object?> { ["budget"] = 1200.50m }, "alice");
        var task = Assert.Single(await source.Engine.GetTasksAsync(new() { InstanceId = instance.Id }));
        await source.Engine.ClaimTaskAsync(task.Id, "bob");
        var historyBefore = await source.Engine.GetHistoryAsync(instance.Id);
        await using var host = await DurableHost.StartAsync(Provider, persistence: o => o.UpgradeSchemaOnStart = false);
        var initial = await host.Database.UpgradeSchemaAsync(targetVersion: 1);
        await EngineRowCopy.CopyAsync(source, host);

        var upgrade = await host.Database.UpgradeSchemaAsync();

        Assert.Equal(1, initial.ToVersion);
        Assert.Equal(1, upgrade.FromVersion);
        Assert.Equal(WorkflowDatabase.ScriptsFor(Provider).LatestVersion, upgrade.ToVersion);
        var after = await host.Engine.GetInstanceAsync(instance.Id);
        Assert.Equal(instance.Version + 1, after!.Version);
        Assert.Equal("BK-U1", after.BusinessKey);
        Assert.Equal(1200.50m, (await host.Engine.GetVariablesAsync(instance.Id))["budget"]);
        Assert.Equal("bob", (await host.Engine.GetTaskAsync(task.Id))!.Assignee);
        Assert.Equal(historyBefore.Count, (await host.Engine.GetHistoryAsync(instance.Id)).Count);
        Assert.Equal([task.Id], (await host.Store.GetInboxAsync("bob", [], 0, 50)).Select(t => t.Id));
        await host.Engine.CompleteTaskAsync(task.Id, null, "bob");
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);

        // The rows from before the chain stay unchained and are counted as such; the chain starts after them.
        var chain = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Trading.Workflow.Engine.Persistence.Store.HistoryChainVerifier>(host.Services).VerifyInstanceAsync(instance.Id);
        Assert.True(chain!.IsIntact, chain.ToString());
        Assert.Equal(historyBefore.Count, chain.UnchainedRows);
        Assert.True(chain.CheckedCount > 0);
    }

    [Fact]
    public async Task Upgrade_DatabaseWithTwoDraftsOfAProcess_KeepsTheOneSavedLast()
    {
        await using var host = await DurableHost.StartAsync(Provider, persistence: o => o.UpgradeSchemaOnStart = false);
        var draftIndex = WorkflowDatabase.ScriptsFor(Provider).Scripts.Single(s => s.Name.Contains("one_draft_per_process", StringComparison.Ordinal)).Version;
        await host.Database.UpgradeSchemaAsync(targetVersion: draftIndex - 1);
        var at = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
        await using (var connection = await host.Database.OpenConnectionAsync())
        await using (var db = host.Database.CreateContext(connection))
        {
            db.Definitions.AddRange(
                Draft("approval", "甲", at), Draft("approval", "乙", at.AddSeconds(1)), Draft("approval", "丙", at.AddMilliseconds(500)),
                Draft("other", "丁", at));
            await db.SaveChangesAsync();
        }

        await host.Database.UpgradeSchemaAsync();

        Assert.Equal("乙", Assert.Single(await host.Versions.GetVersionsAsync("approval")).CreatedBy);
        Assert.Equal("丁", Assert.Single(await host.Versions.GetVersionsAsync("other")).CreatedBy);
        await using (var connection = await host.Database.OpenConnectionAsync())
        await using (var db = host.Database.CreateContext(connection))
        {
            db.Definitions.Add(Draft("other", "戊", at));
            await Assert.ThrowsAnyAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => db.SaveChangesAsync());
        }

        static DefinitionEntity Draft(string processId, string by, DateTimeOffset createdAt) => new()
        {
            Id = Guid.NewGuid(), ProcessId = processId, BpmnXml = $"<draft by='{by}'/>", State = DefinitionState.Draft, CreatedAt = createdAt, CreatedBy = by,
        };
    }

    [Fact]
    public async Task Upgrade_Twice_SecondRunAppliesNothing()
    {
        await using var host = await DurableHost.StartAsync(Provider, persistence: o => o.UpgradeSchemaOnStart = false);
        await host.Database.UpgradeSchemaAsync();

        var again = await host.Database.UpgradeSchemaAsync();

        Assert.Empty(again.AppliedVersions);
        Assert.Equal(again.FromVersion, again.ToVersion);
    }
}

public sealed class SqliteEngineSchemaUpgradeTests : EngineSchemaUpgradeContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlEngineSchemaUpgradeTests : EngineSchemaUpgradeContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
