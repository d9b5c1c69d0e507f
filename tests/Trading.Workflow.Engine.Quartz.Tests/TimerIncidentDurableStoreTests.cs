using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Store;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Engine.Quartz.Tests;

/// <summary>
/// A timer whose firing fails for good becomes an incident on its instance in the durable store, as the web app runs
/// it (engine on the EF store, Quartz's job store in the same database), on SQLite and on PostgreSQL: the incident
/// outlives a restart, nothing is left in Quartz to fire it again, and retrying the incident (as the instance viewer
/// does for an async job) with the missing variable set fires the timer's event and the instance goes on.
/// </summary>
public abstract class TimerIncidentDurableStoreTests
{
    private static readonly Dictionary<string, object?> _soon = new() { ["wait"] = "PT0.2S" };

    protected abstract DatabaseProvider Provider { get; }

    protected abstract string ConnectionString { get; }

    [Fact]
    public async Task FiringThatFailsForGood_IsAnIncidentInTheDatabase_SurvivesARestart_AndItsRetryFiresTheTimer()
    {
        Guid instanceId;
        Guid timerId;
        await using (var first = await StartAsync())
        {
            var engine = first.Services.GetRequiredService<IWorkflowEngine>();
            await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Bpmn", "timer-failing.bpmn")));
            var instance = await engine.StartAsync("timerIntoBadCondition", variables: _soon);
            instanceId = instance.Id;
            timerId = Assert.Single(await engine.GetTimersAsync(instanceId)).Id;

            await Eventually.HoldsAsync(async () => (await engine.GetIncidentsAsync(instanceId)).Count > 0, TimeSpan.FromSeconds(30), "no incident opened");
            var quartz = await first.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();
            await Eventually.HoldsAsync(async () => !await quartz.Exists(WorkflowQuartzKeys.TimerTrigger(timerId)), TimeSpan.FromSeconds(10), "the timer's trigger is still scheduled");
        }

        // A new process on the same database: the incident is there, the timer is not tried again.
        await using var second = await StartAsync();
        var restarted = second.Services.GetRequiredService<IWorkflowEngine>();
        var incident = Assert.Single(await restarted.GetIncidentsAsync(instanceId));
        Assert.Equal(("failedTimer", "wait", (DateTimeOffset?)null), (incident.Type, incident.ElementId, incident.ResolvedAt));
        Assert.Empty(await restarted.GetTimersAsync(instanceId));
        var scheduler = await second.Services.GetRequiredService<QuartzWorkflowScheduler>().GetSchedulerAsync();
        Assert.False(await scheduler.Exists(WorkflowQuartzKeys.TimerTrigger(timerId)));
        Assert.Equal(InstanceState.Active, (await restarted.GetInstanceAsync(instanceId))!.State);

        await restarted.RetryJobAsync(incident.JobId!.Value, userId: "admin", variables: new Dictionary<string, object?> { ["approved"] = true }, reason: "approval recorded");

        await Eventually.HoldsAsync(async () => (await restarted.GetInstanceAsync(instanceId))!.State == InstanceState.Completed, TimeSpan.FromSeconds(30), "the retried timer did not complete the instance");
        Assert.Empty(await restarted.GetIncidentsAsync(instanceId)); // resolved by the retry: no open incident left
    }

    private async Task<RunningHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The file's other process calls a handler; this test's process does not reach it.
        builder.Services.AddWorkflowEngine().AddHandler(new UnusedHandler());
        builder.Services.AddWorkflowPersistence(o =>
        {
            o.Provider = Provider;
            o.ConnectionString = ConnectionString;
        });
        builder.AddQuartzTimers(o =>
        {
            o.Provider = Provider == DatabaseProvider.PostgreSql ? QuartzStoreProvider.PostgreSql : QuartzStoreProvider.Sqlite;
            o.ConnectionString = ConnectionString;
            o.MisfireThreshold = TimeSpan.FromSeconds(1);
            o.IdleWaitTime = TimeSpan.FromSeconds(1);
            o.ReconcileInterval = TimeSpan.Zero;
            o.TimerRetryDelay = TimeSpan.FromMilliseconds(100);
        });
        builder.Services.Configure<TaskReminderOptions>(o => o.Enabled = false);
        var host = builder.Build();
        await host.StartAsync();
        return new RunningHost(host);
    }

    private sealed class UnusedHandler : Trading.Workflow.Engine.Handlers.IServiceTaskHandler
    {
        public string Name => "down";

        public string Description => "Not reached by this test's process (tests).";

        public ValueTask ExecuteAsync(Trading.Workflow.Engine.Handlers.ServiceTaskContext context) =>
            throw new InvalidOperationException("not reached");
    }

    /// <summary>One application process: stopping it stops Quartz before the host goes.</summary>
    private sealed class RunningHost(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}

public sealed class TimerIncidentOnSqliteTests : TimerIncidentDurableStoreTests, IDisposable
{
    private readonly TempSqliteFile _file = new();

    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={_file.Path}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _file.Dispose();
    }
}

public sealed class TimerIncidentOnPostgreSqlTests : TimerIncidentDurableStoreTests, IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();

    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override string ConnectionString => _database.ConnectionString;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
    }
}
