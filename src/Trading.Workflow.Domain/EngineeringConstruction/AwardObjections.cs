namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// 对评标结果的异议 (条例 54): filed online by a bidder of the project during the candidates' publicity; the tenderee
/// answers within 3 日 and the award waits while any objection is open. The answer is shown to the objector.
/// </summary>
public sealed class ResultObjection : Objection
{
    private ResultObjection()
    {
    }

    protected override string AnsweredRule => AwardRules.ObjectionAnswered;

    public static ResultObjection Raise(Guid projectId, Guid entityId, string entityName, string text, string raisedBy, DateTimeOffset raisedAt, DateTimeOffset answerDueAt)
    {
        var objection = new ResultObjection();
        objection.Record(projectId, entityId, entityName, text, raisedBy, raisedAt, answerDueAt);
        return objection;
    }

    protected override string Required(string? text, string field) => AwardText.Required(text, field);
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
