using System.Net;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Errors;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// Issue 16 §7: every endpoint and page against <see cref="EndpointAccessTable"/>, by its metadata and by requests as
/// anonymous and as each demo role. API callers get 401/403, browsers the sign-in or access-denied page; nothing
/// answers 500.
/// </summary>
public sealed partial class EndpointAccessTests(HardeningAppFixture fixture) : IClassFixture<HardeningAppFixture>
{
    /// <summary>One demo account per role.</summary>
    private static readonly string[] DemoUsers = ["admin", "staff", "supervisor", "tenderee", "bidder", "agency", "buyer", "expert"];

    [Fact]
    public void EveryEndpointAndPage_HasARow_AndEveryRowAnEndpoint()
    {
        var endpoints = Endpoints();
        var actual = endpoints.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

        // What to add, and where: the row that the endpoint's own metadata suggests, in the file beside it.
        var missing = endpoints
            .Where(e => !EndpointAccessTable.Rows.ContainsKey(e.Key))
            .Select(e => $"{EndpointAccessTable.PathOf(FolderOf(e.Endpoint))}: {e.Key}\t{e.Rule}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var stale = EndpointAccessTable.AllRows
            .Where(r => !actual.Contains(r.Key))
            .Select(r => $"{EndpointAccessTable.PathOf(r.Folder)} line {r.Line}: {r.Key} (no such endpoint)")
            .ToList();

        Assert.True(missing.Count == 0, "Endpoints without a row:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Rows without an endpoint:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void EveryRow_IsKeptNextToItsEndpoint_AndListedOnce()
    {
        var misplaced = Endpoints()
            .Where(e => EndpointAccessTable.Folders.TryGetValue(e.Key, out var folder) && folder != FolderOf(e.Endpoint))
            .Select(e => $"{e.Key}: in {EndpointAccessTable.PathOf(EndpointAccessTable.Folders[e.Key])}, belongs in {EndpointAccessTable.PathOf(FolderOf(e.Endpoint))}")
            .ToList();
        var twice = EndpointAccessTable.AllRows.GroupBy(r => r.Key, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => $"{EndpointAccessTable.PathOf(r.Folder)} line {r.Line}"))}")
            .ToList();

        Assert.True(misplaced.Count == 0, string.Join("\n", misplaced));
        Assert.True(twice.Count == 0, string.Join("\n", twice));
        Assert.True(EndpointAccessTable.AllRows.Count >= 100, $"only {EndpointAccessTable.AllRows.Count} rows were read: are the files copied?");
    }

    /// <summary>
    /// The web project's folder of the page or of the class that maps the handler ('/'-separated, "" for the root):
    /// namespaces follow folders. Endpoints the framework declares (OpenAPI, API reference, health) belong to the root.
    /// </summary>
    private static string FolderOf(Endpoint endpoint)
    {
        var type = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type ?? endpoint.Metadata.GetMetadata<MethodInfo>()?.DeclaringType;
        while (type?.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        const string Root = "Trading.Workflow.Web";
        if (type?.Assembly != typeof(Program).Assembly || type.Namespace is not { } ns || !ns.StartsWith(Root, StringComparison.Ordinal))
        {
            return string.Empty;
        }

        return ns[Root.Length..].TrimStart('.').Replace('.', '/');
    }

    [Fact]
    public void EveryEndpoint_RequiresWhatItsRowSays()
    {
        var wrong = Endpoints()
            .Where(e => EndpointAccessTable.Rows.TryGetValue(e.Key, out var rule) && rule != e.Rule)
            .Select(e => $"{e.Key}: table {EndpointAccessTable.Rows[e.Key]}, endpoint {e.Rule}")
            .ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void EveryApiEndpoint_ChecksItsInput()
    {
        var unchecked_ = Endpoints()
            .Where(e => !e.IsPage && e.Endpoint.Metadata.GetMetadata<InputChecksMetadata>() is null)
            .Select(e => e.Key)
            .ToList();

        Assert.Empty(unchecked_);
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn_OrRefused401_WhereARowSaysSo()
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        client.DefaultRequestHeaders.Add("X-Requested-With", "test");
        var wrong = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            var rule = EndpointAccessTable.Rows.GetValueOrDefault(endpoint.Key, endpoint.Rule);
            if (rule == "anonymous" && endpoint.Method != "GET")
            {
                continue; // form posts and bank callbacks need their own bodies and signatures (tested where they live)
            }

            var response = await SendAsync(client, endpoint);
            var location = response.Headers.Location?.OriginalString ?? string.Empty;
            var outcome = $"{(int)response.StatusCode} {location}";
            var ok = rule switch
            {
                // Routing refuses a body of the wrong type (415) before authorization runs: refused either way.
                _ when response.StatusCode == HttpStatusCode.UnsupportedMediaType && endpoint.Method != "GET" => true,
                "anonymous" => (int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.Unauthorized
                               && !location.Contains("/Account/Login", StringComparison.Ordinal),
                _ when IsApiCall(endpoint.Path) => response.StatusCode == HttpStatusCode.Unauthorized,
                // A page or a download link: the browser is sent to sign in (a 401 that names the sign-in page counts).
                _ => response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized && location.Contains("/Account/Login", StringComparison.Ordinal),
            };
            if (!ok)
            {
                wrong.Add($"{endpoint.Key} ({rule}) as anonymous: {outcome}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task EachRole_ReachesThePagesItsRowAllows_AndIsRefusedTheOthers()
    {
        var wrong = new List<string>();
        foreach (var userName in DemoUsers)
        {
            var roles = await RolesOfAsync(userName);
            var client = fixture.Factory.CreateNoRedirectClient();
            await client.SignInAsync(userName);
            foreach (var endpoint in Endpoints().Where(e => e.IsPage || e.Method == "GET"))
            {
                var rule = EndpointAccessTable.Rows.GetValueOrDefault(endpoint.Key, endpoint.Rule);
                if (rule == "anonymous" || rule.StartsWith("policy:", StringComparison.Ordinal))
                {
                    continue;
                }

                var allowed = rule == "signed-in" || rule["roles:".Length..].Split(',').Any(roles.Contains);
                var response = await SendAsync(client, endpoint);
                if (!endpoint.IsPage && rule == "signed-in")
                {
                    // Any role gets in; the handler then decides by the caller's scope (403 or 404 for a foreign id).
                    if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        wrong.Add($"{endpoint.Key} as {userName}: {(int)response.StatusCode}");
                    }

                    continue;
                }

                var location = response.Headers.Location?.OriginalString ?? string.Empty;
                var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                              || location.Contains("/Account/AccessDenied", StringComparison.Ordinal)
                              || location.Contains("/Account/Login", StringComparison.Ordinal);
                if (allowed == refused || (int)response.StatusCode >= 500)
                {
                    wrong.Add($"{endpoint.Key} ({rule}) as {userName} [{string.Join(",", roles)}]: {(int)response.StatusCode} {location}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private sealed record EndpointRow(string Key, string Method, string Path, string Rule, bool IsPage, RouteEndpoint Endpoint);

    private List<EndpointRow> Endpoints()
    {
        _ = fixture.Factory.Server;
        var rows = new List<EndpointRow>();
        foreach (var endpoint in fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            if (endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor") || pattern.Contains(":file", StringComparison.Ordinal)
                || pattern.StartsWith("/_framework", StringComparison.Ordinal) || pattern.StartsWith("/_blazor", StringComparison.Ordinal))
            {
                continue;
            }

            var isPage = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Where(m => m != "HEAD").ToList() ?? [];
            var method = isPage ? "GET" : methods.FirstOrDefault() ?? "GET";
            rows.Add(new EndpointRow($"{(isPage ? "PAGE" : method)} {pattern}", method, pattern, RuleOf(endpoint), isPage, endpoint));
        }

        return rows;
    }

    private static string RuleOf(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return "anonymous";
        }

        var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
        if (authorize.Count == 0)
        {
            return "anonymous";
        }

        if (authorize.FirstOrDefault(a => !string.IsNullOrEmpty(a.Policy)) is { } policy)
        {
            return "policy:" + policy.Policy;
        }

        var roles = authorize.SelectMany(a => (a.Roles ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
        return roles.Count == 0 ? "signed-in" : "roles:" + string.Join(",", roles);
    }

    private static bool IsApiCall(string path) => path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/api/docs", StringComparison.Ordinal);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, EndpointRow endpoint)
    {
        var path = Parameter().Replace(endpoint.Path, m => m.Groups["name"].Value.ToLowerInvariant() switch
        {
            _ when m.Value.Contains(":guid", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
            "sha256" => new string('0', 64),
            "tradetype" => "engineering-construction",
            "documentname" => string.Empty,
            _ => "no-such-" + m.Groups["name"].Value.ToLowerInvariant(),
        });
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (endpoint.Method is not "GET")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private async Task<IList<string>> RolesOfAsync(string userName)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await users.GetRolesAsync((await users.FindByNameAsync(userName))!);
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z0-9]+)(:[a-z]+)?\??\}")]
    private static partial Regex Parameter();
}
