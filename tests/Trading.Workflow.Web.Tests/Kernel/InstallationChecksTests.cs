using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Trail;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Kernel;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Kernel;

/// <summary>
/// The nodes of one installation share their keys, documents and bank instruction folder: a node with a key or a folder
/// of its own refuses to start, saying what to share; nodes sharing them start, and a sign-in made on one is valid on
/// the other.
/// </summary>
public sealed class InstallationChecksTests : IAsyncLifetime
{
    private readonly PostgreSqlInstallation _installation = new();

    public Task InitializeAsync() => _installation.InitializeAsync();

    public Task DisposeAsync() => _installation.DisposeAsync();

    [Fact]
    public async Task NodesSharingKeysAndDocuments_StartAndShareSignIns_AndANodeWithItsOwnOfEitherRefusesToStart()
    {
        await using var nodeA = _installation.Node();
        _ = nodeA.Server;
        await using var ownKeys = _installation.Node(sharedKeys: false);
        await using var ownFiles = _installation.Node(sharedDocuments: false);
        await using var ownBankFolder = _installation.Node(sharedBankFolder: false);

        var keysRefused = Assert.ThrowsAny<Exception>(() => _ = ownKeys.Server);
        var filesRefused = Assert.ThrowsAny<Exception>(() => _ = ownFiles.Server);
        var bankRefused = Assert.ThrowsAny<Exception>(() => _ = ownBankFolder.Server);

        Assert.Contains("Storage:KeysFolder", keysRefused.ToString(), StringComparison.Ordinal);
        Assert.Contains("Documents:Folder", filesRefused.ToString(), StringComparison.Ordinal);
        Assert.Contains("Deposits:InstructionFolder", bankRefused.ToString(), StringComparison.Ordinal);
        await using var nodeB = _installation.Node();
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
        await using var node = _installation.Node();
        _ = node.Server;
        var old = node.Services.GetRequiredService<TrailKeyRing>().Current!;
        var changed = TrailKey.FromBase64(TrailKey.GenerateBase64())!;
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        await InstallationChecks.EnsureTrailKeyAsync(db, new TrailKeyRing(changed, [old]), TimeProvider.System);

        Assert.Equal(changed.Id, (await db.InstallationChecks.SingleAsync(c => c.Name == InstallationChecks.TrailKey)).Value);
        await Assert.ThrowsAsync<InvalidOperationException>(() => InstallationChecks.EnsureTrailKeyAsync(db, new TrailKeyRing(old), TimeProvider.System));
        await InstallationChecks.EnsureTrailKeyAsync(db, new TrailKeyRing(changed, [old]), TimeProvider.System);
    }
}

/// <summary>One node on SQLite: a restart keeps its documents and bank instruction folders; started on an empty one instead, it refuses.</summary>
public sealed class SqliteDocumentsFolderCheckTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("tw-documents-check-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Restart_KeepsTheDocumentsFolder_AndAStartOnAnEmptyOneIsRefused()
    {
        await using (var first = new PlatformFactory(dataFolder: _data))
        {
            _ = first.Server;
        }

        Assert.True(File.Exists(Path.Combine(_data, "files", InstallationChecks.MarkerFileName)));
        await using (var again = new PlatformFactory(dataFolder: _data))
        {
            _ = again.Server;
        }

        await using var elsewhere = new PlatformFactory(new Dictionary<string, string?> { ["Documents:Folder"] = "other-files" }, dataFolder: _data);
        var refused = Assert.ThrowsAny<Exception>(() => _ = elsewhere.Server);
        Assert.Contains("Documents:Folder", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_KeepsTheBankInstructionFolder_AndAStartOnAnotherIsRefused_UnlessTheBankIsReachedOverHttp()
    {
        await using (var first = new PlatformFactory(dataFolder: _data))
        {
            _ = first.Server;
        }

        Assert.True(File.Exists(Path.Combine(_data, "bank", "instructions", InstallationChecks.MarkerFileName)));
        await using (var again = new PlatformFactory(dataFolder: _data))
        {
            _ = again.Server;
        }

        await using (var elsewhere = new PlatformFactory(new Dictionary<string, string?> { ["Deposits:InstructionFolder"] = "other-bank" }, dataFolder: _data))
        {
            var refused = Assert.ThrowsAny<Exception>(() => _ = elsewhere.Server);
            Assert.Contains("Deposits:InstructionFolder", refused.ToString(), StringComparison.Ordinal);
        }

        // Instructions sent to a bank's API are not files: no folder to share.
        await using var overHttp = new PlatformFactory(new Dictionary<string, string?>
        {
            ["Deposits:Adapter"] = "http",
            ["Deposits:BankBaseUrl"] = "http://127.0.0.1:9/",
            ["Deposits:InstructionFolder"] = "other-bank",
        }, dataFolder: _data);
        _ = overHttp.Server;
    }
}
