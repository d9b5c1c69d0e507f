using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Trading.Workflow.Domain;
using Trading.Workflow.Domain.Accounts;
using Trading.Workflow.Domain.Market;
using Trading.Workflow.Web.Data;

namespace Trading.Workflow.Web.Market;

/// <summary>The outcome of creating an account for a market entity: the errors in the user's language, if any.</summary>
public sealed record MarketAccountResult(bool Succeeded, IReadOnlyList<string> Errors, Guid? EntityId = null)
{
    public static MarketAccountResult Fail(params string[] errors) => new(false, errors);
}

/// <summary>
/// Accounts for market entities: self-registration (a Bidder account and its entity waiting for verification) and
/// accepting an invitation (a Bidder account joining the entity). Accounts live in the identity store and entities in
/// the trading tables, so the account is created first and removed again when the entity's side refuses.
/// </summary>
public sealed partial class MarketAccounts(
    UserManager<AppUser> users, IUserDirectory directory, MarketEntityService market, IStringLocalizer<MarketResource> text, ILogger<MarketAccounts> logger)
{
    public async Task<bool> IsUserNameTakenAsync(string userName) => await users.FindByNameAsync(userName.Trim()) is not null;

    /// <summary>Creates the account (role Bidder, no centre: entities are province-wide) and registers the entity.</summary>
    public async Task<MarketAccountResult> RegisterAsync(
        string userName, string displayName, string password, EntityKind kind, EntityProfile profile, CancellationToken cancellationToken = default)
    {
        if (await IsUserNameTakenAsync(userName))
        {
            return MarketAccountResult.Fail(text["Market.UserNameInUse", userName.Trim()]);
        }

        if (await market.IsIdentifierRegisteredAsync(profile.Identifier, cancellationToken))
        {
            return MarketAccountResult.Fail(text.Rule(MarketRules.AlreadyRegistered));
        }

        var (user, errors) = await CreateAccountAsync(userName, displayName, password);
        if (user is null)
        {
            return MarketAccountResult.Fail([.. errors]);
        }

        try
        {
            var entity = await market.RegisterAsync(kind, profile, new MarketActor(user.Id), cancellationToken);
            LogRegistered(user.UserName!, entity.Id);
            return new MarketAccountResult(true, [], entity.Id);
        }
        catch (DomainRuleException ex)
        {
            await users.DeleteAsync(user);
            return MarketAccountResult.Fail(text.Rule(ex));
        }
        catch
        {
            await users.DeleteAsync(user);
            throw;
        }
    }

    /// <summary>Creates the invited account with the invitation's user name and joins it to the entity.</summary>
    public async Task<MarketAccountResult> AcceptInvitationAsync(string token, string password, CancellationToken cancellationToken = default)
    {
        InvitationView invitation;
        try
        {
            invitation = await market.FindInvitationAsync(token, cancellationToken);
        }
        catch (DomainRuleException ex)
        {
            return MarketAccountResult.Fail(text.Rule(ex));
        }

        if (await IsUserNameTakenAsync(invitation.UserName))
        {
            return MarketAccountResult.Fail(text["Market.UserNameInUse", invitation.UserName]);
        }

        var (user, errors) = await CreateAccountAsync(invitation.UserName, invitation.DisplayName, password);
        if (user is null)
        {
            return MarketAccountResult.Fail([.. errors]);
        }

        try
        {
            await market.AcceptInvitationAsync(token, user.Id, cancellationToken);
            LogJoined(user.UserName!, invitation.EntityId);
            return new MarketAccountResult(true, [], invitation.EntityId);
        }
        catch (DomainRuleException ex)
        {
            await users.DeleteAsync(user);
            return MarketAccountResult.Fail(text.Rule(ex));
        }
        catch
        {
            await users.DeleteAsync(user);
            throw;
        }
    }

    /// <summary>User names of the given user ids (ids without an account are left out).</summary>
    public async Task<IReadOnlyDictionary<string, (string UserName, string? DisplayName)>> NamesAsync(IEnumerable<string> userIds, CancellationToken cancellationToken = default)
    {
        var accounts = await directory.FindByAccountIdsAsync([.. userIds.Distinct(StringComparer.Ordinal)], cancellationToken);
        return accounts.ToDictionary(a => a.AccountId, a => (a.UserName, a.DisplayName), StringComparer.Ordinal);
    }

    private async Task<(AppUser? User, IEnumerable<string> Errors)> CreateAccountAsync(string userName, string displayName, string password)
    {
        var user = new AppUser { UserName = userName.Trim(), DisplayName = displayName.Trim() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, created.Errors.Select(e => e.Description));
        }

        var role = await users.AddToRoleAsync(user, PlatformRoles.Bidder);
        if (!role.Succeeded)
        {
            await users.DeleteAsync(user);
            return (null, role.Errors.Select(e => e.Description));
        }

        return (user, []);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} registered market entity {EntityId}")]
    private partial void LogRegistered(string userName, Guid entityId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserName} accepted an invitation and joined market entity {EntityId}")]
    private partial void LogJoined(string userName, Guid entityId);
}
