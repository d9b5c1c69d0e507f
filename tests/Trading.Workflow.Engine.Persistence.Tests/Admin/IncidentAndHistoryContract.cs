using Trading.Workflow.Engine.Handlers;
using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Engine.History;
using Trading.Workflow.Engine.Persistence.Admin;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;

namespace Trading.Workflow.Engine.Persistence.Tests.Admin;

/// <summary>Fails while <see cref="FailuresLeft"/> is above zero.</summary>
internal sealed class RemoteCallHandler : IServiceTaskHandler
{
    public int FailuresLeft { get; set; }

    public string Name => "flaky";

    public string Description => "Fails a number of times (tests)";

    public ValueTask ExecuteAsync(ServiceTaskContext context)
    {
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new InvalidOperationException("remote system unavailable");
        }

        context.SetVariable("remoteDone", true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Incidents persisted and administered across instances; history kept and queryable by business key.</summary>
public abstract class IncidentAndHistoryContract
{
    protected abstract DatabaseProvider Provider { get; }

    private static async Task<(DurableHost Host, Guid InstanceId)> FailedJobAsync(DatabaseProvider provider, RemoteCallHandler handler, string businessKey)
    {
        var host = await DurableHost.StartAsync(provider, b => b.AddHandler(handler));
        await host.DeployFileAsync("Runtime/Bpmn/async.bpmn");
        var instance = await host.Engine.StartAsync("async", businessKey);
        for (var i = 0; i < 3; i++)
        {
            await host.Engine.ExecuteDueJobsAsync();
        }

        return (host, instance.Id);
    }

    [Fact]
    public async Task FailingAsyncJob_AfterDefaultRetries_OpensIncidentListedForAdministrators()
    {
        var (host, instanceId) = await FailedJobAsync(Provider, new RemoteCallHandler { FailuresLeft = 10 }, "BK-I1");
        await using var _ = host;

        var page = await host.Admin.GetOpenIncidentsAsync(0, 50);

        var incident = Assert.Single(page.Items);
        Assert.Equal(1, page.Total);
        Assert.Equal(instanceId, incident.InstanceId);
        Assert.Equal("BK-I1", incident.BusinessKey);
        Assert.Equal("callRemote", incident.ElementId);
        Assert.Contains("remote system unavailable", incident.Message, StringComparison.Ordinal);
        var job = Assert.Single(await host.Engine.GetJobsAsync(instanceId));
        Assert.Equal(0, job.RetriesLeft);
        Assert.Equal(["other"], (await host.Engine.GetTasksAsync(new() { InstanceId = instanceId })).Select(t => t.ElementId));
    }

    [Fact]
    public async Task OpenIncidents_AcrossInstances_ArePaged()
    {
        var handler = new RemoteCallHandler { FailuresLeft = 1000 };
        var (host, _) = await FailedJobAsync(Provider, handler, "BK-P0");
        await using var _ = host;
        for (var i = 1; i < 5; i++)
        {
            await host.Engine.StartAsync("async", $"BK-P{i}");
        }

        for (var i = 0; i < 3; i++)
        {
            await host.Engine.ExecuteDueJobsAsync();
        }

        var first = await host.Admin.GetOpenIncidentsAsync(0, 2);
        var last = await host.Admin.GetOpenIncidentsAsync(4, 2);

        Assert.Equal(5, first.Total);
        Assert.Equal(2, first.Items.Count);
        Assert.Single(last.Items);
        Assert.DoesNotContain(last.Items[0].Id, first.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task RetryIncident_WithChangedVariables_RunsJobAndRecordsAdminAction()
    {
        var handler = new RemoteCallHandler { FailuresLeft = 3 };
        var (host, instanceId) = await FailedJobAsync(Provider, handler, "BK-I2");
        await using var _ = host;
        var incident = Assert.Single((await host.Admin.GetOpenIncidentsAsync()).Items);

        await host.Admin.RetryIncidentAsync(incident.Id, "ops", new Dictionary<string, object?> { ["endpoint"] = "backup" });
        await host.Engine.ExecuteDueJobsAsync();

        Assert.Empty((await host.Admin.GetOpenIncidentsAsync()).Items);
        var resolved = Assert.Single((await host.Admin.GetAllIncidentsAsync()).Items);
        Assert.NotNull(resolved.ResolvedAt);
        Assert.Equal("ops", resolved.ResolvedBy);
        var variables = await host.Engine.GetVariablesAsync(instanceId);
        Assert.Equal("backup", variables["endpoint"]);
        Assert.Equal(true, variables["remoteDone"]);
        var history = await host.Engine.GetHistoryAsync(instanceId);
        Assert.Contains(history, h => h.Type == HistoryEventType.AdminAction && h.UserId == "ops");
        Assert.Contains(history, h => h.Type == HistoryEventType.IncidentOpened);
        Assert.Contains(history, h => h.Type == HistoryEventType.IncidentResolved);
    }

    [Fact]
    public async Task RetryIncident_WithVariablesRacingAPlainRetryFromAnotherProcess_ChangesVariablesOnlyWhenItWins()
    {
        var (host, instanceId) = await FailedJobAsync(Provider, new RemoteCallHandler { FailuresLeft = 10 }, "BK-I4");
        await using var _ = host;
        await using var other = DurableHost.StartBeside(host);
        var incident = Assert.Single((await host.Admin.GetOpenIncidentsAsync()).Items);

        var outcomes = await Task.WhenAll(
            SucceedsAsync(() => host.Admin.RetryIncidentAsync(incident.Id, "ops", new Dictionary<string, object?> { ["endpoint"] = "backup" })),
            SucceedsAsync(() => other.Admin.RetryIncidentAsync(incident.Id, "ops2")));

        Assert.Single(outcomes, won => won);
        var variables = await host.Engine.GetVariablesAsync(instanceId);
        Assert.Equal(outcomes[0], variables.ContainsKey("endpoint"));
        Assert.Equal(0, (await host.Admin.GetOpenIncidentsAsync()).Total);
    }

    [Fact]
    public async Task RetryIncident_WithVariablesOnSuspendedInstance_IsRefusedAndLeavesVariablesAndIncident()
    {
        var (host, instanceId) = await FailedJobAsync(Provider, new RemoteCallHandler { FailuresLeft = 10 }, "BK-I5");
        await using var _ = host;
        var incident = Assert.Single((await host.Admin.GetOpenIncidentsAsync()).Items);
        await host.Engine.SuspendInstanceAsync(instanceId, "investigating", "ops");

        await Assert.ThrowsAsync<InstanceSuspendedException>(() => host.Admin.RetryIncidentAsync(incident.Id, "ops", new Dictionary<string, object?> { ["endpoint"] = "backup" }));

        Assert.False((await host.Engine.GetVariablesAsync(instanceId)).ContainsKey("endpoint"));
        Assert.Equal(incident.Id, Assert.Single((await host.Admin.GetOpenIncidentsAsync()).Items).Id);
    }

    private static async Task<bool> SucceedsAsync(Func<Task> action)
    {
        try
        {
            await Task.Yield();
            await action();
            return true;
        }
        catch (WorkflowConflictException)
        {
            return false;
        }
    }

    [Fact]
    public async Task ResolveIncident_WithoutRetry_RecordsWhoAndWhy()
    {
        var (host, instanceId) = await FailedJobAsync(Provider, new RemoteCallHandler { FailuresLeft = 10 }, "BK-I3");
        await using var _ = host;
        var incident = Assert.Single((await host.Admin.GetOpenIncidentsAsync()).Items);

        await host.Admin.ResolveIncidentAsync(incident.Id, "ops", "booked by hand in the registry");

        Assert.Equal(0, (await host.Admin.GetOpenIncidentsAsync()).Total);
        var history = await host.Engine.GetHistoryAsync(instanceId);
        var action = Assert.Single(history, h => h.Type == HistoryEventType.AdminAction);
        Assert.Equal("ops", action.UserId);
        Assert.Contains("booked by hand in the registry", action.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_ByBusinessKey_KeptAfterInstanceEndsAndCoversEveryInstanceOfTheKey()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var first = await host.Engine.StartAsync("approval", "BK-H1", null, "alice");
        await host.Engine.CompleteTaskAsync((await host.Engine.GetTasksAsync(new() { InstanceId = first.Id }))[0].Id, null, "bob");
        var second = await host.Engine.StartAsync("approval", "BK-H1", null, "alice");
        await host.Engine.CancelInstanceAsync(second.Id, "withdrawn by the bidder", "carol");
        await host.Engine.StartAsync("approval", "BK-OTHER");

        var history = await host.Admin.GetHistoryByBusinessKeyAsync("BK-H1");

        Assert.All(history, h => Assert.Equal("BK-H1", h.BusinessKey));
        Assert.Equal([first.Id, second.Id], history.Select(h => h.InstanceId).Distinct());
        Assert.Contains(history, h => h.Type == HistoryEventType.TaskCompleted && h.UserId == "bob");
        Assert.Contains(history, h => h.Type == HistoryEventType.InstanceCompleted && h.InstanceId == first.Id);
        Assert.Contains(history, h => h.Type == HistoryEventType.InstanceCancelled && h.UserId == "carol");
        Assert.Equal(history.Select(h => h.Sequence).Order(), history.Select(h => h.Sequence));
        Assert.Equal(InstanceState.Completed, (await host.Engine.GetInstanceAsync(first.Id))!.State);
    }

    [Fact]
    public async Task History_ByBusinessKey_FindsTheInstancesThenTheirRowsThroughIndexes_TheHistoryHasNoBusinessKeyIndex()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        for (var i = 0; i < 30; i++)
        {
            await host.Engine.StartAsync("approval", $"BK-P{i % 10}", null, "alice");
        }

        await using var connection = await host.Database.OpenConnectionAsync();
        await using var db = host.Database.CreateContext(connection);
        await using var command = WorkflowAdminService.HistoryByBusinessKey(db, "BK-P3").CreateDbCommand();
        var plan = await QueryPlan.LinesAsync(connection, command, Provider);

        var text = string.Join("\n", plan);
        Assert.Contains("IX_wf_instances_business_key", text, StringComparison.Ordinal);
        Assert.Contains("IX_wf_history_instance", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PK_wf_history", text, StringComparison.Ordinal);
        Assert.DoesNotContain(plan, p => p.StartsWith("SCAN ", StringComparison.Ordinal));
        Assert.Equal(0L, Convert.ToInt64(await host.ScalarAsync(Provider == DatabaseProvider.PostgreSql
            ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'IX_wf_history_business_key' AND schemaname = current_schema()"
            : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'IX_wf_history_business_key'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, (await host.Admin.GetHistoryByBusinessKeyAsync("BK-P3")).Select(h => h.InstanceId).Distinct().Count());
    }

    [Fact]
    public async Task SetVariables_RecordsOldAndNewValueInHistory()
    {
        await using var host = await DurableHost.StartAsync(Provider);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", "BK-V1", new Dictionary<string, object?> { ["budget"] = 100m });

        await host.Engine.SetVariablesAsync(instance.Id, new Dictionary<string, object?> { ["budget"] = 250.50m }, "auditor");

        var change = (await host.Engine.GetHistoryAsync(instance.Id)).Last(h => h.VariableName == "budget");
        Assert.Equal(100m, change.OldValue);
        Assert.Equal(250.50m, change.NewValue);
        Assert.Equal("auditor", change.UserId);
    }
}

public sealed class SqliteIncidentAndHistoryTests : IncidentAndHistoryContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgreSqlIncidentAndHistoryTests : IncidentAndHistoryContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
