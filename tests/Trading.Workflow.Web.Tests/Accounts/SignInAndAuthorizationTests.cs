using System.Net;
using AngleSharp.Html.Parser;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Accounts;

public sealed class SignInAndAuthorizationTests(SignInAndAuthorizationTests.Fixture fixture) : IClassFixture<SignInAndAuthorizationTests.Fixture>
{
    [Fact]
    public async Task LoginPage_FormCarriesAntiforgeryToken()
    {
        var page = await fixture.Factory.CreateClient().GetDocumentAsync("/Account/Login");

        var token = page.QuerySelector("form[method=post] input[type=hidden][name=__RequestVerificationToken]");
        Assert.False(string.IsNullOrEmpty(token?.GetAttribute("value")));
    }

    [Fact]
    public async Task LoginPost_WithoutAntiforgeryToken_IsRejected()
    {
        var client = fixture.Factory.CreateNoRedirectClient();

        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.UserName"] = "admin",
            ["Input.Password"] = "Demo@2026",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(".AspNetCore.Identity", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LogoutPost_WithoutAntiforgeryToken_IsRejected()
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync("staff");

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["ReturnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_WithDemoPassword_RedirectsAndSetsCookie()
    {
        var client = fixture.Factory.CreateNoRedirectClient();

        var response = await client.PostLoginAsync("tenderee", "Demo@2026");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_WithWrongPassword_ShowsChineseMessage()
    {
        var client = fixture.Factory.CreateNoRedirectClient();

        var response = await client.PostLoginAsync("supervisor", "wrong-password");

        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Assert.Equal("用户名或密码错误，请重新输入。", page.QuerySelector("[data-testid=login-error]")?.TextContent);
    }

    [Fact]
    public async Task AdminPage_Anonymous_RedirectsToLogin()
    {
        var response = await fixture.Factory.CreateNoRedirectClient().GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bidder", "/admin/users")]
    [InlineData("staff", "/admin/users")]
    [InlineData("expert", "/supervision/accounts")]
    [InlineData("tenderee", "/centre/people")]
    public async Task RolePage_WithOtherRole_RedirectsToAccessDenied(string userName, string path)
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin", "/admin/users")]
    [InlineData("admin", "/admin/centres")]
    [InlineData("staff", "/centre/people")]
    [InlineData("supervisor", "/supervision/accounts")]
    [InlineData("expert", "/account")]
    public async Task RolePage_WithItsRole_Renders(string userName, string path)
    {
        var client = fixture.Factory.CreateNoRedirectClient();
        await client.SignInAsync(userName);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Navigation_ForAdministrator_ShowsAdministrationMenuOnly()
    {
        var client = fixture.Factory.CreateClient();
        await client.SignInAsync("admin");

        var page = await client.GetDocumentAsync("/account");

        var roles = page.QuerySelectorAll("[data-role]").Select(e => e.GetAttribute("data-role") ?? string.Empty).ToArray();
        Assert.Equal(["Administrator"], roles);
    }

    [Fact]
    public async Task Navigation_ForBidder_ShowsNoRoleMenu()
    {
        var client = fixture.Factory.CreateClient();
        await client.SignInAsync("bidder");

        var page = await client.GetDocumentAsync("/account");

        Assert.Empty(page.QuerySelectorAll("[data-role]"));
        Assert.Contains("投标人/供应商/竞买人", page.QuerySelector("[data-testid=current-user]")!.TextContent, StringComparison.Ordinal);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
