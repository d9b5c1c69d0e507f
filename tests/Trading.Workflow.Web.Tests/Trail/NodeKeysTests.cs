using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trading.Workflow.Testing;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Trail;

namespace Trading.Workflow.Web.Tests.Trail;

/// <summary>
/// The nodes of one installation share their keys: a node keyed unlike the others refuses to start, saying what to
/// share; nodes given one keys folder start, and a sign-in made on one is valid on the other.
/// </summary>
public sealed class NodeKeysTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly string _keys = Directory.CreateTempSubdirectory("tw-node-keys-").FullName;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _database.DisposeAsync();
        Directory.Delete(_keys, recursive: true);
    }

    [Fact]
    public async Task NodeWithItsOwnKeys_RefusesToStart_AndNodesSharingAKeysFolder_ShareSignIns()
    {
        await using var nodeA = Node(_keys);
        _ = nodeA.Server;
        await using var loner = Node(keysFolder: null);

        var refused = Assert.ThrowsAny<Exception>(() => _ = loner.Server);

        Assert.Contains("Storage:KeysFolder", refused.ToString(), StringComparison.Ordinal);
        await using var nodeB = Node(_keys);
        _ = nodeB.Server;
        var signIn = await nodeA.CreateNoRedirectClient().PostLoginAsync("staff", "Demo@2026");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var onB = nodeB.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        onB.DefaultRequestHeaders.Add("Cookie", string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/inbox")).StatusCode);
        var anonymous = nodeB.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/inbox")).StatusCode);
    }

    [Fact]
    public async Task KeyChange_RolledOutWithTheOldKeyAsPrevious_MovesTheRecord_AndANodeStillOnTheOldKeyIsRefused()
    {
        await using var node = Node(_keys);
        _ = node.Server;
        var old = node.Services.GetRequiredService<TrailKeyRing>().Current!;
        var changed = TrailKey.FromBase64(TrailKey.GenerateBase64())!;
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        await TrailKeyCheck.EnsureAsync(db, new TrailKeyRing(changed, [old]), TimeProvider.System);

        Assert.Equal(changed.Id, db.TrailKeyInUse.Single().KeyId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => TrailKeyCheck.EnsureAsync(db, new TrailKeyRing(old), TimeProvider.System));
        await TrailKeyCheck.EnsureAsync(db, new TrailKeyRing(changed, [old]), TimeProvider.System);
    }

    private PlatformFactory Node(string? keysFolder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = _database.ConnectionString,
        };
        if (keysFolder is not null)
        {
            settings["Storage:KeysFolder"] = keysFolder;
        }

        return new PlatformFactory(settings);
    }
}
