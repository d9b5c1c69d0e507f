namespace Trading.Workflow.Domain.Market;

public enum VerificationStatus
{
    /// <summary>Registered, never verified, waiting for staff.</summary>
    PendingVerification,

    /// <summary>Never verified; staff returned it with a reason.</summary>
    Returned,

    /// <summary>Verified, nothing waiting.</summary>
    Verified,

    /// <summary>Verified data in force; a change waits for staff.</summary>
    VerifiedChangePending,

    /// <summary>Verified data in force; a change was returned with a reason.</summary>
    VerifiedChangeReturned,
}

public enum SubmissionState
{
    /// <summary>Waiting for staff to verify it.</summary>
    Pending,

    /// <summary>Sent back by staff with a reason; the entity corrects and resubmits.</summary>
    Returned,
}

/// <summary>A profile that was in force, with who verified it and when it was replaced.</summary>
public sealed record VerifiedProfile(EntityProfile Profile, DateTimeOffset VerifiedAt, string VerifiedBy, DateTimeOffset? SupersededAt);

/// <summary>A platform user acting for the entity; administrators invite and remove the others.</summary>
public sealed record EntityMember(string UserId, bool IsAdministrator, DateTimeOffset JoinedAt, string InvitedBy);

/// <summary>What a section requires of the entities taking part: a qualification kind in one of the grades.</summary>
public sealed record QualificationRequirement(string Kind, IReadOnlyList<string> AcceptedGrades);

/// <summary>One reason an entity may not take part; <paramref name="BarredUntil"/> and <paramref name="Decision"/> name a bar (<see cref="MarketRules.Barred"/>).</summary>
public sealed record EligibilityProblem(
    string RuleCode, string Message, string? Qualification = null, DateOnly? ExpiredOn = null, DateOnly? BarredUntil = null, string? Decision = null);

public sealed record Eligibility(IReadOnlyList<EligibilityProblem> Problems)
{
    public bool IsEligible => Problems.Count == 0;
}

/// <summary>
/// 市场主体: a company or natural person registered once for the whole province (一次注册、多处互认). The verified
/// profile is what counts for trading; a change is submitted as a new profile and takes effect only when staff
/// approve it, the replaced profile staying in the history.
/// </summary>
public sealed class MarketEntity
{
    private readonly List<VerifiedProfile> _history = [];
    private readonly List<EntityMember> _members = [];

    private MarketEntity()
    {
    }

    public Guid Id { get; private set; }

    public EntityKind Kind { get; private set; }

    /// <summary>The credit code or resident ID number; it never changes (another code is another entity).</summary>
    public string Identifier { get; private set; } = string.Empty;

    /// <summary>The verified profile in force, or null before the first approval.</summary>
    public EntityProfile? Verified { get; private set; }

    public DateTimeOffset? VerifiedAt { get; private set; }

    public string? VerifiedBy { get; private set; }

    /// <summary>A profile waiting for verification or returned for correction, if any.</summary>
    public EntityProfile? Submitted { get; private set; }

    public SubmissionState? SubmissionState { get; private set; }

    public string? ReturnReason { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>When and by whom the current submission was made (null when nothing waits).</summary>
    public DateTimeOffset? SubmittedAt { get; private set; }

    public string? SubmittedBy { get; private set; }

    /// <summary>The name lists and searches show (kept with <see cref="DisplayName"/>, stored as a column).</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>Bumped by every change; two staff (or staff and a member) acting on the same state conflict.</summary>
    public int Version { get; private set; }

    /// <summary>Verified (in force), waiting for verification (first time or a change), or returned.</summary>
    public VerificationStatus Status => (Verified, SubmissionState) switch
    {
        (null, Market.SubmissionState.Returned) => VerificationStatus.Returned,
        (null, _) => VerificationStatus.PendingVerification,
        (_, Market.SubmissionState.Pending) => VerificationStatus.VerifiedChangePending,
        (_, Market.SubmissionState.Returned) => VerificationStatus.VerifiedChangeReturned,
        _ => VerificationStatus.Verified,
    };

    /// <summary>Profiles that were in force before the current one, oldest first.</summary>
    public IReadOnlyList<VerifiedProfile> History => _history;

    public IReadOnlyList<EntityMember> Members => _members;

    /// <summary>The name to show: the verified one, or the submitted one before any approval.</summary>
    public string DisplayName => (Verified ?? Submitted)!.Name;

    public static MarketEntity Register(EntityKind kind, EntityProfile profile, string registeringUserId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrWhiteSpace(registeringUserId);
        var entity = new MarketEntity
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            Identifier = profile.Identifier,
            Submitted = profile,
            SubmissionState = Market.SubmissionState.Pending,
            RegisteredAt = now,
            SubmittedAt = now,
            SubmittedBy = registeringUserId,
            Name = profile.Name,
        };
        entity._members.Add(new EntityMember(registeringUserId, IsAdministrator: true, now, registeringUserId));
        return entity;
    }

    /// <summary>A member submits changed data; a pending or returned submission is replaced by the new one.</summary>
    public void SubmitChange(EntityProfile profile, string userId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        RequireMember(userId);
        if (!string.Equals(profile.Identifier, Identifier, StringComparison.Ordinal))
        {
            throw new DomainRuleException(MarketRules.IdentifierImmutable,
                "The credit code or ID number of a registered entity cannot change; register the other entity separately.");
        }

        Submitted = profile;
        SubmissionState = Market.SubmissionState.Pending;
        ReturnReason = null;
        SubmittedAt = now;
        SubmittedBy = userId;
        Name = DisplayName;
        Version++;
    }

    /// <summary>The profile a member edits from: the one waiting or returned if any, else the verified one.</summary>
    public EntityProfile Current => (Submitted ?? Verified)!;

    public void Approve(string staffUserId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUserId);
        var submitted = RequirePendingSubmission();
        if (Verified is not null)
        {
            _history.Add(new VerifiedProfile(Verified, VerifiedAt!.Value, VerifiedBy!, now));
        }

        Verified = submitted;
        VerifiedAt = now;
        VerifiedBy = staffUserId;
        Submitted = null;
        SubmissionState = null;
        ReturnReason = null;
        SubmittedAt = null;
        SubmittedBy = null;
        Name = submitted.Name;
        Version++;
    }

    public void Return(string staffUserId, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUserId);
        RequirePendingSubmission();
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException(MarketRules.ReturnReasonRequired, "Returning a registration needs a reason the entity can act on.");
        }

        var trimmed = reason.Trim();
        if (trimmed.Length > EntityProfile.MaxTextLength)
        {
            throw new DomainRuleException(MarketRules.FieldTooLong, $"A reason has at most {EntityProfile.MaxTextLength} characters.");
        }

        SubmissionState = Market.SubmissionState.Returned;
        ReturnReason = trimmed;
        Version++;
    }

    /// <summary>An administrator of the entity adds another user to act for it.</summary>
    public EntityMember Invite(string byUserId, string newUserId, bool asAdministrator, DateTimeOffset now)
    {
        RequireAdministrator(byUserId);
        ArgumentException.ThrowIfNullOrWhiteSpace(newUserId);
        if (_members.Any(m => m.UserId == newUserId))
        {
            throw new DomainRuleException(MarketRules.AlreadyAMember, $"User {newUserId} already acts for this entity.");
        }

        var member = new EntityMember(newUserId, asAdministrator, now, byUserId);
        _members.Add(member);
        Version++;
        return member;
    }

    /// <summary>An administrator removes a user; returns false when the user was not a member.</summary>
    public bool RemoveMember(string byUserId, string userId)
    {
        RequireAdministrator(byUserId);
        var member = _members.SingleOrDefault(m => m.UserId == userId);
        if (member is null)
        {
            return false;
        }

        if (member.IsAdministrator && _members.Count(m => m.IsAdministrator) == 1)
        {
            throw new DomainRuleException(MarketRules.LastAdministrator, "The entity's last administrator cannot be removed; appoint another first.");
        }

        _members.Remove(member);
        Version++;
        return true;
    }

    public bool IsMember(string userId) => _members.Any(m => m.UserId == userId);

    public bool IsAdministrator(string userId) => _members.Any(m => m.UserId == userId && m.IsAdministrator);

    /// <summary>
    /// Whether the entity may take part in a section requiring <paramref name="requirements"/> on <paramref name="day"/>,
    /// with every reason it may not (so the bidder learns all of them at once).
    /// </summary>
    public Eligibility CheckEligibility(DateOnly day, IEnumerable<QualificationRequirement> requirements)
    {
        if (Verified is null)
        {
            return SubmissionState == Market.SubmissionState.Returned
                ? new Eligibility([new EligibilityProblem(MarketRules.Returned,
                    $"The registration was returned for correction ({ReturnReason}) and has not been verified.")])
                : new Eligibility([new EligibilityProblem(MarketRules.NotVerified,
                    "The registration has not been verified by a trading centre yet.")]);
        }

        var problems = new List<EligibilityProblem>();
        foreach (var requirement in requirements)
        {
            var held = Verified.Qualifications
                .Where(q => q.Kind == requirement.Kind && (requirement.AcceptedGrades.Count == 0 || requirement.AcceptedGrades.Contains(q.Grade)))
                .ToList();
            if (held.Count == 0)
            {
                problems.Add(new EligibilityProblem(MarketRules.QualificationMissing,
                    $"The qualification {requirement.Kind} ({string.Join("/", requirement.AcceptedGrades)}) is required.", requirement.Kind));
            }
            else if (!held.Any(q => q.IsValidOn(day)))
            {
                var latest = held.Max(q => q.ValidUntil!.Value);
                problems.Add(new EligibilityProblem(MarketRules.QualificationExpired,
                    $"The qualification {requirement.Kind} expired on {latest:yyyy-MM-dd}.", requirement.Kind, latest));
            }
        }

        return new Eligibility(problems);
    }

    private EntityProfile RequirePendingSubmission() =>
        Submitted is not null && SubmissionState == Market.SubmissionState.Pending
            ? Submitted
            : throw new DomainRuleException(MarketRules.NothingToVerify, "There is no submission waiting for verification.");

    private void RequireMember(string userId)
    {
        if (!IsMember(userId))
        {
            throw new DomainRuleException(MarketRules.NotAMemberAdministrator, $"User {userId} does not act for this entity.");
        }
    }

    private void RequireAdministrator(string userId)
    {
        if (!_members.Any(m => m.UserId == userId && m.IsAdministrator))
        {
            throw new DomainRuleException(MarketRules.NotAMemberAdministrator, "Only an administrator of the entity can manage its users.");
        }
    }
}
