using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Persistence.Versions;
using Trading.Workflow.Engine.Runtime;

namespace Trading.Workflow.Engine.Persistence.Tests.Versions;

/// <summary>Drafts, publishing, retiring, re-publishing and migrating running instances.</summary>
public abstract class ProcessVersionContract
{
    protected abstract DatabaseProvider Provider { get; }

    private Task<DurableHost> HostAsync() => DurableHost.StartAsync(Provider);

    private static async Task PublishAsync(DurableHost host, string file, string note)
    {
        await host.Versions.SaveDraftAsync(DurableHost.ReadBpmn(file), "designer");
        await host.Versions.PublishAsync("approval", "admin", note);
    }

    [Fact]
    public async Task SaveDraft_WithValidationErrors_KeepsProblemsAndRefusesPublish()
    {
        await using var host = await HostAsync();

        var draft = Assert.Single(await host.Versions.SaveDraftAsync(DurableHost.ReadBpmn("approval-broken.bpmn"), "designer"));

        Assert.Equal(DefinitionState.Draft, draft.State);
        Assert.Null(draft.Version);
        Assert.True(draft.HasErrors);
        Assert.Contains(draft.Problems, p => p.Code == Trading.Workflow.Engine.Validation.ValidationCodes.NoStartEvent);
        var stored = Assert.Single(await host.Versions.GetVersionsAsync("approval"));
        Assert.Equal(draft.Problems.Count, stored.Problems.Count);
        await Assert.ThrowsAsync<WorkflowDefinitionException>(() => host.Versions.PublishAsync("approval", "admin", "try"));
    }

    [Fact]
    public async Task SaveDraft_BasedOnTheStoredDraft_SavesAndABasedOnAnOlderOneIsRefused()
    {
        await using var host = await HostAsync();
        await using var other = DurableHost.StartBeside(host);
        var v1 = DurableHost.ReadBpmn("approval-v1.bpmn");
        var v2 = DurableHost.ReadBpmn("approval-v2.bpmn");

        // Two editors open the procedure while it has no draft; the first saves, then the second.
        await host.Versions.SaveDraftAsync(v1, "甲", new DraftBase("approval", null));
        var refused = await Assert.ThrowsAsync<WorkflowConflictException>(() => other.Versions.SaveDraftAsync(v2, "乙", new DraftBase("approval", null)));

        Assert.Contains("甲", refused.MessageZh, StringComparison.Ordinal);
        Assert.Equal(v1, await host.Versions.GetXmlAsync("approval", null));
        Assert.Equal("甲", (await host.Versions.GetVersionsAsync("approval")).Single().CreatedBy);

        // Based on what is stored now, it saves; the unchecked save (imports, system updates) still replaces.
        await other.Versions.SaveDraftAsync(v2, "乙", new DraftBase("approval", v1));
        Assert.Equal(v2, await host.Versions.GetXmlAsync("approval", null));
        await host.Versions.SaveDraftAsync(v1, "甲");
        Assert.Equal(v1, await host.Versions.GetXmlAsync("approval", null));
    }

    [Fact]
    public async Task SaveDraft_WhoseDraftWasPublishedMeanwhile_IsRefused()
    {
        await using var host = await HostAsync();
        var v1 = DurableHost.ReadBpmn("approval-v1.bpmn");
        await host.Versions.SaveDraftAsync(v1, "甲");
        await host.Versions.PublishAsync("approval", "甲", "first");

        var refused = await Assert.ThrowsAsync<WorkflowConflictException>(() =>
            host.Versions.SaveDraftAsync(DurableHost.ReadBpmn("approval-v2.bpmn"), "乙", new DraftBase("approval", v1)));

        Assert.Contains("发布", refused.MessageZh, StringComparison.Ordinal);
        Assert.Null(await host.Versions.GetXmlAsync("approval", null));
    }

    [Fact]
    public async Task SaveDraft_UncheckedFirstDraftsOnTwoNodesAtOnce_LeaveOneDraft()
    {
        await using var host = await HostAsync();
        await using var other = DurableHost.StartBeside(host);
        var v1 = DurableHost.ReadBpmn("approval-v1.bpmn");

        // Imports on two nodes creating the procedure's first draft at the same instant.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? host : other).Versions.SaveDraftAsync(v1, $"导入{i}"))));

        var draft = Assert.Single(await host.Versions.GetVersionsAsync("approval"));
        Assert.Null(draft.Version);
    }

    [Fact]
    public async Task Publish_Draft_CreatesNextVersionWithWhoWhenAndNote()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "first");

        await host.Versions.SaveDraftAsync(DurableHost.ReadBpmn("approval-v2.bpmn"), "designer");
        var published = await host.Versions.PublishAsync("approval", "admin", "add signing step");

        Assert.Equal(2, published.Version);
        Assert.Equal(DefinitionState.Published, published.State);
        Assert.Equal("admin", published.PublishedBy);
        Assert.Equal(DurableHost.StartTime, published.PublishedAt);
        Assert.Equal("add signing step", published.ChangeNote);
        Assert.DoesNotContain(await host.Versions.GetVersionsAsync("approval"), v => v.State == DefinitionState.Draft);
    }

    [Fact]
    public async Task NewInstances_UseLatestPublished_RunningInstancesKeepTheirVersion()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "v1");
        var old = await host.Engine.StartAsync("approval", "BK-OLD");

        await PublishAsync(host, "approval-v2.bpmn", "v2");
        var fresh = await host.Engine.StartAsync("approval", "BK-NEW");
        await host.Engine.CompleteTaskAsync((await host.Engine.GetTasksAsync(new() { InstanceId = old.Id }))[0].Id, null, "alice");

        Assert.Equal(2, fresh.ProcessVersion);
        var oldAfter = await host.Engine.GetInstanceAsync(old.Id);
        Assert.Equal(1, oldAfter!.ProcessVersion);
        Assert.Equal(Trading.Workflow.Engine.Store.InstanceState.Completed, oldAfter.State);
    }

    [Fact]
    public async Task Retire_LatestVersion_NewStartsUseThePreviousPublishedVersion()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "v1");
        await PublishAsync(host, "approval-v2.bpmn", "v2");

        var retired = await host.Versions.RetireAsync("approval", 2, "admin");
        var started = await host.Engine.StartAsync("approval");

        Assert.Equal(DefinitionState.Retired, retired.State);
        Assert.Equal("admin", retired.RetiredBy);
        Assert.Equal(1, started.ProcessVersion);
    }

    [Fact]
    public async Task Retire_EveryVersion_NewStartsAreRefused()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "v1");

        await host.Versions.RetireAsync("approval", 1, "admin");

        await Assert.ThrowsAsync<WorkflowStateException>(() => host.Engine.StartAsync("approval").AsTask());
    }

    [Fact]
    public async Task Retire_InAnotherProcess_RefusesAStartNamingTheVersionHereAtOnce()
    {
        await using var here = await HostAsync();
        await PublishAsync(here, "approval-v1.bpmn", "v1");
        await PublishAsync(here, "approval-v2.bpmn", "v2");
        await here.Engine.StartAsync(new StartInstanceRequest("approval") { Version = 1 });
        await using var there = DurableHost.StartBeside(here);

        await there.Versions.RetireAsync("approval", 1, "admin");

        await Assert.ThrowsAsync<WorkflowStateException>(() => here.Engine.StartAsync(new StartInstanceRequest("approval") { Version = 1 }).AsTask());
    }

    [Fact]
    public async Task Retire_InAnotherProcess_NewStartsByIdHereUseThePreviousVersionAtOnce()
    {
        await using var here = await HostAsync();
        await PublishAsync(here, "approval-v1.bpmn", "v1");
        await PublishAsync(here, "approval-v2.bpmn", "v2");
        Assert.Equal(2, (await here.Engine.StartAsync("approval")).ProcessVersion);
        await using var there = DurableHost.StartBeside(here);

        await there.Versions.RetireAsync("approval", 2, "admin");

        Assert.Equal(1, (await here.Engine.StartAsync("approval")).ProcessVersion);
    }

    [Fact]
    public async Task Publish_InAnotherProcess_NewStartsByIdHereUseTheNewVersionAtOnce()
    {
        // The start here read version 1 as the latest and may keep that answer; its commit checks it.
        await using var here = await HostAsync();
        await PublishAsync(here, "approval-v1.bpmn", "v1");
        Assert.Equal(1, (await here.Engine.StartAsync("approval")).ProcessVersion);
        await using var there = DurableHost.StartBeside(here);

        await PublishAsync(there, "approval-v2.bpmn", "v2");

        Assert.Equal(2, (await here.Engine.StartAsync("approval")).ProcessVersion);
        Assert.Equal(2, (await here.Engine.StartAsync("approval")).ProcessVersion);
        Assert.Equal(1, await CountStartedOnAsync(here, 1));
    }

    [Fact]
    public async Task RetireEveryVersion_InAnotherProcess_StartsByIdHereAreRefusedAtOnce()
    {
        await using var here = await HostAsync();
        await PublishAsync(here, "approval-v1.bpmn", "v1");
        Assert.Equal(1, (await here.Engine.StartAsync("approval")).ProcessVersion);
        await using var there = DurableHost.StartBeside(here);

        await there.Versions.RetireAsync("approval", 1, "admin");

        await Assert.ThrowsAsync<WorkflowStateException>(() => here.Engine.StartAsync("approval").AsTask());
        Assert.Equal(1, await CountStartedOnAsync(here, 1));
    }

    private static async Task<long> CountStartedOnAsync(DurableHost host, int version) =>
        Convert.ToInt64(await host.ScalarAsync($"SELECT COUNT(*) FROM \"wf_instances\" WHERE \"process_version\" = {version}"), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Republish_InAnotherProcess_AfterEveryVersionRetired_StartsHereAgainOnTheNewVersion()
    {
        await using var here = await HostAsync();
        await PublishAsync(here, "approval-v1.bpmn", "v1");
        await here.Versions.RetireAsync("approval", 1, "admin");
        await Assert.ThrowsAsync<WorkflowStateException>(() => here.Engine.StartAsync("approval").AsTask());
        await using var there = DurableHost.StartBeside(here);

        await there.Versions.RepublishAsync("approval", 1, "admin", "back in use");

        Assert.Equal(2, (await here.Engine.StartAsync("approval")).ProcessVersion);
        await Assert.ThrowsAsync<WorkflowStateException>(() => here.Engine.StartAsync(new StartInstanceRequest("approval") { Version = 1 }).AsTask());
    }

    [Fact]
    public async Task Retire_VersionWithRunningInstance_InstanceTaskStillCompletes()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "v1");
        var instance = await host.Engine.StartAsync("approval", "BK-R1");

        await host.Versions.RetireAsync("approval", 1, "admin");
        await host.Engine.CompleteTaskAsync((await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }))[0].Id, null, "alice");

        Assert.Equal(Trading.Workflow.Engine.Store.InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
    }

    [Fact]
    public async Task Retire_VersionWithTimerStart_TimerStartsNoInstanceAndIsRemoved()
    {
        await using var host = await HostAsync();
        await host.Versions.SaveDraftAsync(DurableHost.ReadBpmn("timer-start.bpmn"), "designer");
        await host.Versions.PublishAsync("daily", "admin", "v1");
        var timer = Assert.Single(await host.Engine.GetTimersAsync());
        await host.Versions.RetireAsync("daily", 1, "admin");

        await host.Engine.FireTimerAsync(timer.Id);

        Assert.Equal((0, 0), ((await host.Engine.GetInstancesAsync(new() { ProcessId = "daily" })).Count, (await host.Engine.GetTimersAsync()).Count));
    }

    [Fact]
    public async Task Republish_EarlierVersion_BecomesNewLatestWithItsContent()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "v1");
        await PublishAsync(host, "approval-v2.bpmn", "v2");

        var republished = await host.Versions.RepublishAsync("approval", 1, "admin", "roll back the signing step");
        var started = await host.Engine.StartAsync("approval");
        await host.Engine.CompleteTaskAsync((await host.Engine.GetTasksAsync(new() { InstanceId = started.Id }))[0].Id, null, "alice");

        Assert.Equal(3, republished.Version);
        Assert.Equal("roll back the signing step", republished.ChangeNote);
        Assert.Equal(3, started.ProcessVersion);
        Assert.Equal(Trading.Workflow.Engine.Store.InstanceState.Completed, (await host.Engine.GetInstanceAsync(started.Id))!.State);
    }

    [Fact]
    public async Task Migrate_RunningInstance_MovesToNewVersionKeepingTaskAssigneeAndHistory()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "v1");
        var instance = await host.Engine.StartAsync("approval", "BK-M1");
        var task = (await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }))[0];
        await host.Engine.ClaimTaskAsync(task.Id, "alice");
        await PublishAsync(host, "approval-v2.bpmn", "v2");
        var historyBefore = (await host.Engine.GetHistoryAsync(instance.Id)).Count;

        await host.Migration.MigrateAsync(new MigrationRequest([instance.Id], 2) { UserId = "admin", Reason = "new signing rule" });
        await host.Engine.CompleteTaskAsync(task.Id, null, "alice");

        var after = await host.Engine.GetInstanceAsync(instance.Id);
        Assert.Equal(2, after!.ProcessVersion);
        var migratedTask = await host.Engine.GetTaskAsync(task.Id);
        Assert.Equal("alice", migratedTask!.Assignee);
        Assert.Equal(2, migratedTask.ProcessVersion);
        Assert.Equal(["sign"], (await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id })).Select(t => t.ElementId));
        var history = await host.Engine.GetHistoryAsync(instance.Id);
        Assert.True(history.Count > historyBefore);
        Assert.Contains(history, h => h.Type == HistoryEventType.AdminAction && h.UserId == "admin" && h.Details!.Contains("new signing rule", StringComparison.Ordinal));
        Assert.Contains(history, h => h.Type == HistoryEventType.TaskClaimed && h.TaskId == task.Id);
    }

    [Fact]
    public async Task Migrate_ActiveTaskWithoutTarget_IsRefusedAndChangesNothing()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "v1");
        var instance = await host.Engine.StartAsync("approval", "BK-M2");
        await PublishAsync(host, "approval-renamed.bpmn", "v2 renamed");

        var problems = await host.Migration.ValidateAsync(new MigrationRequest([instance.Id], 2));
        var error = await Assert.ThrowsAsync<MigrationValidationException>(() => host.Migration.MigrateAsync(new MigrationRequest([instance.Id], 2)));

        Assert.Contains(problems, p => p.ElementId == "approve");
        Assert.NotEmpty(error.Problems);
        var after = await host.Engine.GetInstanceAsync(instance.Id);
        Assert.Equal(1, after!.ProcessVersion);
        Assert.Equal(1, after.Version);
    }

    [Fact]
    public async Task Migrate_WithElementMapping_MovesTaskToRenamedElement()
    {
        await using var host = await HostAsync();
        await PublishAsync(host, "approval-v1.bpmn", "v1");
        var instance = await host.Engine.StartAsync("approval", "BK-M3");
        var task = (await host.Engine.GetTasksAsync(new() { InstanceId = instance.Id }))[0];
        await PublishAsync(host, "approval-renamed.bpmn", "v2 renamed");

        await host.Migration.MigrateAsync(new MigrationRequest([instance.Id], 2)
        {
            ElementMapping = new Dictionary<string, string> { ["approve"] = "firstReview" },
        });
        await host.Engine.CompleteTaskAsync(task.Id, null, "bob");

        Assert.Equal("firstReview", (await host.Engine.GetTaskAsync(task.Id))!.ElementId);
        Assert.Equal(Trading.Workflow.Engine.Store.InstanceState.Completed, (await host.Engine.GetInstanceAsync(instance.Id))!.State);
    }
}

public sealed class SqliteProcessVersionTests : ProcessVersionContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlProcessVersionTests : ProcessVersionContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
