using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>Where a project stands from the evaluation report to the contracts. Stored by name.</summary>
public enum AwardStage
{
    /// <summary>The candidates are published (中标候选人公示); objections to the result are taken.</summary>
    Publicity,

    /// <summary>The winners are chosen and notified (定标); contracts and the winner report are due.</summary>
    Awarded,

    /// <summary>Every section's signed contract is uploaded.</summary>
    ContractsSigned,
}

/// <summary>A ranked candidate of a section as published, with the duration from its opened bid letter when there is one.</summary>
public sealed record AwardCandidate(Guid SectionId, string SectionCode, int Rank, Guid EntityId, string EntityName, decimal Price, decimal? Score, int? DurationDays);

/// <summary>A bidder evaluated in a section (the winner's notice or a result notice goes to each).</summary>
public sealed record AwardBidder(Guid SectionId, Guid EntityId, string EntityName, decimal Price, bool Rejected);

/// <summary>The tenderee's choice for one section: the winner among its candidates and, where the law leaves the choice, why.</summary>
public sealed record AwardChoice(Guid SectionId, Guid WinnerEntityId, string? Reason);

/// <summary>
/// 中标候选人公示、定标与合同 of one engineering tender (one per project, key = project id): the candidates taken from the
/// confirmed evaluation report, the publicity dates, the award, the deadlines of the contracts (法 46) and the winner
/// report (法 47), and whether a supervisor has suspended the procedure (条例 62). The procedure reads its dates; it
/// never keeps them itself.
/// </summary>
public sealed class TenderAward
{
    public const int MaxTextLength = 10_000;

    private List<AwardCandidate> _candidates = [];
    private List<AwardBidder> _bidders = [];

    private TenderAward()
    {
    }

    public Guid ProjectId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public string ProjectName { get; private set; } = string.Empty;

    public Guid CentreId { get; private set; }

    public Guid OwnerEntityId { get; private set; }

    public string OwnerName { get; private set; } = string.Empty;

    public Guid? AgencyEntityId { get; private set; }

    /// <summary>国有资金占控股或者主导地位 (the project's attribute when the publicity began): rank 1 wins (条例 55).</summary>
    public bool StateFunded { get; private set; }

    public Guid ReportId { get; private set; }

    public DateTimeOffset ReportConfirmedAt { get; private set; }

    public string ReportSummary { get; private set; } = string.Empty;

    public IReadOnlyList<AwardCandidate> Candidates => _candidates;

    public IReadOnlyList<AwardBidder> Bidders => _bidders;

    public AwardStage Stage { get; private set; }

    public Guid PublicityNoticeId { get; private set; }

    public DateTimeOffset PublicityStartsAt { get; private set; }

    public DateTimeOffset PublicityEndsAt { get; private set; }

    /// <summary>Published after the 3rd 日 from the report (条例 54): kept for the supervisor.</summary>
    public bool PublishedLate { get; private set; }

    public DateTimeOffset? AwardedAt { get; private set; }

    public string? AwardedBy { get; private set; }

    /// <summary>The 中标结果公告 on the portal.</summary>
    public Guid? ResultNoticeId { get; private set; }

    public DateTimeOffset? ContractDueAt { get; private set; }

    public DateTimeOffset? WinnerReportDueAt { get; private set; }

    public Guid? WinnerReportDocumentId { get; private set; }

    public DateTimeOffset? WinnerReportSubmittedAt { get; private set; }

    public string? WinnerReportSubmittedBy { get; private set; }

    public DateTimeOffset? WinnerReportEscalatedAt { get; private set; }

    public DateTimeOffset? ContractsSignedAt { get; private set; }

    /// <summary>Suspended by a supervisor's order (条例 62): every award and contract action is refused until resumed.</summary>
    public bool Suspended { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Version { get; private set; }

    public bool IsPublicityOpen(DateTimeOffset now) => Stage == AwardStage.Publicity && now >= PublicityStartsAt && now < PublicityEndsAt;

    public bool IsBidder(Guid entityId) => _bidders.Any(b => b.EntityId == entityId);

    public IReadOnlyList<Guid> SectionIds => [.. _candidates.Select(c => c.SectionId).Concat(_bidders.Select(b => b.SectionId)).Distinct()];

    public static TenderAward Publish(
        Tender tender, string ownerName, bool stateFunded, Guid reportId, DateTimeOffset reportConfirmedAt, string summary,
        IReadOnlyList<AwardCandidate> candidates, IReadOnlyList<AwardBidder> bidders, DateTimeOffset now, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(tender);
        if (candidates.Count == 0)
        {
            throw new DomainRuleException(AwardRules.NoCandidates, "The evaluation report names no candidate; nothing can be published (条例 53).");
        }

        return new TenderAward
        {
            ProjectId = tender.ProjectId,
            ProjectCode = tender.ProjectCode,
            ProjectName = tender.ProjectName,
            CentreId = tender.CentreId,
            OwnerEntityId = tender.OwnerEntityId,
            OwnerName = ownerName,
            AgencyEntityId = tender.AgencyEntityId,
            StateFunded = stateFunded,
            ReportId = reportId,
            ReportConfirmedAt = reportConfirmedAt,
            ReportSummary = summary.Length <= MaxTextLength ? summary : summary[..MaxTextLength],
            _candidates = [.. candidates.OrderBy(c => c.SectionCode, StringComparer.Ordinal).ThenBy(c => c.Rank)],
            _bidders = [.. bidders],
            Stage = AwardStage.Publicity,
            PublicityStartsAt = now,
            PublicityEndsAt = AwardRules.PublicityEnds(now, limits, calendar),
            PublishedLate = !AwardRules.PublishedInTime(reportConfirmedAt, now, limits, calendar),
            UpdatedAt = now,
            Version = 1,
        };
    }

    public void AttachPublicityNotice(Guid noticeId) => PublicityNoticeId = noticeId;

    /// <summary>
    /// Demo projects only (<see cref="EngineeringDemoTimerDates"/>): the publicity ends now, as when the demo fires its
    /// timer early. False when it is not running or already over (nothing to move).
    /// </summary>
    public bool EndPublicityForDemo(DateTimeOffset now)
    {
        if (Stage != AwardStage.Publicity || PublicityEndsAt <= now)
        {
            return false;
        }

        PublicityEndsAt = now;
        Touch(now);
        return true;
    }

    /// <summary>
    /// Awards every section at one moment (法 45): after the publicity, with no objection open, not suspended, the
    /// winner among each section's candidates (rank 1 when state-funded, 条例 55; a reason otherwise).
    /// </summary>
    public IReadOnlyList<AwardSection> Award(IReadOnlyList<AwardChoice> choices, int openObjections, string actor, DateTimeOffset now, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(choices);
        RequireNotSuspended();
        if (Stage != AwardStage.Publicity)
        {
            throw new DomainRuleException(AwardRules.AlreadyAwarded, $"The winners of {ProjectCode} are already determined.");
        }

        if (now < PublicityEndsAt)
        {
            throw new DomainRuleException(AwardRules.PublicityNotOver,
                $"The candidates are published until {PublicityEndsAt.ToOffset(ChinaStandardTime.Offset):yyyy-MM-dd HH:mm}; the winner is determined after the publicity (条例 54).");
        }

        if (openObjections > 0)
        {
            throw new DomainRuleException(AwardRules.ObjectionOpen,
                $"{openObjections} objection(s) to the result are not answered; the award waits for the tenderee's answer (条例 54: 作出答复前，应当暂停招标投标活动).");
        }

        var sections = _candidates.GroupBy(c => c.SectionId).ToList();
        var awarded = new List<AwardSection>();
        foreach (var section in sections)
        {
            var choice = choices.FirstOrDefault(c => c.SectionId == section.Key)
                ?? throw new DomainRuleException(AwardRules.SectionMissing, $"Choose the winner of section {section.First().SectionCode}.");
            var list = section.ToList();
            AwardRules.CheckWinner(StateFunded, list, choice.WinnerEntityId, choice.Reason);
            var winner = list.First(c => c.EntityId == choice.WinnerEntityId);
            awarded.Add(AwardSection.Decide(ProjectId, winner, choice.Reason, actor, now));
        }

        Stage = AwardStage.Awarded;
        AwardedAt = now;
        AwardedBy = actor;
        ContractDueAt = AwardRules.ContractDue(now, limits, calendar);
        WinnerReportDueAt = AwardRules.WinnerReportDue(now, limits, calendar);
        Touch(now);
        return awarded;
    }

    public void PublishResult(Guid noticeId, DateTimeOffset now)
    {
        ResultNoticeId = noticeId;
        Touch(now);
    }

    public void SubmitWinnerReport(Guid documentId, string actor, DateTimeOffset now)
    {
        RequireNotSuspended();
        RequireAwarded();
        if (WinnerReportSubmittedAt is not null)
        {
            throw new DomainRuleException(AwardRules.ReportAlreadySubmitted, "The written report on the tender is already submitted (法 47).");
        }

        WinnerReportDocumentId = documentId;
        WinnerReportSubmittedAt = now;
        WinnerReportSubmittedBy = actor;
        Touch(now);
    }

    public bool EscalateWinnerReport(DateTimeOffset now)
    {
        if (WinnerReportSubmittedAt is not null || WinnerReportEscalatedAt is not null)
        {
            return false;
        }

        WinnerReportEscalatedAt = now;
        Touch(now);
        return true;
    }

    public void MarkContractsSigned(DateTimeOffset signedAt, DateTimeOffset now)
    {
        RequireAwarded();
        if (Stage == AwardStage.ContractsSigned)
        {
            return;
        }

        Stage = AwardStage.ContractsSigned;
        ContractsSignedAt = signedAt;
        Touch(now);
    }

    public void Suspend(DateTimeOffset now)
    {
        RequireNotSuspended();
        Suspended = true;
        Touch(now);
    }

    public void Resume(DateTimeOffset now)
    {
        if (!Suspended)
        {
            throw new DomainRuleException(AwardRules.NotSuspended, $"The procedure of {ProjectCode} is not suspended.");
        }

        Suspended = false;
        Touch(now);
    }

    public void RequireNotSuspended()
    {
        if (Suspended)
        {
            throw new DomainRuleException(AwardRules.Suspended,
                $"The supervising department has suspended the procedure of {ProjectCode} (条例 62); nothing more is done until it is resumed.");
        }
    }

    public void RequireAwarded()
    {
        if (Stage == AwardStage.Publicity || AwardedAt is null)
        {
            throw new DomainRuleException(AwardRules.NotAwarded, $"The winners of {ProjectCode} are not determined yet.");
        }
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>One section's award: its winner (as a candidate), the tenderee's reason, and its signed contract (法 46).</summary>
public sealed class AwardSection
{
    private AwardSection()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid SectionId { get; private set; }

    public string SectionCode { get; private set; } = string.Empty;

    public Guid WinnerEntityId { get; private set; }

    public string WinnerName { get; private set; } = string.Empty;

    public int WinnerRank { get; private set; }

    /// <summary>The winning bid's price: the contract's price (法 46: not changed by the contract).</summary>
    public decimal ContractPrice { get; private set; }

    public string? Reason { get; private set; }

    public string DecidedBy { get; private set; } = string.Empty;

    public DateTimeOffset DecidedAt { get; private set; }

    public Guid? ContractDocumentId { get; private set; }

    public decimal? PerformanceBond { get; private set; }

    public DateTimeOffset? ContractUploadedAt { get; private set; }

    public string? ContractUploadedBy { get; private set; }

    /// <summary>Uploaded after the 30 日 (法 46): recorded, and the supervisor was told when it ran out.</summary>
    public bool ContractLate { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    public bool HasContract => ContractDocumentId is not null;

    public static AwardSection Decide(Guid projectId, AwardCandidate winner, string? reason, string actor, DateTimeOffset now) =>
        new()
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            SectionId = winner.SectionId,
            SectionCode = winner.SectionCode,
            WinnerEntityId = winner.EntityId,
            WinnerName = winner.EntityName,
            WinnerRank = winner.Rank,
            ContractPrice = winner.Price,
            Reason = string.IsNullOrWhiteSpace(reason) ? null : AwardText.Required(reason, "reason"),
            DecidedBy = actor,
            DecidedAt = now,
        };

    /// <summary>The signed contract (a file uploaded for the project) and its performance bond, at most 10% (条例 58).</summary>
    public void UploadContract(Guid documentId, decimal bond, DateTimeOffset dueAt, string actor, DateTimeOffset now, AwardLimits limits)
    {
        if (HasContract)
        {
            throw new DomainRuleException(AwardRules.ContractAlreadyUploaded, $"The contract of section {SectionCode} is already uploaded.");
        }

        AwardRules.CheckBond(ContractPrice, bond, limits);
        ContractDocumentId = documentId;
        PerformanceBond = bond;
        ContractUploadedAt = now;
        ContractUploadedBy = actor;
        ContractLate = now >= dueAt;
    }

    public bool Escalate(DateTimeOffset now)
    {
        if (HasContract || EscalatedAt is not null)
        {
            return false;
        }

        EscalatedAt = now;
        return true;
    }
}

/// <summary>What an award notice issue is.</summary>
public enum AwardNoticeKind
{
    /// <summary>中标通知书, to the winner.</summary>
    Award,

    /// <summary>中标结果通知书, to every other bidder of the section.</summary>
    Result,
}

/// <summary>
/// A notice to one bidder of one section, issued with the others at one moment (法 45), and its PDF once printed
/// (<see cref="Printing.IOfficialDocuments"/>).
/// </summary>
public sealed class AwardNoticeIssue
{
    private AwardNoticeIssue()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid SectionId { get; private set; }

    public string SectionCode { get; private set; } = string.Empty;

    public Guid EntityId { get; private set; }

    public string EntityName { get; private set; } = string.Empty;

    public AwardNoticeKind Kind { get; private set; }

    public DateTimeOffset IssuedAt { get; private set; }

    public Guid? IssuedDocumentId { get; private set; }

    public Guid? DocumentId { get; private set; }

    public string? Sm3 { get; private set; }

    public string? FileName { get; private set; }

    public string? VerifyPath { get; private set; }

    public bool IsPrinted => DocumentId is not null;

    public static AwardNoticeIssue Issue(Guid projectId, Guid sectionId, string sectionCode, Guid entityId, string entityName, AwardNoticeKind kind, DateTimeOffset at) =>
        new()
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            SectionId = sectionId,
            SectionCode = sectionCode,
            EntityId = entityId,
            EntityName = entityName,
            Kind = kind,
            IssuedAt = at,
        };

    public void Printed(Printing.IssuedDocument document)
    {
        IssuedDocumentId = document.Id;
        DocumentId = document.DocumentId;
        Sm3 = document.Sm3;
        FileName = document.FileName;
        VerifyPath = document.VerifyPath;
    }
}

internal static class AwardText
{
    public static string Required(string? value, string field, int maxLength = TenderAward.MaxTextLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainRuleException(AwardRules.TextRequired, $"The {field} is required.");
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new DomainRuleException(AwardRules.TextRequired, $"The {field} is longer than {maxLength} characters.");
    }
}
