using System.Net;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>Issue 16 §6: the headers of every response, and HTTPS-only cookies and HSTS behind a TLS proxy.</summary>
public sealed class SecurityHeadersTests(HardeningAppFixture fixture) : IClassFixture<HardeningAppFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/Account/Login")]
    [InlineData("/api/portal/notices")]
    [InlineData("/no-such-page")]
    public async Task EveryResponse_CarriesTheSecurityHeaders_AndNoServerHeader(string path)
    {
        var response = await fixture.Factory.CreateNoRedirectClient().GetAsync(path);

        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.False(response.Headers.Contains("Server"));
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline' ; script", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "/")]
    [InlineData(null, "/Account/Login")]
    [InlineData(null, "/portal")]
    [InlineData("admin", "/designer")]
    [InlineData("tenderee", "/inbox")]
    public async Task Page_RunsOnlyScriptsItsPolicyAllows(string? userName, string path)
    {
        var client = fixture.Factory.CreateClient();
        if (userName is not null)
        {
            await client.SignInAsync(userName);
        }

        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        var csp = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
        var scriptSources = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));

        Assert.DoesNotContain("unsafe-inline", scriptSources, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", scriptSources, StringComparison.Ordinal);
        Assert.All(page.QuerySelectorAll("script[src]"), script => Assert.StartsWith("_", script.GetAttribute("src")!.TrimStart('/'), StringComparison.Ordinal));
        // An inline script (Blazor's import map, when it writes one) runs only by its hash.
        foreach (var script in page.QuerySelectorAll("script:not([src])"))
        {
            var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.TextContent)));
            Assert.Contains($"'sha256-{hash}'", scriptSources, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BehindATlsProxy_CookiesAreSecure_AndHstsIsSent()
    {
        await using var factory = new PlatformFactory(
            new Dictionary<string, string?> { ["Security:HttpsOnly"] = "true", ["Security:ForwardedHeaders"] = "true" },
            services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add(ClientAddressFromHeader.Header, "127.0.0.1");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.30");

        var response = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
        Assert.All(response.Headers.GetValues("Set-Cookie"), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task HttpsOnly_RedirectsPlainHttp()
    {
        await using var factory = new PlatformFactory(new Dictionary<string, string?> { ["Security:HttpsOnly"] = "true", ["https_port"] = "443" });

        var response = await factory.CreateNoRedirectClient().GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https", response.Headers.Location!.Scheme);
    }
}

/// <summary>A plain app shared by the header tests.</summary>
public sealed class HardeningAppFixture : IAsyncLifetime
{
    public PlatformFactory Factory { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
