using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// Two app nodes on one database count the same failed sign-ins (a count per node would give N nodes N times the
/// guesses), and a node's restart forgets none of them.
/// </summary>
public sealed class SignInThrottleNodesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tw-throttle-").FullName;

    [Fact]
    public async Task FailuresOnOneNode_BlockThatAddressOnTheOtherNode_AndAfterARestart()
    {
        await using (var nodeA = Node())
        await using (var nodeB = Node())
        {
            _ = nodeA.Server;
            _ = nodeB.Server;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await Client(nodeA, "203.0.113.40").PostLoginAsync("staff", "Wrong-guess-2026");
            }

            Assert.Contains("该账户已被锁定", await (await Client(nodeB, "203.0.113.40").PostLoginAsync("staff", "Demo@2026")).LoginErrorAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await Client(nodeB, "198.51.100.40").PostLoginAsync("staff", "Demo@2026")).StatusCode);
        }

        await using var restarted = Node();
        Assert.Contains("该账户已被锁定", await (await Client(restarted, "203.0.113.40").PostLoginAsync("staff", "Demo@2026")).LoginErrorAsync(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be flushing; the temp folder is cleaned by the OS.
        }
    }

    private PlatformFactory Node() => new(
        new Dictionary<string, string?> { ["Accounts:Lockout:MaxFailedAccessAttempts"] = "3" },
        services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>(),
        dataFolder: _folder);

    private static HttpClient Client(PlatformFactory node, string address)
    {
        var client = node.CreateNoRedirectClient();
        client.DefaultRequestHeaders.Add(ClientAddressFromHeader.Header, address);
        return client;
    }
}
