using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Accounts;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Data;
using Trading.Workflow.Web.Tests.Inbox;
using Trading.Workflow.Web.Tests.Infrastructure;

namespace Trading.Workflow.Web.Tests.Hardening;

/// <summary>
/// The sign-in throttle's counting on each database: the failures are rows every node reads, so the window, the
/// limits and a success's reset are the database's arithmetic, checked here on a clock the test moves.
/// </summary>
public abstract class SignInThrottleContract
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly MovableTimeProvider _clock = new(Start);

    protected abstract PlatformFactory App { get; }

    [Fact]
    public async Task Block_LastsUntilTheLimitthNewestFailureLeavesTheWindow()
    {
        var account = Unique("ACCOUNT");
        var address = Unique("10.1");
        for (var minute = 0; minute < 3; minute++)
        {
            await UseAsync(t => t.RecordFailureAsync(account, address));
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Failures at 0, 1 and 2 minutes, limit 3 in 15 minutes: at minute 3 the first leaves the window at 15.
        Assert.Equal(TimeSpan.FromMinutes(12), await BlockedForAsync(account, address));
        Assert.Equal(TimeSpan.Zero, await BlockedForAsync(account, Unique("10.2")));
        _clock.Advance(TimeSpan.FromMinutes(12) - TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), await BlockedForAsync(account, address));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, await BlockedForAsync(account, address));
    }

    [Fact]
    public async Task Success_ClearsItsAccountFromThatAddress_NotTheAddressCountAcrossAccounts()
    {
        var address = Unique("10.3");
        var first = Unique("FIRST");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await UseAsync(t => t.RecordFailureAsync(first, address));
        }

        Assert.NotEqual(TimeSpan.Zero, await BlockedForAsync(first, address));
        await UseAsync(t => t.RecordSuccessAsync(first, address));
        Assert.Equal(TimeSpan.Zero, await BlockedForAsync(first, address));

        // The address has four failures (limit 4): every account is blocked from it, for the window.
        await UseAsync(t => t.RecordFailureAsync(Unique("SECOND"), address));
        Assert.Equal(TimeSpan.FromMinutes(15), await BlockedForAsync(Unique("THIRD"), address));
    }

    [Fact]
    public async Task ExpiredFailures_AreDeletedByTheNextFailure()
    {
        var account = Unique("OLD");
        var address = Unique("10.4");
        await UseAsync(t => t.RecordFailureAsync(account, address));
        Assert.Equal(2, await RowsAsync(address));

        _clock.Advance(TimeSpan.FromMinutes(15));
        await UseAsync(t => t.RecordFailureAsync(Unique("NEW"), Unique("10.5")));

        Assert.Equal(0, await RowsAsync(address));
    }

    private static string Unique(string prefix) => $"{prefix}.{Guid.NewGuid():N}";

    private async Task<TimeSpan> BlockedForAsync(string account, string address)
    {
        var wait = TimeSpan.Zero;
        await UseAsync(async t => wait = await t.BlockedForAsync(account, address));
        return wait;
    }

    private async Task<int> RowsAsync(string address)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().SignInFailures.CountAsync(f => f.Key.Contains(address));
    }

    private async Task UseAsync(Func<SignInThrottle, Task> use)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var options = Options.Create(new AccountOptions
        {
            Lockout = new AccountOptions.LockoutPolicy { MaxFailedAccessAttempts = 3, MaxFailuresPerAddress = 4, LockoutMinutes = 15 },
        });
        await use(new SignInThrottle(scope.ServiceProvider.GetRequiredService<AppDbContext>(), options, _clock));
    }
}

public sealed class SqliteSignInThrottleTests : SignInThrottleContract, IAsyncLifetime
{
    private readonly PlatformFactory _app = new();

    protected override PlatformFactory App => _app;

    public Task InitializeAsync()
    {
        _ = _app.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}

public sealed class PostgreSqlSignInThrottleTests : SignInThrottleContract, IAsyncLifetime
{
    private readonly PostgreSqlPlatform _postgres = new();

    protected override PlatformFactory App => _postgres.App;

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public Task DisposeAsync() => _postgres.DisposeAsync();
}
