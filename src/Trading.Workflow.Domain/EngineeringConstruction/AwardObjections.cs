namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// 对评标结果的异议 (条例 54): filed online by a bidder of the project during the candidates' publicity; the tenderee
/// answers within 3 日 and the award waits while any objection is open. The answer is shown to the objector.
/// </summary>
public sealed class ResultObjection
{
    private ResultObjection()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid EntityId { get; private set; }

    public string EntityName { get; private set; } = string.Empty;

    public string Text { get; private set; } = string.Empty;

    public string RaisedBy { get; private set; } = string.Empty;

    public DateTimeOffset RaisedAt { get; private set; }

    public DateTimeOffset AnswerDueAt { get; private set; }

    public string? Answer { get; private set; }

    public string? AnsweredBy { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public DateTimeOffset? RemindedAt { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    public bool IsOpen => AnsweredAt is null;

    public static ResultObjection Raise(Guid projectId, Guid entityId, string entityName, string text, string raisedBy, DateTimeOffset raisedAt, DateTimeOffset answerDueAt) =>
        new()
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            EntityId = entityId,
            EntityName = entityName,
            Text = AwardText.Required(text, "objection"),
            RaisedBy = raisedBy,
            RaisedAt = raisedAt,
            AnswerDueAt = answerDueAt,
        };

    public void AnswerWith(string answer, string answeredBy, DateTimeOffset at)
    {
        if (!IsOpen)
        {
            throw new DomainRuleException(AwardRules.ObjectionAnswered, "This objection has already been answered.");
        }

        Answer = AwardText.Required(answer, "answer");
        AnsweredBy = answeredBy;
        AnsweredAt = at;
    }

    public bool Remind(DateTimeOffset at)
    {
        if (!IsOpen || RemindedAt is not null)
        {
            return false;
        }

        RemindedAt = at;
        return true;
    }

    /// <summary>Once the answer period has passed unanswered the supervisors hear of it, once (true only that first time).</summary>
    public bool Escalate(DateTimeOffset now)
    {
        if (!IsOpen || EscalatedAt is not null || now < AnswerDueAt)
        {
            return false;
        }

        EscalatedAt = now;
        return true;
    }
}

/// <summary>A supervisor's order suspending the procedure (条例 62) and, later, resuming it; both with who, when and why.</summary>
public sealed class AwardSuspension
{
    private AwardSuspension()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid? ComplaintId { get; private set; }

    public string Reason { get; private set; } = string.Empty;

    public string OrderedBy { get; private set; } = string.Empty;

    public DateTimeOffset OrderedAt { get; private set; }

    public string? ResumedBy { get; private set; }

    public DateTimeOffset? ResumedAt { get; private set; }

    public string? ResumeReason { get; private set; }

    public bool IsActive => ResumedAt is null;

    public static AwardSuspension Order(Guid projectId, Guid? complaintId, string reason, string by, DateTimeOffset at) =>
        new()
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            ComplaintId = complaintId,
            Reason = AwardText.Required(reason, "reason"),
            OrderedBy = by,
            OrderedAt = at,
        };

    public void Resume(string reason, string by, DateTimeOffset at)
    {
        ResumeReason = AwardText.Required(reason, "reason");
        ResumedBy = by;
        ResumedAt = at;
    }
}
