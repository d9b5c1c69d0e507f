namespace Trading.Workflow.Domain.Notices;

/// <summary>The notices the law requires a trade to publish (交易信息公开).</summary>
public enum NoticeKind
{
    /// <summary>招标公告 / 采购公告 / 出让公告 / 挂牌公告: the opening notice of a trade.</summary>
    Tender,
    Prequalification,
    Clarification,
    OpeningRecord,
    CandidatePublicity,
    Result,
    Contract,
    Termination,

    /// <summary>更正公告: corrects a published notice, which stays published unchanged.</summary>
    Correction,

    /// <summary>流拍公告: a sale that ended without a sale (no bid, or none reaching the reserve); not a 终止.</summary>
    NoSale,
}

public enum NoticeState
{
    Draft,
    UnderReview,
    Returned,
    Published,
}

/// <summary>
/// A notice drafted by the party that owns it, reviewed by staff, then published and never changed again: a correction
/// is a new notice that names the one it corrects. The body is sanitised HTML from the moment it is saved.
/// </summary>
public sealed class Notice
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 200_000;
    public const int MaxAttachments = 20;
    public const int MaxReasonLength = 1000;

    private List<NoticeAttachment> _attachments = [];
    private List<Guid> _sectionIds = [];

    private Notice()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public string ProjectCode { get; private set; } = string.Empty;

    public string ProjectName { get; private set; } = string.Empty;

    public Guid CentreId { get; private set; }

    public string TradeType { get; private set; } = string.Empty;

    /// <summary>Administrative division code of the project's region (the portal's region filter).</summary>
    public string RegionCode { get; private set; } = string.Empty;

    /// <summary>The sections (标段/包) the notice concerns; empty when it concerns the whole project.</summary>
    public IReadOnlyList<Guid> SectionIds
    {
        get => _sectionIds;
        private set => _sectionIds = [.. value];
    }

    public NoticeKind Kind { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string BodyHtml { get; private set; } = string.Empty;

    /// <summary>The stored documents published with the notice, each with its SHA-256.</summary>
    public IReadOnlyList<NoticeAttachment> Attachments
    {
        get => _attachments;
        private set => _attachments = [.. value];
    }

    public NoticeState State { get; private set; }

    public Guid? CorrectsNoticeId { get; private set; }

    /// <summary>Who wrote the current text (the last editor).</summary>
    public string DraftedBy { get; private set; } = string.Empty;

    public DateTimeOffset DraftedAt { get; private set; }

    public string? SubmittedBy { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    public string? ReviewedBy { get; private set; }

    public string? ReturnReason { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>Raised by every change, so two people editing one draft cannot overwrite each other unseen.</summary>
    public int Version { get; private set; }

    public static Notice Draft(
        NoticeProject project, NoticeKind kind, string title, string bodyHtml, IEnumerable<NoticeAttachment> attachments,
        string draftedBy, DateTimeOffset now, Notice? corrects = null, IEnumerable<Guid>? sectionIds = null)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (kind == NoticeKind.Correction || corrects is not null)
        {
            if (corrects is not { State: NoticeState.Published })
            {
                throw new DomainRuleException(NoticeRules.CorrectsUnpublished, "A correction must name a published notice.");
            }

            if (corrects.ProjectId != project.ProjectId)
            {
                throw new DomainRuleException(NoticeRules.CorrectsOtherProject, "A correction belongs to the project of the notice it corrects.");
            }
        }

        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown notice kind.");
        }

        var notice = new Notice
        {
            Id = Guid.CreateVersion7(now),
            ProjectId = project.ProjectId,
            ProjectCode = project.ProjectCode,
            ProjectName = project.ProjectName,
            CentreId = project.CentreId,
            TradeType = project.TradeType,
            RegionCode = project.RegionCode,
            Kind = corrects is null ? kind : NoticeKind.Correction,
            CorrectsNoticeId = corrects?.Id,
            DraftedAt = now,
            State = NoticeState.Draft,
        };
        notice.Edit(title, bodyHtml, attachments, draftedBy, sectionIds);
        notice.Version = 1;
        return notice;
    }

    /// <summary>Changes a draft or a returned notice; published notices and notices under review are fixed.</summary>
    public void Edit(string title, string bodyHtml, IEnumerable<NoticeAttachment> attachments, string userId, IEnumerable<Guid>? sectionIds = null)
    {
        RequireEditable("changed");
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var cleanTitle = (title ?? string.Empty).Trim();
        if (cleanTitle.Length == 0)
        {
            throw new DomainRuleException(NoticeRules.TitleRequired, "A notice needs a title.");
        }

        if (cleanTitle.Length > MaxTitleLength || (bodyHtml?.Length ?? 0) > MaxBodyLength)
        {
            throw new DomainRuleException(NoticeRules.TooLong, $"A notice title has at most {MaxTitleLength} characters and its body at most {MaxBodyLength}.");
        }

        var body = NoticeHtml.Sanitize(bodyHtml ?? string.Empty).Trim();
        if (NoticeHtml.ToPlainText(body).Length == 0)
        {
            throw new DomainRuleException(NoticeRules.BodyRequired, "A notice needs a body.");
        }

        var files = (attachments ?? []).DistinctBy(a => a.Sha256, StringComparer.Ordinal).ToList();
        if (files.Count > MaxAttachments)
        {
            throw new DomainRuleException(NoticeRules.TooManyAttachments, $"A notice has at most {MaxAttachments} attachments.");
        }

        Title = cleanTitle;
        BodyHtml = body;
        _attachments = files;
        _sectionIds = [.. (sectionIds ?? []).Distinct()];
        DraftedBy = userId;
        Version++;
    }

    /// <summary>Hands the notice to the centre's staff; the drafter can no longer change it until it is returned.</summary>
    public void SubmitForReview(string userId, DateTimeOffset now)
    {
        RequireEditable("submitted");
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        State = NoticeState.UnderReview;
        SubmittedBy = userId;
        SubmittedAt = now;
        ReturnReason = null;
        ReviewedBy = null;
        Version++;
    }

    public void Publish(string reviewerId, DateTimeOffset now)
    {
        RequireReviewBy(reviewerId);
        State = NoticeState.Published;
        ReviewedBy = reviewerId;
        PublishedAt = now;
        Version++;
    }

    public void Return(string reviewerId, string reason)
    {
        RequireReviewBy(reviewerId);
        var cleanReason = (reason ?? string.Empty).Trim();
        if (cleanReason.Length == 0)
        {
            throw new DomainRuleException(NoticeRules.ReturnReasonRequired, "Returning a notice needs a reason the drafter can act on.");
        }

        if (cleanReason.Length > MaxReasonLength)
        {
            throw new DomainRuleException(NoticeRules.TooLong, $"A return reason has at most {MaxReasonLength} characters.");
        }

        State = NoticeState.Returned;
        ReviewedBy = reviewerId;
        ReturnReason = cleanReason;
        Version++;
    }

    private void RequireEditable(string what)
    {
        if (State == NoticeState.Published)
        {
            throw new DomainRuleException(NoticeRules.Immutable, $"A published notice cannot be {what}; publish a correction instead.");
        }

        if (State is not (NoticeState.Draft or NoticeState.Returned))
        {
            throw new DomainRuleException(NoticeRules.NotEditable, $"Only a draft or a returned notice can be {what}.");
        }
    }

    private void RequireReviewBy(string reviewerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reviewerId);
        if (State != NoticeState.UnderReview)
        {
            throw new DomainRuleException(NoticeRules.NotUnderReview, "The notice is not waiting for review.");
        }

        // The four-eyes rule: whoever wrote or submitted the notice does not approve it.
        if (string.Equals(reviewerId, DraftedBy, StringComparison.Ordinal) || string.Equals(reviewerId, SubmittedBy, StringComparison.Ordinal))
        {
            throw new DomainRuleException(NoticeRules.ReviewerIsDrafter, "A notice is reviewed by someone other than its drafter.");
        }
    }
}
