using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Accounts;

/// <summary>One account as listed on the user administration page.</summary>
public sealed record UserRow(
    string Id, string UserName, string? DisplayName, string? Email, Guid? CentreId, string? CentreName,
    IReadOnlyList<string> Roles, bool IsLockedOut);

/// <summary>Which accounts a users table asks for: search term, centre, sort and zero-based page.</summary>
public sealed record UserQuery(string? Search = null, Guid? CentreId = null, UserSort Sort = UserSort.UserName, bool Descending = false, int Page = 0, int PageSize = 20);

/// <summary>The columns a users table sorts by in the database.</summary>
public enum UserSort
{
    UserName,
    DisplayName,
    Centre,
}

/// <summary>One page of accounts and how many match in all.</summary>
public sealed record UserPage(IReadOnlyList<UserRow> Rows, int Total);

/// <summary>A centre offered in the centre picker.</summary>
public sealed record CentreChoice(Guid Id, string Name);

/// <summary>The outcome of an account change; <see cref="Errors"/> are already in the user's language.</summary>
public sealed record AccountResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    public static AccountResult Ok { get; } = new(true, []);

    public static AccountResult Fail(params string[] errors) => new(false, errors);

    public static AccountResult From(IdentityResult result) =>
        result.Succeeded ? Ok : new AccountResult(false, result.Errors.Select(e => e.Description).ToArray());
}

/// <summary>What the administrator fills in to create an account.</summary>
public sealed class NewUserInput
{
    public string UserName { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    public string? Email { get; set; }

    public string Password { get; set; } = string.Empty;

    public List<string> Roles { get; set; } = [];

    public Guid? CentreId { get; set; }
}

/// <summary>
/// Account administration for the Administrator role: list and search, create, change roles and
/// centre, lock and unlock, reset password. Role/centre rules come from <see cref="PlatformRoles"/>.
/// </summary>
public sealed partial class UserAdministration(
    AppDbContext db,
    UserManager<AppUser> users,
    TimeProvider timeProvider,
    IStringLocalizer<SharedResource> text,
    AccountSessions sessions,
    ILogger<UserAdministration> logger)
{
    /// <summary>One page of accounts, filtered, sorted and counted in the database.</summary>
    public async Task<UserPage> PageAsync(UserQuery request, bool english, CancellationToken cancellationToken = default)
    {
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(request.Search))
        {
            var term = request.Search.Trim();
            var upper = term.ToUpperInvariant();
            query = query.Where(u => u.NormalizedUserName!.Contains(upper)
                                     || (u.NormalizedEmail != null && u.NormalizedEmail.Contains(upper))
                                     || (u.DisplayName != null && u.DisplayName.Contains(term)));
        }

        if (request.CentreId is { } onlyCentre)
        {
            query = query.Where(u => u.CentreId == onlyCentre);
        }

        var total = await query.CountAsync(cancellationToken);
        var withCentre = from u in query
                         join c in db.TradingCentres on u.CentreId equals c.Id into centres
                         from c in centres.DefaultIfEmpty()
                         select new { User = u, CentreName = c == null ? null : english ? c.NameEn : c.NameZh };
        // Empty names and province-wide accounts sort last (first when descending) on SQLite and PostgreSQL alike,
        // which would otherwise disagree on where NULL goes.
        withCentre = (request.Sort, request.Descending) switch
        {
            (UserSort.DisplayName, false) => withCentre.OrderBy(x => x.User.DisplayName == null).ThenBy(x => x.User.DisplayName).ThenBy(x => x.User.UserName),
            (UserSort.DisplayName, true) => withCentre.OrderByDescending(x => x.User.DisplayName == null).ThenByDescending(x => x.User.DisplayName).ThenBy(x => x.User.UserName),
            (UserSort.Centre, false) => withCentre.OrderBy(x => x.CentreName == null).ThenBy(x => x.CentreName).ThenBy(x => x.User.UserName),
            (UserSort.Centre, true) => withCentre.OrderByDescending(x => x.CentreName == null).ThenByDescending(x => x.CentreName).ThenBy(x => x.User.UserName),
            (_, true) => withCentre.OrderByDescending(x => x.User.UserName),
            _ => withCentre.OrderBy(x => x.User.UserName),
        };
        var pageSize = Math.Clamp(request.PageSize, 1, 200);
        var found = await withCentre.Skip(Math.Max(request.Page, 0) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var ids = found.Select(x => x.User.Id).ToList();
        var roles = await (from userRole in db.UserRoles
                           join role in db.Roles on userRole.RoleId equals role.Id
                           where ids.Contains(userRole.UserId)
                           select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var rows = found.Select(x => new UserRow(
                x.User.Id, x.User.UserName!, x.User.DisplayName, x.User.Email, x.User.CentreId, x.CentreName,
                roles.Where(r => r.UserId == x.User.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToArray(),
                x.User.LockoutEnd is { } end && end > now))
            .ToList();
        return new UserPage(rows, total);
    }

    public async Task<IReadOnlyList<CentreChoice>> CentresAsync(bool english, CancellationToken cancellationToken = default)
    {
        var centres = await db.TradingCentres.AsNoTracking().ToListAsync(cancellationToken);
        return centres.OrderBy(c => c.Level).ThenBy(c => c.Code, StringComparer.Ordinal)
            .Select(c => new CentreChoice(c.Id, c.DisplayName(english))).ToList();
    }

    public async Task<AccountResult> CreateAsync(NewUserInput input, CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(input.UserName))
        {
            errors.Add(text["Users.UserNameRequired"]);
        }

        if (string.IsNullOrEmpty(input.Password))
        {
            errors.Add(text["Users.PasswordRequired"]);
        }

        if (await CheckRolesAndCentreAsync(input.Roles, input.CentreId, cancellationToken) is { } ruleError)
        {
            errors.Add(ruleError);
        }

        if (errors.Count > 0)
        {
            return AccountResult.Fail([.. errors]);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = new AppUser
        {
            UserName = input.UserName.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? null : input.DisplayName.Trim(),
            Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
            CentreId = input.CentreId,
        };
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
        {
            return AccountResult.From(created);
        }

        var assigned = await users.AddToRolesAsync(user, input.Roles);
        if (!assigned.Succeeded)
        {
            return AccountResult.From(assigned);
        }

        await transaction.CommitAsync(cancellationToken);
        LogCreated(user.UserName, string.Join(',', input.Roles), user.CentreId);
        return AccountResult.Ok;
    }

    public async Task<AccountResult> UpdateRolesAndCentreAsync(
        string userId, IReadOnlyCollection<string> roles, Guid? centreId, CancellationToken cancellationToken = default)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AccountResult.Fail(text["Users.NotFound"]);
        }

        if (await CheckRolesAndCentreAsync(roles, centreId, cancellationToken) is { } ruleError)
        {
            return AccountResult.Fail(ruleError);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await users.GetRolesAsync(user);
        var removed = await users.RemoveFromRolesAsync(user, current.Except(roles).ToArray());
        if (!removed.Succeeded)
        {
            return AccountResult.From(removed);
        }

        var added = await users.AddToRolesAsync(user, roles.Except(current).ToArray());
        if (!added.Succeeded)
        {
            return AccountResult.From(added);
        }

        user.CentreId = centreId;
        // A new stamp ends the account's open sessions: roles and centre are in the sign-in cookie.
        var updated = await users.UpdateSecurityStampAsync(user);
        if (!updated.Succeeded)
        {
            return AccountResult.From(updated);
        }

        await transaction.CommitAsync(cancellationToken);
        sessions.Forget(user.Id);
        LogRolesChanged(user.UserName!, string.Join(',', roles), centreId);
        return AccountResult.Ok;
    }

    /// <summary>Locks the account until an administrator unlocks it; the user's sign-ins are invalidated.</summary>
    public async Task<AccountResult> LockAsync(string userId, string actingUserId)
    {
        if (userId == actingUserId)
        {
            return AccountResult.Fail(text["Users.CannotLockSelf"]);
        }

        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AccountResult.Fail(text["Users.NotFound"]);
        }

        await users.SetLockoutEnabledAsync(user, true);
        var result = await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        if (result.Succeeded)
        {
            await users.UpdateSecurityStampAsync(user);
            sessions.Forget(user.Id);
            LogLocked(user.UserName!);
        }

        return AccountResult.From(result);
    }

    public async Task<AccountResult> UnlockAsync(string userId)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AccountResult.Fail(text["Users.NotFound"]);
        }

        var result = await users.SetLockoutEndDateAsync(user, null);
        if (result.Succeeded)
        {
            await users.ResetAccessFailedCountAsync(user);
            sessions.Forget(user.Id);
            LogUnlocked(user.UserName!);
        }

        return AccountResult.From(result);
    }

    public async Task<AccountResult> ResetPasswordAsync(string userId, string newPassword)
    {
        if (string.IsNullOrEmpty(newPassword))
        {
            return AccountResult.Fail(text["Users.PasswordRequired"]);
        }

        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return AccountResult.Fail(text["Users.NotFound"]);
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, newPassword);
        if (result.Succeeded)
        {
            sessions.Forget(user.Id);
            LogPasswordReset(user.UserName!);
        }

        return AccountResult.From(result);
    }

    private async Task<string?> CheckRolesAndCentreAsync(IReadOnlyCollection<string> roles, Guid? centreId, CancellationToken cancellationToken)
    {
        if (PlatformRoles.CheckAssignment(roles, centreId.HasValue) is { } rule)
        {
            return text[rule];
        }

        if (centreId is { } id && !await db.TradingCentres.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return text["Users.CentreNotFound"];
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserName} created with roles {Roles} at centre {CentreId}")]
    private partial void LogCreated(string userName, string roles, Guid? centreId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserName} now has roles {Roles} at centre {CentreId}")]
    private partial void LogRolesChanged(string userName, string roles, Guid? centreId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserName} locked by an administrator")]
    private partial void LogLocked(string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserName} unlocked by an administrator")]
    private partial void LogUnlocked(string userName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password of account {UserName} reset by an administrator")]
    private partial void LogPasswordReset(string userName);
}
