using System.Net;
using Npgsql;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hosting;

/// <summary>
/// Two nodes started at the same moment on an empty PostgreSQL database (a cluster's first start) both come up: their
/// start-up work (schemas, roles, shipped procedures, platform keys, demo data) runs one node after the other, so
/// neither creates what the other just created.
/// </summary>
public sealed class TwoNodeStartTests : IAsyncLifetime
{
    private readonly PostgreSqlInstallation _installation = new();

    public Task InitializeAsync() => _installation.InitializeAsync();

    public Task DisposeAsync() => _installation.DisposeAsync();

    [Fact]
    public async Task TwoNodesStartingAtOnceOnAnEmptyDatabase_BothStart_AndTheStartUpWorkIsDoneOnce()
    {
        await using var nodeA = _installation.Node();
        await using var nodeB = _installation.Node();

        // Each start blocks its thread for seconds: threads of their own, not the pool's.
        await Task.WhenAll(
            Task.Factory.StartNew(() => _ = nodeA.Server, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
            Task.Factory.StartNew(() => _ = nodeB.Server, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

        Assert.Equal(HttpStatusCode.OK, (await nodeA.CreateClient().GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nodeB.CreateClient().GetAsync("/health/ready")).StatusCode);
        // The shipped procedures were published once, not again by the second node.
        await using var connection = new NpgsqlConnection(_installation.ConnectionString);
        await connection.OpenAsync();
        await using var versions = new NpgsqlCommand("""SELECT count(*) FROM "wf_definitions" WHERE "version" > 1""", connection);
        Assert.Equal(0L, await versions.ExecuteScalarAsync());
    }
}
