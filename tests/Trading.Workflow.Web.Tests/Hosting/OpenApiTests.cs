using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Api;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hosting;

public sealed class OpenApiTests(OpenApiTests.Fixture fixture) : IClassFixture<OpenApiTests.Fixture>
{
    [Fact]
    public async Task Document_IsPublicAndDescribesEveryMappedApiRouteWithItsResponses()
    {
        var document = await fixture.DocumentAsync();
        var paths = document.GetProperty("paths");

        var routes = ApiRoutes(fixture.Factory.Services);

        Assert.NotEmpty(routes);
        foreach (var (pattern, method, anonymous) in routes)
        {
            Assert.True(paths.TryGetProperty(pattern, out var path), $"{pattern} is not in the document.");
            Assert.True(path.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {pattern} is not in the document.");
            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.Contains(responses, r => r.StartsWith('2'));
            if (!anonymous)
            {
                // Public routes (the portal, the bank's signed callback) have no role to refuse; every other route documents it.
                Assert.Contains("403", responses);
            }
        }
    }

    [Fact]
    public async Task Document_DescribesRequestBodiesAndTypedResponses()
    {
        var paths = (await fixture.DocumentAsync()).GetProperty("paths");

        var start = paths.GetProperty("/api/workflow/instances").GetProperty("post");
        var complete = paths.GetProperty("/api/workflow/tasks/{id}/complete").GetProperty("post");
        var inbox = paths.GetProperty("/api/workflow/inbox").GetProperty("get");

        Assert.Contains("StartRequest", start.GetProperty("requestBody").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("StartedInstance", start.GetProperty("responses").GetProperty("201").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("HttpValidationProblemDetails", complete.GetProperty("responses").GetProperty("400").GetRawText(), StringComparison.Ordinal);
        Assert.Contains("InboxPage", inbox.GetProperty("responses").GetProperty("200").GetRawText(), StringComparison.Ordinal);
        Assert.Contains(inbox.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() is "tab" or "Tab");
    }

    [Fact]
    public async Task Document_ErrorsAreProblemDetails()
    {
        var paths = (await fixture.DocumentAsync()).GetProperty("paths");

        var claim = paths.GetProperty("/api/workflow/tasks/{id}/claim").GetProperty("post").GetProperty("responses");

        foreach (var status in new[] { "400", "403", "404", "409" })
        {
            var content = claim.GetProperty(status).GetProperty("content");
            Assert.Contains("ProblemDetails", content.GetProperty("application/problem+json").GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Document_NamesTheCookieAndWhoMayCall()
    {
        var document = await fixture.DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiExtensions.CookieScheme);
        var cancel = document.GetProperty("paths").GetProperty("/api/workflow/instances/{id}/cancel").GetProperty("post");

        Assert.Equal("cookie", scheme.GetProperty("in").GetString());
        Assert.Contains(cancel.GetProperty("security").EnumerateArray(), s => s.TryGetProperty(ApiExtensions.CookieScheme, out _));
        Assert.Contains("Administrators", cancel.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reference_Anonymous_IsSentToSignIn()
    {
        var response = await fixture.Factory.CreateNoRedirectClient().GetAsync(ApiExtensions.ReferencePath + "/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("staff")]
    [InlineData("supervisor")]
    [InlineData("bidder")]
    public async Task Reference_NonAdministrator_IsRefused(string userName)
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);

        var response = await client.GetAsync(ApiExtensions.ReferencePath + "/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reference_Administrator_IsServedPointingAtTheDocument()
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync("admin");

        // Scalar serves the page at the prefix with a trailing slash (and redirects there from without).
        var response = await client.GetAsync(ApiExtensions.ReferencePath + "/");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.Headers.Location}");
        Assert.Contains("\"url\":\"openapi/v1.json\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The script comes from the app itself, not from a CDN the centre's network may block.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ApiExtensions.ReferencePath + "/scalar.js")).StatusCode);
    }

    /// <summary>Every REST route the app maps: under /api (the reference page aside) and the document downloads.</summary>
    private static List<(string Pattern, string Method, bool Anonymous)> ApiRoutes(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw
                        && (raw.StartsWith("/api/", StringComparison.Ordinal) || raw.StartsWith("/workflow/", StringComparison.Ordinal))
                        && !raw.StartsWith(ApiExtensions.ReferencePath, StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["?"]).Select(m => (OpenApiPath(e.RoutePattern.RawText!), m, e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)))
            .Distinct()
            .ToList();

    // The document writes {id:guid} as {id}, and a group's own route ("/inbox" + "") without the trailing slash.
    private static string OpenApiPath(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^:}]+):[^}]+\}", "{$1}").TrimEnd('/');

    public sealed class Fixture : IAsyncLifetime
    {
        private JsonElement? _document;

        public PlatformFactory Factory { get; } = new();

        public async Task<JsonElement> DocumentAsync()
        {
            if (_document is null)
            {
                // Anonymous: the document describes, it exposes no data.
                var response = await Factory.CreateNoRedirectClient().GetAsync(ApiExtensions.DocumentPath);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                _document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }

            return _document.Value;
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
