namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>The review's finding on one prequalification application (资格审查结论).</summary>
public enum PrequalificationDecision
{
    Qualified,
    NotQualified,
}

/// <summary>
/// 资格预审申请: a verified entity's application (its application file, uploaded for the project) while the
/// prequalification is open, and the review's finding on it — qualified, or not with the reason the applicant is told
/// (条例 18–19). One per entity and tender; applying again before the deadline replaces the file.
/// </summary>
public sealed class TenderApplication
{
    public const int MaxReasonLength = 2000;

    private TenderApplication()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid EntityId { get; private set; }

    public string EntityName { get; private set; } = string.Empty;

    public Guid DocumentId { get; private set; }

    public string SubmittedBy { get; private set; } = string.Empty;

    public DateTimeOffset SubmittedAt { get; private set; }

    public PrequalificationDecision? Decision { get; private set; }

    public string? Reason { get; private set; }

    public string? ReviewedBy { get; private set; }

    public DateTimeOffset? ReviewedAt { get; private set; }

    public bool IsReviewed => Decision is not null;

    internal static TenderApplication Submit(Guid projectId, Guid entityId, string entityName, Guid documentId, string by, DateTimeOffset at) =>
        new() { Id = Guid.NewGuid(), ProjectId = projectId, EntityId = entityId, EntityName = entityName, DocumentId = documentId, SubmittedBy = by, SubmittedAt = at };

    internal void Replace(Guid documentId, string by, DateTimeOffset at)
    {
        DocumentId = documentId;
        SubmittedBy = by;
        SubmittedAt = at;
    }

    /// <summary>The finding: a reason is required when the applicant does not qualify (it is told why).</summary>
    internal void Review(bool qualified, string? reason, string by, DateTimeOffset at)
    {
        var text = reason?.Trim();
        if (!qualified && string.IsNullOrEmpty(text))
        {
            throw new DomainRuleException(TenderRules.ReasonRequired, "Say why the applicant does not qualify: it is told the reason (条例 19).");
        }

        if (text is { Length: > MaxReasonLength })
        {
            throw new DomainRuleException(TenderRules.TextRequired, $"The reason is at most {MaxReasonLength} characters.");
        }

        Decision = qualified ? PrequalificationDecision.Qualified : PrequalificationDecision.NotQualified;
        Reason = string.IsNullOrEmpty(text) ? null : text;
        ReviewedBy = by;
        ReviewedAt = at;
    }
}
