using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
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
/// (an administrator's lock stays: <see cref="UserAdministration.LockAsync"/>). In memory, bounded in size.
/// </summary>
public sealed class SignInThrottle(IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>Most distinct keys kept; past it the oldest half is dropped (a flood of invented names cannot fill memory).</summary>
    public const int MaxKeys = 50_000;

    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait before this account may be tried from this address, or zero.</summary>
    public TimeSpan BlockedFor(string account, string address)
    {
        var policy = options.Value.Lockout;
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(policy.LockoutMinutes);
        var pair = Wait(PairKey(account, address), policy.MaxFailedAccessAttempts, window, now);
        var fromAddress = Wait(AddressKey(address), policy.MaxFailuresPerAddress, window, now);
        return pair > fromAddress ? pair : fromAddress;
    }

    public void RecordFailure(string account, string address)
    {
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(options.Value.Lockout.LockoutMinutes);
        if (_failures.Count >= MaxKeys)
        {
            Prune(now, window);
        }

        Add(PairKey(account, address), now, window);
        Add(AddressKey(address), now, window);
    }

    /// <summary>A success from this address clears that pair's failures (not the address's count across accounts).</summary>
    public void RecordSuccess(string account, string address) => _failures.TryRemove(PairKey(account, address), out _);

    private TimeSpan Wait(string key, int limit, TimeSpan window, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var failures))
        {
            return TimeSpan.Zero;
        }

        lock (failures)
        {
            failures.Drop(now - window);
            return failures.Times.Count >= limit ? failures.Times.Peek() + window - now : TimeSpan.Zero;
        }
    }

    private void Add(string key, DateTimeOffset now, TimeSpan window)
    {
        var failures = _failures.GetOrAdd(key, _ => new Failures());
        lock (failures)
        {
            failures.Drop(now - window);
            failures.Times.Enqueue(now);
            // Counting beyond the largest limit tells nothing more; the queue stays small.
            while (failures.Times.Count > 1_000)
            {
                failures.Times.Dequeue();
            }
        }
    }

    private void Prune(DateTimeOffset now, TimeSpan window)
    {
        foreach (var (key, failures) in _failures)
        {
            lock (failures)
            {
                failures.Drop(now - window);
                if (failures.Times.Count == 0)
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }

        if (_failures.Count >= MaxKeys)
        {
            foreach (var key in _failures.Keys.Take(_failures.Count / 2))
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private static string PairKey(string account, string address) => $"p\n{address}\n{account}";

    private static string AddressKey(string address) => $"a\n{address}";

    private sealed class Failures
    {
        public Queue<DateTimeOffset> Times { get; } = new();

        public void Drop(DateTimeOffset before)
        {
            while (Times.Count > 0 && Times.Peek() <= before)
            {
                Times.Dequeue();
            }
        }
    }
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

        var wait = throttle.BlockedFor(account, clientAddress);
        if (wait > TimeSpan.Zero)
        {
            return new SignInAttempt(SignInOutcome.Throttled, wait);
        }

        if (password.Length > MaxPasswordLength || userName.Length > MaxUserNameLength)
        {
            throttle.RecordFailure(account, clientAddress);
            return new SignInAttempt(SignInOutcome.Failed);
        }

        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null)
        {
            // The same hashing a known account's check costs.
            _nobodyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
            hasher.VerifyHashedPassword(Nobody, _nobodyHash, password);
            throttle.RecordFailure(account, clientAddress);
            return new SignInAttempt(SignInOutcome.Failed);
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            throttle.RecordFailure(account, clientAddress);
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

        throttle.RecordSuccess(account, clientAddress);
        await signIn.SignInAsync(user, remember);
        return new SignInAttempt(SignInOutcome.Succeeded);
    }
}
