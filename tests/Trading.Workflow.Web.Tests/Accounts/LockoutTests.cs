using AngleSharp.Html.Parser;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Accounts;

public sealed class LockoutTests : IAsyncLifetime
{
    private readonly PlatformFactory _factory = new(new Dictionary<string, string?> { ["Accounts:Lockout:MaxFailedAccessAttempts"] = "3" });

    [Fact]
    public async Task Login_AfterConfiguredFailures_SaysAccountIsLockedEvenWithRightPassword()
    {
        var client = _factory.CreateNoRedirectClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await client.PostLoginAsync("expert", "Wrong@2026");
        }

        var response = await client.PostLoginAsync("expert", "Demo@2026");

        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Assert.Contains("已被锁定", page.QuerySelector("[data-testid=login-error]")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_AfterFewerFailuresThanConfigured_StillSucceeds()
    {
        var client = _factory.CreateNoRedirectClient();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await client.PostLoginAsync("bidder", "Wrong@2026");
        }

        var response = await client.PostLoginAsync("bidder", "Demo@2026");

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();
}
