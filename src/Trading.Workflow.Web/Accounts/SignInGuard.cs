using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Configuration;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Accounts;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInOutcome
{
    Succeeded,

    /// <summary>Unknown user or wrong password: the same answer, after the same work.</summary>
    Failed,

    /// <summary>Too many failures for this account from this address, or from this address in all.</summary>
    Throttled,

    /// <summary>An administrator locked the account (said only to someone who knows the password).</summary>
    LockedOut,
    NotAllowed,
}

public sealed record SignInAttempt(SignInOutcome Outcome, TimeSpan RetryAfter = default);

/// <summary>
/// Counts failed sign-ins per (account, client address) and per client address in a sliding window. A burst of wrong
/// passwords blocks the account only for the address that sent it, and an address that guesses at many accounts is
/// blocked from all of them; nobody can lock someone else's account (the administrator's included) from elsewhere,
/// while guessing from one place stops after a few tries. The failure count of Identity's own lockout is not used
/// (an administrator's lock stays: <see cref="UserAdministration.LockAsync"/>).
/// The failures are rows of the accounts database, so every app node behind a balancer counts the same ones (a count
/// per node would let N nodes take N times the guesses) and a restart forgets none. A blocked attempt records nothing,
/// so a key holds at most its limit of rows in the window; expired rows go as new failures come in.
/// </summary>
public sealed class SignInThrottle(AppDbContext db, IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>How long the caller must wait before this account may be tried from this address, or zero.</summary>
    public async Task<TimeSpan> BlockedForAsync(string account, string address, CancellationToken cancellationToken = default)
    {
        var policy = options.Value.Lockout;
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(policy.LockoutMinutes);
        var pair = await WaitAsync(PairKey(account, address), policy.MaxFailedAccessAttempts, window, now, cancellationToken);
        var fromAddress = await WaitAsync(AddressKey(address), policy.MaxFailuresPerAddress, window, now, cancellationToken);
        return pair > fromAddress ? pair : fromAddress;
    }

    public async Task RecordFailureAsync(string account, string address, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var expired = (now - TimeSpan.FromMinutes(options.Value.Lockout.LockoutMinutes)).UtcTicks;
        var at = now.UtcTicks;
        var pair = PairKey(account, address);
        var fromAddress = AddressKey(address);
        // Plain statements: the scope's context may track the account being signed in, which this must not save.
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "SignInFailures" WHERE "AtTicks" <= {expired}""", cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "SignInFailures" ("Key", "AtTicks") VALUES ({pair}, {at}), ({fromAddress}, {at})""", cancellationToken);
    }

    /// <summary>A success from this address clears that pair's failures (not the address's count across accounts).</summary>
    public Task RecordSuccessAsync(string account, string address, CancellationToken cancellationToken = default)
    {
        var pair = PairKey(account, address);
        return db.SignInFailures.Where(f => f.Key == pair).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<TimeSpan> WaitAsync(string key, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = (now - window).UtcTicks;
        // The key stays blocked until its limit-th newest failure leaves the window.
        var blocking = await db.SignInFailures.AsNoTracking()
            .Where(f => f.Key == key && f.AtTicks > since)
            .OrderByDescending(f => f.AtTicks)
            .Skip(limit - 1)
            .Select(f => (long?)f.AtTicks)
            .FirstOrDefaultAsync(cancellationToken);
        return blocking is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) + window - now : TimeSpan.Zero;
    }

    private static string PairKey(string account, string address) => $"p\n{address}\n{account}";

    private static string AddressKey(string address) => $"a\n{address}";
}

/// <summary>
/// The password sign-in of the login form. An unknown user name costs the same password hashing as a wrong password
/// and gets the same answer, so neither the message nor the time tells whether an account exists; an administrator's
/// lock is only reported to whoever knows the password. Throttling is by <see cref="SignInThrottle"/>.
/// </summary>
public sealed class PasswordSignIn(
    UserManager<AppUser> users, SignInManager<AppUser> signIn, SignInThrottle throttle, IPasswordHasher<AppUser> hasher)
{
    /// <summary>Longest password hashed: longer ones are refused before any work (and can never be set).</summary>
    public const int MaxPasswordLength = CommonPasswordValidator.MaxLength;

    /// <summary>Longest user name looked up.</summary>
    public const int MaxUserNameLength = 256;

    private static readonly AppUser Nobody = new() { Id = "nobody", UserName = "nobody" };
    private static string? _nobodyHash;

    public async Task<SignInAttempt> SignInAsync(string userName, string password, bool remember, string clientAddress)
    {
        var account = userName.Trim().ToUpperInvariant();
        if (account.Length > MaxUserNameLength)
        {
            account = account[..MaxUserNameLength];
        }

        var wait = await throttle.BlockedForAsync(account, clientAddress);
        if (wait > TimeSpan.Zero)
        {
            return new SignInAttempt(SignInOutcome.Throttled, wait);
        }

        if (password.Length > MaxPasswordLength || userName.Length > MaxUserNameLength)
        {
            await throttle.RecordFailureAsync(account, clientAddress);
            return new SignInAttempt(SignInOutcome.Failed);
        }

        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null)
        {
            // The same hashing a known account's check costs.
            _nobodyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
            hasher.VerifyHashedPassword(Nobody, _nobodyHash, password);
            await throttle.RecordFailureAsync(account, clientAddress);
            return new SignInAttempt(SignInOutcome.Failed);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await throttle.RecordFailureAsync(account, clientAddress);
            return new SignInAttempt(SignInOutcome.Failed);
        }

        if (await users.IsLockedOutAsync(user))
        {
            return new SignInAttempt(SignInOutcome.LockedOut);
        }

        if (!await signIn.CanSignInAsync(user))
        {
            return new SignInAttempt(SignInOutcome.NotAllowed);
        }

        await throttle.RecordSuccessAsync(account, clientAddress);
        await signIn.SignInAsync(user, remember);
        return new SignInAttempt(SignInOutcome.Succeeded);
    }
}
