using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// Issue 16 §2: failed sign-ins are throttled per account and address and per address, so nobody can lock another
/// person's account from elsewhere; an unknown user and a wrong password get the same answer after the same work; the
/// password policy refuses common and breached passwords and asks for length.
/// </summary>
public sealed class SignInAbuseTests(SignInAbuseTests.Fixture fixture) : IClassFixture<SignInAbuseTests.Fixture>
{
    /// <summary>Test requests name their client address in this header (the test server has none).</summary>
    private const string AddressHeader = ClientAddressFromHeader.Header;

    private readonly PlatformFactory _factory = fixture.Factory;

    /// <summary>One app for the class: every test uses its own addresses and accounts.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public PlatformFactory Factory { get; } = new(
            new Dictionary<string, string?> { ["Accounts:Lockout:MaxFailedAccessAttempts"] = "3", ["Accounts:Lockout:MaxFailuresPerAddress"] = "8" },
            services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>());

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    [Fact]
    public async Task BurstOfWrongPasswords_FromOneAddress_DoesNotLockTheAdministratorElsewhere()
    {
        var attacker = Client("203.0.113.7");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await attacker.PostLoginAsync("admin", "Wrong-guess-2026");
        }

        var attackerWithRightPassword = await attacker.PostLoginAsync("admin", "Demo@2026");
        var administrator = await Client("198.51.100.20").PostLoginAsync("admin", "Demo@2026");

        Assert.Contains("该账户已被锁定", await attackerWithRightPassword.LoginErrorAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, administrator.StatusCode);
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = await users.FindByNameAsync("admin");
        Assert.False(await users.IsLockedOutAsync(admin!));
        Assert.Equal(0, admin!.AccessFailedCount);
    }

    [Fact]
    public async Task AddressGuessingAtManyAccounts_IsBlockedFromAll()
    {
        var sprayer = Client("203.0.113.99");
        foreach (var userName in new[] { "staff", "staff2", "supervisor", "tenderee", "tenderee2", "bidder", "bidder2", "buyer" })
        {
            await sprayer.PostLoginAsync(userName, "Spring2026!");
        }

        var response = await sprayer.PostLoginAsync("expert", "Demo@2026");

        Assert.Contains("该账户已被锁定", await response.LoginErrorAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await Client("198.51.100.21").PostLoginAsync("expert", "Demo@2026")).StatusCode);
    }

    [Fact]
    public async Task UnknownUserAndWrongPassword_GetTheSameMessage()
    {
        var unknown = await (await Client("192.0.2.1").PostLoginAsync("no.such.user", "Wrong-guess-2026")).LoginErrorAsync();
        var wrong = await (await Client("192.0.2.2").PostLoginAsync("agency", "Wrong-guess-2026")).LoginErrorAsync();

        Assert.Equal("用户名或密码错误，请重新输入。", unknown);
        Assert.Equal(unknown, wrong);
    }

    [Fact]
    public async Task UnknownUserAndWrongPassword_TakeTheSameTime()
    {
        // Warm up both paths (the hasher, the user store's queries).
        await SignInAsync("no.such.user", "warm-up", "192.0.2.50");
        await SignInAsync("buyer", "warm-up", "192.0.2.51");
        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            unknown.Add(await TimeAsync(() => SignInAsync($"nobody.{round}", "Wrong-guess-2026", $"192.0.2.{60 + round}")));
            wrong.Add(await TimeAsync(() => SignInAsync("buyer", "Wrong-guess-2026", $"192.0.2.{70 + round}")));
        }

        var ratio = Median(unknown) / Median(wrong);
        Assert.True(ratio is > 0.5 and < 2.0, $"unknown user {Median(unknown):F1} ms against wrong password {Median(wrong):F1} ms");
    }

    [Theory]
    [InlineData("Password1!")]
    [InlineData("Aa1!aaaa")]
    [InlineData("P@ssw0rd2026")]
    [InlineData("qwerty123456")]
    [InlineData("woaini1314")]
    [InlineData("Zhangwei@2025")]
    public async Task CommonOrBreachedPassword_IsRefused(string password)
    {
        var result = await CreateAsync("new.expert." + Guid.NewGuid().ToString("N")[..6], password);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("常见", StringComparison.Ordinal) || e.Contains("不同的字符", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("correct horse battery")]
    [InlineData("tender season lamp")]
    public async Task LongPassphrase_WithoutSymbolsOrDigits_IsAccepted(string password)
    {
        var result = await CreateAsync("new.expert." + Guid.NewGuid().ToString("N")[..6], password);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    [Fact]
    public async Task PasswordContainingTheUserName_OrOverlong_IsRefused()
    {
        Assert.False((await CreateAsync("harbour.pilot", "harbour.pilot-2026")).Succeeded);
        Assert.False((await CreateAsync("long.pass", new string('x', 200) + "correct horse battery staple")).Succeeded);
    }

    private HttpClient Client(string address)
    {
        var client = _factory.CreateNoRedirectClient();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }


    private async Task<SignInAttempt> SignInAsync(string userName, string password, string address)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().SignInAsync(userName, password, remember: false, address);
    }

    private static async Task<double> TimeAsync(Func<Task<SignInAttempt>> attempt)
    {
        var watch = Stopwatch.StartNew();
        var result = await attempt();
        Assert.Equal(SignInOutcome.Failed, result.Outcome);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private async Task<AccountResult> CreateAsync(string userName, string password)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(new NewUserInput { UserName = userName, Password = password, Roles = [PlatformRoles.Expert] });
    }
}
