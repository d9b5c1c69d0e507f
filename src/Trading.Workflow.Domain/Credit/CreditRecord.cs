namespace Trading.Workflow.Domain.Credit;

/// <summary>Whom a credit record is about.</summary>
public enum CreditSubjectKind
{
    /// <summary>A market entity (市场主体, <c>Domain/Market</c>).</summary>
    MarketEntity,

    /// <summary>An evaluation expert (评标专家, <c>Domain/Experts</c>).</summary>
    Expert,
}

public enum CreditRecordKind
{
    /// <summary>不良行为记录 / 惩戒.</summary>
    Sanction,

    /// <summary>良好行为记录.</summary>
    GoodRecord,
}

/// <summary>What the record is for; the web names each in Chinese and English.</summary>
public enum CreditCategory
{
    /// <summary>串通投标 (法 53, 条例 67).</summary>
    CollusiveBidding,

    /// <summary>弄虚作假、骗取中标 (法 54, 条例 68).</summary>
    Fraud,

    /// <summary>中标人无正当理由拒签合同 (条例 74).</summary>
    RefusedContract,

    /// <summary>评标专家违规 (法 56, 条例 71).</summary>
    ExpertMisconduct,

    /// <summary>表彰、奖励 (a good record).</summary>
    Commendation,

    Other,
}

/// <summary>What a supervisor records; <see cref="CreditService.RecordAsync"/> checks every part.</summary>
/// <param name="BarFrom">First day of the bar (China, inclusive); with <paramref name="BarUntil"/> required when <paramref name="BarsParticipation"/>.</param>
/// <param name="BarUntil">Last day of the bar (China, inclusive).</param>
/// <param name="WarningId">The collusion warning the sanction follows from, if any.</param>
public sealed record CreditRecordInput(
    CreditSubjectKind SubjectKind,
    Guid SubjectId,
    CreditRecordKind Kind,
    CreditCategory Category,
    string LegalBasis,
    string DecisionNumber,
    string Reason,
    DateOnly DecidedOn,
    bool BarsParticipation = false,
    DateOnly? BarFrom = null,
    DateOnly? BarUntil = null,
    Guid? WarningId = null);

/// <summary>
/// 信用记录 (tr_credit_records): a sanction or a good record on a market entity or an expert, decided by a supervisor
/// and published (条例 78). Never edited or deleted once recorded: a correction is a revocation (撤销) and a new
/// record. A sanction may bar the subject from taking part (取消投标资格, 条例 67-68: 1 to 3 years) from one day to
/// another, both China days and both included.
/// </summary>
public sealed class CreditRecord
{
    public const int MaxTextLength = 2000;
    public const int MaxShortLength = 200;

    /// <summary>The longest bar recorded here: 条例 67 and 68 bar for 1 to 3 years.</summary>
    public const int MaxBarYears = 3;

    private CreditRecord()
    {
    }

    public Guid Id { get; private set; }

    public CreditSubjectKind SubjectKind { get; private set; }

    public Guid SubjectId { get; private set; }

    /// <summary>The subject's name when recorded (the verified entity name, the expert's name).</summary>
    public string SubjectName { get; private set; } = string.Empty;

    /// <summary>An organisation's unified social credit code, a person's masked ID number, none for an expert.</summary>
    public string? SubjectCode { get; private set; }

    public CreditRecordKind Kind { get; private set; }

    public CreditCategory Category { get; private set; }

    /// <summary>The provisions the decision rests on (法 53, 条例 67...).</summary>
    public string LegalBasis { get; private set; } = string.Empty;

    /// <summary>处罚决定文号 (or the number of the commendation).</summary>
    public string DecisionNumber { get; private set; } = string.Empty;

    public string Reason { get; private set; } = string.Empty;

    public DateOnly DecidedOn { get; private set; }

    /// <summary>限制参与交易: the subject may not take part from <see cref="BarFrom"/> to <see cref="BarUntil"/>.</summary>
    public bool BarsParticipation { get; private set; }

    public DateOnly? BarFrom { get; private set; }

    public DateOnly? BarUntil { get; private set; }

    public Guid? WarningId { get; private set; }

    /// <summary>The supervisor who recorded it (user name) and their centre (null: a province-wide supervisor with no centre).</summary>
    public string IssuedBy { get; private set; } = string.Empty;

    public Guid? CentreId { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    public string? RevocationReason { get; private set; }

    public int Version { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Whether the record bars its subject on <paramref name="day"/> (China): a barring sanction, not revoked, within its period.</summary>
    public bool BarsOn(DateOnly day) => BarsParticipation && !IsRevoked && BarFrom <= day && day <= BarUntil;

    /// <summary>A sanction not revoked whose period (if it has one) holds <paramref name="day"/>.</summary>
    public bool IsSanctionInForceOn(DateOnly day) =>
        Kind == CreditRecordKind.Sanction && !IsRevoked && (BarFrom is not { } from || from <= day) && (BarUntil is not { } until || day <= until);

    internal static CreditRecord Create(CreditRecordInput input, string subjectName, string? subjectCode, string issuedBy, Guid? centreId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        var basis = Required(input.LegalBasis, CreditRules.BasisRequired, MaxShortLength);
        var number = Required(input.DecisionNumber, CreditRules.DecisionNumberRequired, MaxShortLength);
        var reason = Required(input.Reason, CreditRules.ReasonRequired, MaxTextLength);
        if (!Enum.IsDefined(input.Category) || !Enum.IsDefined(input.Kind) || !Enum.IsDefined(input.SubjectKind))
        {
            throw new DomainRuleException(CreditRules.CategoryInvalid, "Unknown kind or category.");
        }

        if (input.Kind == CreditRecordKind.GoodRecord && input.BarsParticipation)
        {
            throw new DomainRuleException(CreditRules.GoodRecordCannotBar, "A good record bars nobody.");
        }

        if (input.BarsParticipation && (input.BarFrom is null || input.BarUntil is null))
        {
            throw new DomainRuleException(CreditRules.PeriodRequired, "A bar needs its first and last day.");
        }

        if (input.BarFrom is { } from && input.BarUntil is { } until)
        {
            if (until < from)
            {
                throw new DomainRuleException(CreditRules.PeriodInvalid, $"The bar ends ({until:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).");
            }

            if (until >= from.AddYears(MaxBarYears))
            {
                throw new DomainRuleException(CreditRules.PeriodTooLong, $"A bar lasts at most {MaxBarYears} years (条例 67-68).");
            }
        }
        else if (input.BarFrom is not null || input.BarUntil is not null)
        {
            throw new DomainRuleException(CreditRules.PeriodRequired, "A period needs its first and last day.");
        }

        return new CreditRecord
        {
            Id = Guid.NewGuid(),
            SubjectKind = input.SubjectKind,
            SubjectId = input.SubjectId,
            SubjectName = subjectName,
            SubjectCode = subjectCode,
            Kind = input.Kind,
            Category = input.Category,
            LegalBasis = basis,
            DecisionNumber = number,
            Reason = reason,
            DecidedOn = input.DecidedOn,
            BarsParticipation = input.BarsParticipation,
            BarFrom = input.BarFrom,
            BarUntil = input.BarUntil,
            WarningId = input.WarningId,
            IssuedBy = issuedBy,
            CentreId = centreId,
            RecordedAt = now,
            Version = 1,
        };
    }

    internal void Revoke(string by, string reason, DateTimeOffset now)
    {
        if (IsRevoked)
        {
            throw new DomainRuleException(CreditRules.AlreadyRevoked, $"Credit record {Id} is already revoked.");
        }

        RevocationReason = Required(reason, CreditRules.RevocationReasonRequired, MaxTextLength);
        RevokedBy = by;
        RevokedAt = now;
        Version++;
    }

    private static string Required(string? value, string rule, int max)
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new DomainRuleException(rule, $"{rule}: a value is required.");
        }

        if (text.Length > max)
        {
            throw new DomainRuleException(CreditRules.TooLong, $"A text of the record has at most {max} characters.");
        }

        return text;
    }
}

/// <summary>Rule codes of the credit part; the web maps each to a message in Chinese and English.</summary>
public static class CreditRules
{
    public const string SupervisorOnly = "Credit.SupervisorOnly";
    public const string SubjectNotFound = "Credit.SubjectNotFound";
    public const string CategoryInvalid = "Credit.CategoryInvalid";
    public const string BasisRequired = "Credit.BasisRequired";
    public const string DecisionNumberRequired = "Credit.DecisionNumberRequired";
    public const string ReasonRequired = "Credit.ReasonRequired";
    public const string TooLong = "Credit.TooLong";
    public const string GoodRecordCannotBar = "Credit.GoodRecordCannotBar";
    public const string PeriodRequired = "Credit.PeriodRequired";
    public const string PeriodInvalid = "Credit.PeriodInvalid";
    public const string PeriodTooLong = "Credit.PeriodTooLong";
    public const string NotFound = "Credit.NotFound";
    public const string AlreadyRevoked = "Credit.AlreadyRevoked";
    public const string RevocationReasonRequired = "Credit.RevocationReasonRequired";
    public const string Changed = "Credit.Changed";
    public const string WarningNotConfirmed = "Credit.WarningNotConfirmed";

    /// <summary>Every code above, so the web's message table can be checked for completeness.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(CreditRules)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();
}
