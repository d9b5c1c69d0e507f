using System.Net;
using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;
using Trading.Workflow.Web.Workflow;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// Issue 16 §1: a locked account, a reset password or changed roles end the session on the very next request of every
/// kind — a page, the API, a message of a Blazor circuit — not after a re-validation interval.
/// </summary>
public sealed class SessionEndTests(SessionEndTests.Fixture fixture) : IClassFixture<SessionEndTests.Fixture>
{
    private readonly PlatformFactory _factory = fixture.Factory;

    /// <summary>One app for the class: every test ends the session of its own account.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    [Fact]
    public async Task ApiCookie_AfterTheAccountIsLocked_IsRefusedOnTheNextRequest()
    {
        var client = await ApiClientAsync("expert");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/workflow/inbox")).StatusCode);

        await AdministerAsync((admin, id, adminId) => admin.LockAsync(id, adminId), "expert");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/workflow/inbox")).StatusCode);
    }

    [Fact]
    public async Task PageCookie_AfterTheAccountIsLocked_AsksToSignInAgain()
    {
        var client = _factory.CreateNoRedirectClient();
        await client.SignInAsync("staff2");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account")).StatusCode);

        await AdministerAsync((admin, id, adminId) => admin.LockAsync(id, adminId), "staff2");

        var response = await client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiCookie_AfterRolesChange_IsRefusedOnTheNextRequest()
    {
        var client = await ApiClientAsync("bidder2");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/workflow/inbox")).StatusCode);

        await AdministerAsync((admin, id, _) => admin.UpdateRolesAndCentreAsync(id, [PlatformRoles.Expert], null), "bidder2");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/workflow/inbox")).StatusCode);
    }

    [Fact]
    public async Task ApiCookie_AfterPasswordReset_IsRefusedOnTheNextRequest()
    {
        var client = await ApiClientAsync("tenderee2");

        await AdministerAsync((admin, id, _) => admin.ResetPasswordAsync(id, "Fresh-Spring-2026-pq"), "tenderee2");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/workflow/inbox")).StatusCode);
    }

    [Fact]
    public async Task Circuit_OfALockedAccount_IsClosedOnItsNextMessage()
    {
        var principal = await PrincipalAsync("agency");
        var filter = _factory.Services.GetRequiredService<SessionHubFilter>();
        var caller = new Caller(principal);
        var invoked = 0;
        ValueTask<object?> Next(HubInvocationContext _)
        {
            invoked++;
            return ValueTask.FromResult<object?>(null);
        }

        await filter.InvokeMethodAsync(Invocation(caller), Next);
        Assert.Equal(1, invoked);

        await AdministerAsync((admin, id, adminId) => admin.LockAsync(id, adminId), "agency");

        await Assert.ThrowsAsync<HubException>(async () => await filter.InvokeMethodAsync(Invocation(caller), Next));
        Assert.Equal(1, invoked);
        Assert.True(caller.Aborted);
    }

    [Fact]
    public async Task Circuit_ReconnectingWithARejectedCookie_IsClosed()
    {
        var filter = _factory.Services.GetRequiredService<SessionHubFilter>();
        var http = new DefaultHttpContext();
        http.Items[AccountSessions.EndedItem] = true;
        var caller = new Caller(new ClaimsPrincipal(new ClaimsIdentity()), http);

        await Assert.ThrowsAsync<HubException>(async () => await filter.InvokeMethodAsync(Invocation(caller), _ => ValueTask.FromResult<object?>(null)));
        Assert.True(caller.Aborted);
    }

    [Fact]
    public async Task AnonymousApiCall_Is401AndWrongRole403_NotARedirect()
    {
        var anonymous = _factory.CreateNoRedirectClient();
        var supervisor = await ApiClientAsync("supervisor");

        var unauthenticated = await anonymous.GetAsync("/api/workflow/inbox");
        var forbidden = await supervisor.GetAsync("/api/docs/");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Null(unauthenticated.Headers.Location);
        // The API reference is a page a browser opens: it still sends the browser to the access-denied page.
        Assert.Equal(HttpStatusCode.Redirect, forbidden.StatusCode);
    }

    private async Task<HttpClient> ApiClientAsync(string userName)
    {
        var client = _factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);
        client.DefaultRequestHeaders.Add(WorkflowEndpoints.ApiHeader, "test");
        return client;
    }

    private async Task AdministerAsync(Func<UserAdministration, string, string, Task<AccountResult>> change, string userName)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(userName);
        var admin = await users.FindByNameAsync("admin");
        var result = await change(scope.ServiceProvider.GetRequiredService<UserAdministration>(), user!.Id, admin!.Id);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(string userName)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        return await factory.CreateAsync((await users.FindByNameAsync(userName))!);
    }

    private HubInvocationContext Invocation(HubCallerContext caller) =>
        new(caller, _factory.Services, new NoHub(), typeof(NoHub).GetMethod(nameof(NoHub.Ping))!, []);

    private sealed class NoHub : Hub
    {
        public static void Ping()
        {
        }
    }

    private sealed class Caller(ClaimsPrincipal user, HttpContext? http = null) : HubCallerContext
    {
        private readonly FeatureCollection _features = FeaturesOf(http);

        public bool Aborted { get; private set; }

        public override string ConnectionId => "test";

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => user;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features => _features;

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort() => Aborted = true;

        private static FeatureCollection FeaturesOf(HttpContext? http)
        {
            var features = new FeatureCollection();
            if (http is not null)
            {
                features.Set<Microsoft.AspNetCore.Http.Connections.Features.IHttpContextFeature>(new HttpContextFeature(http));
            }

            return features;
        }
    }

    private sealed class HttpContextFeature(HttpContext http) : Microsoft.AspNetCore.Http.Connections.Features.IHttpContextFeature
    {
        public HttpContext? HttpContext { get; set; } = http;
    }
}
