using System.Security.Cryptography;
using System.Text;

namespace Trading.Workflow.Domain.Market;

/// <summary>
/// An administrator's invitation for one more user to act for the entity. The link carries a random token; only its
/// SHA-256 is stored, so a copy of the database cannot be used to join. The invited user accepts once, before it
/// expires, by choosing a password for the proposed user name.
/// </summary>
public sealed class MemberInvitation
{
    /// <summary>How long an invitation link stays usable.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private MemberInvitation()
    {
    }

    public Guid Id { get; private set; }

    public Guid EntityId { get; private set; }

    /// <summary>The user name the account will have (checked free when inviting and again on acceptance).</summary>
    public string UserName { get; private set; } = string.Empty;

    public string DisplayName { get; private set; } = string.Empty;

    public bool AsAdministrator { get; private set; }

    public string TokenHash { get; private set; } = string.Empty;

    public string InvitedBy { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public string? AcceptedUserId { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsOpen(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && now < ExpiresAt;

    /// <summary>Creates an invitation and returns the token for the link (shown once, never stored).</summary>
    public static (MemberInvitation Invitation, string Token) Create(
        MarketEntity entity, string byUserId, string userName, string displayName, bool asAdministrator, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!entity.IsAdministrator(byUserId))
        {
            throw new DomainRuleException(MarketRules.NotAMemberAdministrator, "Only an administrator of the entity can invite users.");
        }

        var name = (userName ?? string.Empty).Trim();
        if (name.Length is < 3 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
        {
            throw new DomainRuleException(MarketRules.InvitationInvalid,
                "A user name has 3 to 64 letters, digits, '.', '_', '-' or '@'.");
        }

        var display = (displayName ?? string.Empty).Trim();
        if (display.Length is 0 or > 100)
        {
            throw new DomainRuleException(MarketRules.NameRequired, "The invited person's name is required (at most 100 characters).");
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var invitation = new MemberInvitation
        {
            Id = Guid.NewGuid(),
            EntityId = entity.Id,
            UserName = name,
            DisplayName = display,
            AsAdministrator = asAdministrator,
            TokenHash = HashToken(token),
            InvitedBy = byUserId,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        };
        return (invitation, token);
    }

    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? string.Empty)));

    /// <summary>Throws the reason an invitation can no longer be accepted, if any.</summary>
    public void EnsureOpen(DateTimeOffset now)
    {
        if (AcceptedAt is not null || RevokedAt is not null)
        {
            throw new DomainRuleException(MarketRules.InvitationUsed, "This invitation has already been used or withdrawn.");
        }

        if (now >= ExpiresAt)
        {
            throw new DomainRuleException(MarketRules.InvitationExpired, $"This invitation expired at {ExpiresAt:yyyy-MM-dd HH:mm}; ask for a new one.");
        }
    }

    /// <summary>The invited user has an account now: the invitation is used and the user joins the entity.</summary>
    public EntityMember Accept(MarketEntity entity, string userId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (entity.Id != EntityId)
        {
            throw new DomainRuleException(MarketRules.InvitationInvalid, "The invitation is for another entity.");
        }

        EnsureOpen(now);
        var member = entity.Invite(InvitedBy, userId, AsAdministrator, now);
        AcceptedAt = now;
        AcceptedUserId = userId;
        return member;
    }

    /// <summary>An administrator withdraws an open invitation.</summary>
    public void Revoke(MarketEntity entity, string byUserId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!entity.IsAdministrator(byUserId))
        {
            throw new DomainRuleException(MarketRules.NotAMemberAdministrator, "Only an administrator of the entity can withdraw invitations.");
        }

        EnsureOpen(now);
        RevokedAt = now;
    }
}
