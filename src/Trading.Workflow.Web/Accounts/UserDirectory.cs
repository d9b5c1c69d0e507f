using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Accounts;

/// <summary><see cref="IUserDirectory"/> over the Identity store (AspNetUsers, AspNetUserRoles, AspNetRoles).</summary>
public sealed class UserDirectory(IServiceScopeFactory scopes, TimeProvider time) : IUserDirectory
{
    public async Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == userName, cancellationToken);
        return user is null ? null : (await WithRolesAsync(db, [user], cancellationToken))[0];
    }

    public async Task<IReadOnlyList<UserAccount>> FindByAccountIdsAsync(IReadOnlyCollection<string> accountIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accountIds);
        if (accountIds.Count == 0)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = accountIds.Distinct(StringComparer.Ordinal).ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToListAsync(cancellationToken);
        return await WithRolesAsync(db, users, cancellationToken);
    }

    public async Task<IReadOnlyList<UserAccount>> InRoleAsync(string role, Guid? centreId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = await db.Roles.AsNoTracking().Where(r => r.Name == role)
            .Join(db.UserRoles.AsNoTracking(), r => r.Id, ur => ur.RoleId, (_, ur) => ur.UserId)
            .Join(db.Users.AsNoTracking(), id => id, u => u.Id, (_, u) => u)
            .Where(u => centreId == null || u.CentreId == null || u.CentreId == centreId)
            .ToListAsync(cancellationToken);
        var accounts = await WithRolesAsync(db, users, cancellationToken);
        return [.. accounts.Where(a => !a.IsLockedOut).OrderBy(a => a.UserName, StringComparer.Ordinal)];
    }

    private async Task<IReadOnlyList<UserAccount>> WithRolesAsync(AppDbContext db, IReadOnlyList<AppUser> users, CancellationToken cancellationToken)
    {
        var ids = users.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.AsNoTracking().Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles.AsNoTracking(), ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(cancellationToken))
            .Where(r => r.Name is not null && PlatformRoles.IsKnown(r.Name))
            .ToLookup(r => r.UserId, r => r.Name!, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        return [.. users.Select(u => new UserAccount(
            u.UserName ?? u.Id, u.Id, u.DisplayName, u.Email, u.PhoneNumber, [.. roles[u.Id]], u.CentreId,
            u.LockoutEnd is { } end && end > now))];
    }
}
