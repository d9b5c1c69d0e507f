using System.Data;
using System.Data.Common;
using Npgsql;
using Trading.Workflow.Engine.Persistence.Data;
using Trading.Workflow.Engine.Runtime;
using Trading.Workflow.Engine.Persistence.Schema;
using Trading.Workflow.Engine.Persistence.Tests.Support;

namespace Trading.Workflow.Engine.Persistence.Tests.Store;

/// <summary>
/// PostgreSQL: the store hands out the connection it was given back last (Npgsql's own pool hands out its idle ones
/// first in, first out), keeps only idle open ones, a bounded number, for a bounded time.
/// </summary>
public sealed class RecentConnectionsTests
{
    [Fact]
    public async Task AfterCommandsSideBySide_ALoneCaller_RunsOnTheConnectionGivenBackLast()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.PostgreSql);
        var database = host.Database;
        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => database.LeaseConnectionAsync().AsTask()));
        var backends = new List<int>();
        foreach (var lease in leases)
        {
            backends.Add(await BackendAsync(lease.Connection));
        }

        Assert.Equal(4, backends.Distinct().Count());
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        // First in, first out, these would go round the four backends.
        for (var i = 0; i < 6; i++)
        {
            await using var lease = await database.LeaseConnectionAsync();
            Assert.Equal(backends[^1], await BackendAsync(lease.Connection));
        }

        Assert.Equal(4, database.Recent!.Count);
    }

    [Fact]
    public async Task ACommand_GivesItsConnectionBack_AndTheNextRunsOnIt()
    {
        await using var host = await DurableHost.StartAsync(DatabaseProvider.PostgreSql);
        await host.DeployFileAsync("Bpmn/approval-v1.bpmn");
        var instance = await host.Engine.StartAsync("approval", "BK-1", null, "alice");

        Assert.Equal(1, host.Database.Recent!.Count);
        await host.Engine.GetTasksAsync(new TaskQuery { InstanceId = instance.Id });
        Assert.Equal(1, host.Database.Recent.Count);
    }

    [Fact]
    public async Task AConnectionStillReading_IsNotKept()
    {
        await using var source = await Source.CreateAsync();
        using var recent = new RecentConnections(new TestClock(DateTimeOffset.UnixEpoch), 4);
        var connection = await source.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();

        await recent.ReturnAsync(connection);

        Assert.Equal(0, recent.Count);
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task ConnectionsUnusedPastTheIdleLimit_GoBackToThePool()
    {
        await using var source = await Source.CreateAsync();
        var clock = new TestClock(DateTimeOffset.UnixEpoch);
        using var recent = new RecentConnections(clock, 4);
        var first = await source.OpenAsync();
        var second = await source.OpenAsync();
        await recent.ReturnAsync(first);
        clock.Advance(TimeSpan.FromSeconds(6));
        await recent.ReturnAsync(second);
        clock.Advance(TimeSpan.FromSeconds(6));

        recent.Prune();

        Assert.Equal(1, recent.Count);
        Assert.Equal(ConnectionState.Closed, first.State);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(recent.TryTake());
        Assert.Equal(0, recent.Count);
        Assert.Equal(ConnectionState.Closed, second.State);
    }

    [Fact]
    public async Task BeyondItsCapacity_AConnectionGoesBackToThePool()
    {
        await using var source = await Source.CreateAsync();
        using var recent = new RecentConnections(new TestClock(DateTimeOffset.UnixEpoch), 2);
        var connections = new List<NpgsqlConnection>();
        for (var i = 0; i < 3; i++)
        {
            connections.Add(await source.OpenAsync());
        }

        foreach (var connection in connections)
        {
            await recent.ReturnAsync(connection);
        }

        Assert.Equal(2, recent.Count);
        Assert.Equal(ConnectionState.Closed, connections[2].State);
        Assert.Same(connections[1], recent.TryTake());
        Assert.Same(connections[0], recent.TryTake());
        Assert.Null(recent.TryTake());
    }

    [Theory]
    [InlineData("Host=db", 16)]
    [InlineData("Host=db;Maximum Pool Size=10", 5)]
    [InlineData("Host=db;Maximum Pool Size=1", 0)]
    [InlineData("Host=db;Pooling=false", 0)]
    public void HowManyAreKept_FollowsThePool(string connectionString, int capacity)
    {
        using var recent = RecentConnections.For(new NpgsqlConnectionStringBuilder(connectionString), TimeProvider.System);

        Assert.Equal(capacity, recent?.Capacity ?? 0);
    }

    /// <summary>A data source of its own on an empty test database, for connections to hand to the store's stack.</summary>
    private sealed class Source(TestDatabase database, NpgsqlDataSource source) : IAsyncDisposable
    {
        public static async Task<Source> CreateAsync()
        {
            var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
            return new Source(database, NpgsqlDataSource.Create(database.ConnectionString));
        }

        public async Task<NpgsqlConnection> OpenAsync() => await source.OpenConnectionAsync();

        public async ValueTask DisposeAsync()
        {
            await source.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static async Task<int> BackendAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pg_backend_pid()";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
