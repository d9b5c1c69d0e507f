using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Accounts;

/// <summary>
/// The sign-in cookie carries the account's display name: the app bar and the home page greet the user by it (the user
/// name on hover), and by the user name when the account has none.
/// </summary>
public sealed class DisplayNameGreetingTests(DisplayNameGreetingTests.Fixture fixture) : IClassFixture<DisplayNameGreetingTests.Fixture>
{
    [Fact]
    public async Task SignedIn_WithADisplayName_TheAppBarAndTheHomePageGreetByIt_InZhAndEn()
    {
        var client = fixture.Factory.CreateClient();
        await client.SignInAsync("bidder");

        var zh = await client.GetDocumentAsync("/");
        (await client.GetAsync("/culture/set?culture=en&redirectUri=/")).EnsureSuccessStatusCode();
        var en = await client.GetDocumentAsync("/");

        var name = zh.QuerySelector("[data-testid=current-user-name]")!;
        Assert.Equal("演示投标人", name.TextContent.Trim());
        Assert.Equal("bidder", name.GetAttribute("title"));
        Assert.Equal("欢迎，演示投标人。", zh.QuerySelector("[data-testid=home-welcome]")?.TextContent.Trim());
        Assert.Equal("Welcome, 演示投标人.", en.QuerySelector("[data-testid=home-welcome]")?.TextContent.Trim());
    }

    [Fact]
    public async Task SignedIn_WithoutADisplayName_IsGreetedByTheUserName()
    {
        using (var scope = fixture.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = "plainbidder", Email = "plainbidder@demo.invalid", EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, "Demo@2026")).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, PlatformRoles.Bidder)).Succeeded);
        }

        var client = fixture.Factory.CreateClient();
        await client.SignInAsync("plainbidder");
        var page = await client.GetDocumentAsync("/");

        Assert.Equal("plainbidder", page.QuerySelector("[data-testid=current-user-name]")?.TextContent.Trim());
        Assert.Equal("欢迎，plainbidder。", page.QuerySelector("[data-testid=home-welcome]")?.TextContent.Trim());
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new();

        public Task InitializeAsync()
        {
            // Starts the app (demo data, roles) before a test reaches for its services.
            _ = Factory.CreateClient();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }
}
