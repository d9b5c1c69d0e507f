using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trading.Workflow.Engine.Parsing;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Quartz.ClusterHost;
using Trading.Workflow.Engine.Quartz.Tests.Support;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Testing;

namespace Trading.Workflow.Engine.Quartz.Tests;

/// <summary>
/// Two real application processes on one PostgreSQL database, Quartz clustered, the engine on the durable store.
/// One node is killed while the timers fire; the other must take over, and every timer must fire exactly once.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private const int Timers = 200;
    private readonly PostgresTestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task TwoNodes_WhenOneIsKilledMidRun_FireEveryTimerExactlyOnce()
    {
        var pooled = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = true }.ConnectionString;
        await ExecuteAsync(RecordFiringHandler.Schema);
        await using var client = BuildClient(pooled);
        var engine = client.GetRequiredService<IWorkflowEngine>();
        await engine.DeployAsync(BpmnParser.ParseFile(Path.Combine(AppContext.BaseDirectory, "Bpmn", "timer-record.bpmn")));

        // Every timer due at the same instant, scheduled through the engine's commit → QuartzWorkflowScheduler path
        // (a client whose scheduler never starts, so it only writes triggers). The nodes start afterwards and find
        // them due: the work is waiting for whichever node takes it.
        var due = DateTimeOffset.UtcNow.AddSeconds(2);
        var variables = new Dictionary<string, object?> { ["due"] = due.ToString("O", CultureInfo.InvariantCulture) };
        var instances = new List<Guid>();
        for (var i = 0; i < Timers; i++)
        {
            instances.Add((await engine.StartAsync("clusterTimer", businessKey: $"bid-{i}", variables: variables)).Id);
        }

        // The client only wrote triggers. (Checked before the nodes start: on a loaded machine the first node may
        // already fire while the second is still starting.)
        await Task.Delay(due - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500) is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM timer_firings"));

        var starting = new[]
        {
            ClusterNodeProcess.StartAsync(pooled, "node-a", "engine", workMilliseconds: 150),
            ClusterNodeProcess.StartAsync(pooled, "node-b", "engine", workMilliseconds: 150),
        };
        await using var nodeA = await starting[0];
        await using var nodeB = await starting[1];

        await Eventually.HoldsAsync(async () => await CountAsync("SELECT count(*) FROM timer_firings WHERE node = 'node-a'") >= 20, TimeSpan.FromSeconds(120),
            "node A never started firing:" + Environment.NewLine + nodeA.Output);
        nodeA.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        // What node A had acquired or was executing when it died: B's cluster recovery must take it over.
        var inFlightOfA = await CountAsync("SELECT count(*) FROM qrtz_fired_triggers WHERE instance_name = 'node-a'");

        await Eventually.HoldsAsync(async () => await CountAsync("SELECT count(DISTINCT instance_id) FROM timer_firings") >= Timers, TimeSpan.FromSeconds(240),
            "not every timer fired after node A was killed:" + Environment.NewLine + nodeB.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(Timers, await CountAsync("SELECT count(*) FROM timer_firings"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM (SELECT instance_id FROM timer_firings GROUP BY instance_id HAVING count(*) > 1) d"));
        Assert.True(await CountAsync("SELECT count(*) FROM timer_firings WHERE node = 'node-a'") > 0);
        Assert.True(await CountAsync($"SELECT count(*) FROM timer_firings WHERE node = 'node-b' AND fired_at > '{killedAt:O}'") > 0,
            "node B fired nothing after node A was killed");
        Assert.True(inFlightOfA > 0, "node A was killed with nothing in flight");
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM qrtz_fired_triggers WHERE instance_name = 'node-a'"));
        Assert.Empty(await engine.GetTimersAsync(null));
        foreach (var id in instances)
        {
            Assert.Equal(Store.InstanceState.Completed, (await engine.GetInstanceAsync(id))!.State);
        }
    }

    private ServiceProvider BuildClient(string connectionString)
    {
        // Schedules through the same path as a node but never starts its scheduler: it only writes triggers.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflowEngine().AddHandler(new RecordFiringHandler("client", TimeSpan.Zero));
        services.AddWorkflowPersistence(o =>
        {
            o.Provider = DatabaseProvider.PostgreSql;
            o.ConnectionString = connectionString;
        });
        services.AddQuartzTimers(o => ClusterNode.Configure(o, connectionString, "client", 1, engineBacked: true));
        return services.BuildServiceProvider();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
