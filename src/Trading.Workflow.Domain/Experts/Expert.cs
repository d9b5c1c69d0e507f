namespace Trading.Workflow.Domain.Experts;

public enum ExpertStatus
{
    /// <summary>In the pool: may be drawn.</summary>
    Active,

    /// <summary>暂停: not drawn until reinstated (a penalty, a leave, an expired certificate).</summary>
    Suspended,

    /// <summary>清退: out of the pool for good.</summary>
    Removed,
}

/// <summary>An organisation an expert works or worked for; the unified social credit code when it is known.</summary>
public sealed record Employer(string Name, string? CreditCode);

/// <summary>A former employer and when the expert worked there (to: null while it is the current one is not allowed here).</summary>
public sealed record PastEmployer(string Name, string? CreditCode, DateOnly From, DateOnly To);

public enum RelationshipKind
{
    /// <summary>近亲属 (spouse, parents, children, siblings...) of the counterpart or of its officers.</summary>
    Kin,

    /// <summary>经济利益关系 (shareholding, debt, a contract).</summary>
    EconomicInterest,

    /// <summary>其他可能影响公正评审的关系.</summary>
    Other,
}

/// <summary>
/// A relationship the expert declares (利害关系申报): with an organisation (by credit code or name) or with a person
/// (by name, e.g. a bidder's legal representative).
/// </summary>
public sealed record DeclaredRelationship(RelationshipKind Kind, string Relation, string CounterpartName, string? CounterpartCreditCode, DateOnly DeclaredOn);

/// <summary>
/// What an expert's profile holds besides the account: title, specialties, employer, the employers of the last years,
/// the declared relationships. One immutable value, replaced as a whole (staff or the expert edits it).
/// </summary>
public sealed record ExpertProfile(
    string DisplayName,
    string? Phone,
    string Title,
    IReadOnlyList<string> Specialties,
    Employer Employer,
    bool EmployerIsSupervisingDepartment,
    IReadOnlyList<PastEmployer> PastEmployers,
    IReadOnlyList<DeclaredRelationship> Relationships)
{
    public const int MaxNameLength = 100;
    public const int MaxTitleLength = 60;
    public const int MaxItems = 30;

    /// <summary>Checks every field; throws <see cref="DomainRuleException"/> with the first broken rule.</summary>
    public ExpertProfile Validated(DateOnly today)
    {
        Require(DisplayName, ExpertRules.NameRequired, MaxNameLength);
        Require(Title, ExpertRules.TitleRequired, MaxTitleLength);
        Require(Employer?.Name, ExpertRules.EmployerRequired, MaxNameLength);
        if (Specialties is null || Specialties.Count == 0)
        {
            throw new DomainRuleException(ExpertRules.SpecialtyRequired, "An expert needs at least one specialty.");
        }

        if (Specialties.FirstOrDefault(s => !Experts.Specialties.IsKnown(s)) is { } unknown)
        {
            throw new DomainRuleException(ExpertRules.SpecialtyUnknown, $"Unknown specialty {unknown}.");
        }

        if (Specialties.Count > MaxItems || (PastEmployers?.Count ?? 0) > MaxItems || (Relationships?.Count ?? 0) > MaxItems)
        {
            throw new DomainRuleException(ExpertRules.TooMany, $"At most {MaxItems} specialties, employers or relationships.");
        }

        CheckCode(Employer!.CreditCode);
        foreach (var past in PastEmployers ?? [])
        {
            Require(past.Name, ExpertRules.EmployerRequired, MaxNameLength);
            CheckCode(past.CreditCode);
            if (past.To < past.From || past.To > today)
            {
                throw new DomainRuleException(ExpertRules.EmploymentDatesInvalid, $"Employment at {past.Name}: {past.From}–{past.To} is not a past period.");
            }
        }

        foreach (var relation in Relationships ?? [])
        {
            Require(relation.CounterpartName, ExpertRules.CounterpartRequired, MaxNameLength);
            Require(relation.Relation, ExpertRules.RelationRequired, MaxTitleLength);
            CheckCode(relation.CounterpartCreditCode);
        }

        return this with
        {
            DisplayName = DisplayName.Trim(),
            Phone = string.IsNullOrWhiteSpace(Phone) ? null : Phone.Trim(),
            Title = Title.Trim(),
            Specialties = Specialties.Distinct(StringComparer.Ordinal).ToList(),
            Employer = Employer with { Name = Employer.Name.Trim(), CreditCode = Blank(Employer.CreditCode) },
            PastEmployers = (PastEmployers ?? []).Select(p => p with { Name = p.Name.Trim(), CreditCode = Blank(p.CreditCode) }).ToList(),
            Relationships = (Relationships ?? []).Select(r => r with { CounterpartName = r.CounterpartName.Trim(), Relation = r.Relation.Trim(), CounterpartCreditCode = Blank(r.CounterpartCreditCode) }).ToList(),
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant();

    private static void Require(string? value, string rule, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainRuleException(rule, $"{rule}: a value is required.");
        }

        if (value.Trim().Length > max)
        {
            throw new DomainRuleException(ExpertRules.TooLong, $"'{value}' is longer than {max} characters.");
        }
    }

    private static void CheckCode(string? code)
    {
        if (!string.IsNullOrWhiteSpace(code) && !Market.UnifiedSocialCreditCode.TryParse(code.Trim().ToUpperInvariant(), out _, out _, out _))
        {
            throw new DomainRuleException(ExpertRules.CreditCodeInvalid, $"'{code}' is not a valid unified social credit code.");
        }
    }
}

/// <summary>An assessment (考核) of an expert by staff: after an evaluation, or a penalty with its reason.</summary>
public sealed record ExpertAssessment(Guid Id, DateTimeOffset At, string By, Guid? ProjectId, string? ProjectCode, int Score, bool Penalty, string Note)
{
    public const int MaxNoteLength = 500;
}

/// <summary>
/// 评标专家: one expert of the pool (tr_experts), tied to a platform account by user name. Staff register, edit, suspend,
/// reinstate and remove; the expert edits the profile. Status changes and assessments keep who and why.
/// </summary>
public sealed class Expert
{
    private List<ExpertAssessment> _assessments = [];

    public Expert(Guid id, string userName, ExpertProfile profile, DateTimeOffset at, string by)
    {
        Id = id;
        UserName = userName;
        Profile = profile;
        DisplayName = profile.DisplayName;
        Status = ExpertStatus.Active;
        CreatedAt = UpdatedAt = at;
        CreatedBy = UpdatedBy = by;
    }

    private Expert()
    {
        UserName = DisplayName = CreatedBy = UpdatedBy = string.Empty;
        Profile = null!;
    }

    public Guid Id { get; private set; }

    /// <summary>The platform account (role Expert) the expert signs in with.</summary>
    public string UserName { get; private set; }

    /// <summary>The profile's name, promoted for lists and search.</summary>
    public string DisplayName { get; private set; }

    public ExpertProfile Profile { get; private set; }

    public ExpertStatus Status { get; private set; }

    public string? StatusReason { get; private set; }

    public DateTimeOffset? StatusChangedAt { get; private set; }

    public string? StatusChangedBy { get; private set; }

    public IReadOnlyList<ExpertAssessment> Assessments => _assessments;

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; }

    public int Version { get; private set; }

    internal void Update(ExpertProfile profile, DateTimeOffset at, string by)
    {
        Profile = profile;
        DisplayName = profile.DisplayName;
        Touch(at, by);
    }

    public void ChangeStatus(ExpertStatus status, string reason, DateTimeOffset at, string by)
    {
        if (Status == ExpertStatus.Removed)
        {
            throw new DomainRuleException(ExpertRules.Removed, $"Expert {UserName} was removed from the pool.");
        }

        if (status == Status)
        {
            throw new DomainRuleException(ExpertRules.StatusUnchanged, $"Expert {UserName} is already {status}.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException(ExpertRules.ReasonRequired, "A status change needs a reason.");
        }

        Status = status;
        StatusReason = reason.Trim();
        StatusChangedAt = at;
        StatusChangedBy = by;
        Touch(at, by);
    }

    internal void Assess(ExpertAssessment assessment)
    {
        _assessments = [.. _assessments, assessment];
        Touch(assessment.At, assessment.By);
    }

    private void Touch(DateTimeOffset at, string by)
    {
        UpdatedAt = at;
        UpdatedBy = by;
        Version++;
    }
}

/// <summary>Rule codes of the expert pool and the draw; the web maps each to a message in Chinese and English.</summary>
public static class ExpertRules
{
    public const string NotFound = "Experts.NotFound";
    public const string NotAllowed = "Experts.NotAllowed";
    public const string Changed = "Experts.Changed";
    public const string NameRequired = "Experts.NameRequired";
    public const string TitleRequired = "Experts.TitleRequired";
    public const string EmployerRequired = "Experts.EmployerRequired";
    public const string SpecialtyRequired = "Experts.SpecialtyRequired";
    public const string SpecialtyUnknown = "Experts.SpecialtyUnknown";
    public const string TooMany = "Experts.TooMany";
    public const string TooLong = "Experts.TooLong";
    public const string CreditCodeInvalid = "Experts.CreditCodeInvalid";
    public const string EmploymentDatesInvalid = "Experts.EmploymentDatesInvalid";
    public const string CounterpartRequired = "Experts.CounterpartRequired";
    public const string RelationRequired = "Experts.RelationRequired";
    public const string AccountNotExpert = "Experts.AccountNotExpert";
    public const string AlreadyInPool = "Experts.AlreadyInPool";
    public const string Removed = "Experts.Removed";
    public const string StatusUnchanged = "Experts.StatusUnchanged";
    public const string ReasonRequired = "Experts.ReasonRequired";
    public const string ScoreInvalid = "Experts.ScoreInvalid";

    public const string CommitteeTooSmall = "Experts.CommitteeTooSmall";
    public const string CommitteeNotOdd = "Experts.CommitteeNotOdd";
    public const string TooManyRepresentatives = "Experts.TooManyRepresentatives";
    public const string RepresentativeNotTenderee = "Experts.RepresentativeNotTenderee";
    public const string CountInvalid = "Experts.CountInvalid";
    public const string PoolTooSmall = "Experts.PoolTooSmall";
    public const string EvaluationTimeInvalid = "Experts.EvaluationTimeInvalid";
    public const string CommitteeExists = "Experts.CommitteeExists";

    /// <summary>The draw is requested only once the tenderee set the evaluation method (on the project's evaluation page).</summary>
    public const string EvaluationMethodRequired = "Experts.EvaluationMethodRequired";

    public const string ProjectNotFound = "Experts.ProjectNotFound";
    public const string InvitationNotOpen = "Experts.InvitationNotOpen";
    public const string CommitteeClosed = "Experts.CommitteeClosed";
    public const string MemberNotFound = "Experts.MemberNotFound";
}
