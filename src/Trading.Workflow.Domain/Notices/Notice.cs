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

    private readonly List<string> _attachments = [];

    private Notice()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid CentreId { get; private set; }

    public string TradeType { get; private set; } = string.Empty;

    public NoticeKind Kind { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string BodyHtml { get; private set; } = string.Empty;

    /// <summary>SHA-256 hashes of the stored attachments, shown with the published notice.</summary>
    public IReadOnlyList<string> Attachments => _attachments;

    public NoticeState State { get; private set; }

    public Guid? CorrectsNoticeId { get; private set; }

    public string DraftedBy { get; private set; } = string.Empty;

    public DateTimeOffset DraftedAt { get; private set; }

    public string? ReviewedBy { get; private set; }

    public string? ReturnReason { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    public static Notice Draft(
        Guid projectId, Guid centreId, string tradeType, NoticeKind kind, string title, string bodyHtml,
        IEnumerable<string> attachments, string draftedBy, DateTimeOffset now, Notice? corrects = null)
    {
        if (kind == NoticeKind.Correction || corrects is not null)
        {
            if (corrects is not { State: NoticeState.Published })
            {
                throw new DomainRuleException(NoticeRules.CorrectsUnpublished, "A correction must name a published notice.");
            }

            if (corrects.ProjectId != projectId)
            {
                throw new DomainRuleException(NoticeRules.CorrectsOtherProject, "A correction belongs to the project of the notice it corrects.");
            }
        }

        var notice = new Notice
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            CentreId = centreId,
            TradeType = tradeType,
            Kind = corrects is null ? kind : NoticeKind.Correction,
            CorrectsNoticeId = corrects?.Id,
            DraftedBy = draftedBy,
            DraftedAt = now,
            State = NoticeState.Draft,
        };
        notice.Edit(title, bodyHtml, attachments, draftedBy);
        return notice;
    }

    /// <summary>Changes a draft or a returned notice; published notices and notices under review are fixed.</summary>
    public void Edit(string title, string bodyHtml, IEnumerable<string> attachments, string userId)
    {
        if (State is not (NoticeState.Draft or NoticeState.Returned))
        {
            throw new DomainRuleException(NoticeRules.NotEditable, "Only a draft or a returned notice can be changed.");
        }

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
        if (body.Length == 0)
        {
            throw new DomainRuleException(NoticeRules.BodyRequired, "A notice needs a body.");
        }

        Title = cleanTitle;
        BodyHtml = body;
        _attachments.Clear();
        _attachments.AddRange(attachments.Distinct(StringComparer.Ordinal));
        DraftedBy = userId;
    }

    public void SubmitForReview()
    {
        if (State is not (NoticeState.Draft or NoticeState.Returned))
        {
            throw new DomainRuleException(NoticeRules.NotEditable, "Only a draft or a returned notice can be submitted.");
        }

        State = NoticeState.UnderReview;
        ReturnReason = null;
    }

    public void Publish(string reviewerId, DateTimeOffset now)
    {
        RequireReviewBy(reviewerId);
        State = NoticeState.Published;
        ReviewedBy = reviewerId;
        PublishedAt = now;
    }

    public void Return(string reviewerId, string reason)
    {
        RequireReviewBy(reviewerId);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException(NoticeRules.ReturnReasonRequired, "Returning a notice needs a reason the drafter can act on.");
        }

        State = NoticeState.Returned;
        ReviewedBy = reviewerId;
        ReturnReason = reason.Trim();
    }

    private void RequireReviewBy(string reviewerId)
    {
        if (State != NoticeState.UnderReview)
        {
            throw new DomainRuleException(NoticeRules.NotUnderReview, "The notice is not waiting for review.");
        }

        // The four-eyes rule: whoever wrote the notice does not approve it.
        if (string.Equals(reviewerId, DraftedBy, StringComparison.Ordinal))
        {
            throw new DomainRuleException(NoticeRules.ReviewerIsDrafter, "A notice is reviewed by someone other than its drafter.");
        }
    }
}
