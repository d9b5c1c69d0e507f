using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Accounts;

/// <summary>
/// Whether a signed-in principal still stands: the account exists, is not locked and carries the security stamp the
/// principal was issued with. Every request asks (cookie validation for pages and the API, a hub filter for every
/// message of a Blazor circuit), so a lock, a role change or a password reset ends the session on its next request,
/// not after Identity's 30-minute re-validation. The account's facts are cached for a few seconds and dropped at once
/// when this process changes the account (<see cref="Forget"/>); another process's change (the CLI, a second node)
/// counts after <see cref="CacheFor"/> at the latest.
/// </summary>
public sealed class AccountSessions(IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, TimeProvider time)
{
    /// <summary>How long an account's stamp and lockout are trusted without asking the database.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Snapshot> _accounts = new(StringComparer.Ordinal);

    /// <summary>Drops what is known of an account: its next request reads it again.</summary>
    public void Forget(string userId) => _accounts.TryRemove(userId, out _);

    /// <summary>True when <paramref name="principal"/> is anonymous or its account still stands as issued.</summary>
    public async ValueTask<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        var options = identity.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(options.UserIdClaimType);
        if (string.IsNullOrEmpty(userId))
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (!_accounts.TryGetValue(userId, out var snapshot) || now - snapshot.ReadAt > CacheFor)
        {
            snapshot = await ReadAsync(userId, now, cancellationToken);
            _accounts[userId] = snapshot;
        }

        if (!snapshot.Exists || snapshot.LockoutEnd is { } end && end > now)
        {
            return false;
        }

        // Identity puts the stamp in every principal it issues; one without it (or with an old one) is not ours any more.
        return string.Equals(principal.FindFirstValue(options.SecurityStampClaimType), snapshot.SecurityStamp, StringComparison.Ordinal);
    }

    private async Task<Snapshot> ReadAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd, u.LockoutEnabled })
            .FirstOrDefaultAsync(cancellationToken);
        return row is null
            ? new Snapshot(false, null, null, now)
            : new Snapshot(true, row.SecurityStamp, row.LockoutEnabled ? row.LockoutEnd : null, now);
    }

    /// <summary>Set on a request whose sign-in cookie was rejected here.</summary>
    public const string EndedItem = "tw:session-ended";

    private sealed record Snapshot(bool Exists, string? SecurityStamp, DateTimeOffset? LockoutEnd, DateTimeOffset ReadAt);

    /// <summary>
    /// Runs before Identity's own (interval) stamp check on every cookie-authenticated request: a session that no longer
    /// stands is rejected and its cookie removed, so the request continues as anonymous (a page asks to sign in, the API
    /// answers 401).
    /// </summary>
    internal static void ValidateEveryRequest(CookieAuthenticationOptions cookie)
    {
        var identityCheck = cookie.Events.OnValidatePrincipal;
        cookie.Events.OnValidatePrincipal = async context =>
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<AccountSessions>();
            if (context.Principal is { } principal && !await sessions.IsValidAsync(principal, context.HttpContext.RequestAborted))
            {
                context.RejectPrincipal();
                context.HttpContext.Items[EndedItem] = true;
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }

            await identityCheck(context);
        };
    }
}

/// <summary>
/// Checks the session on every message a SignalR connection (a Blazor circuit) sends: a circuit opened by an account
/// that was locked, reset or given other roles since is closed on its next event instead of running on with the old
/// principal until the circuit's periodic re-validation. A connection whose cookie was rejected as it opened (it
/// arrives anonymous) is closed too, so a stale circuit cannot be resumed by reconnecting.
/// </summary>
public sealed class SessionHubFilter(AccountSessions sessions) : IHubFilter
{
    public const string SessionEnded = "The session has ended: sign in again.";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        await RefuseEndedSessionAsync(invocationContext.Context);
        return await next(invocationContext);
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await RefuseEndedSessionAsync(context.Context);
        await next(context);
    }

    private async ValueTask RefuseEndedSessionAsync(HubCallerContext caller)
    {
        var user = caller.User ?? new ClaimsPrincipal();
        var rejectedCookie = caller.GetHttpContext()?.Items.ContainsKey(AccountSessions.EndedItem) == true;
        if (rejectedCookie || !await sessions.IsValidAsync(user, caller.ConnectionAborted))
        {
            caller.Abort();
            throw new HubException(SessionEnded);
        }
    }
}
