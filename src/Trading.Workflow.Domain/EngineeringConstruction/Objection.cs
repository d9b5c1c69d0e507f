namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// An objection an entity raised online and the tenderee's one answer, due by <see cref="AnswerDueAt"/>; the tenderee is
/// reminded once and the supervisors hear of an unanswered one once. The objection to the tender documents (条例 22) and
/// to the evaluation result (条例 54) differ only in their table, their rule codes and their text limit.
/// </summary>
public abstract class Objection
{
    public Guid Id { get; protected set; }

    public Guid ProjectId { get; protected set; }

    public Guid EntityId { get; protected set; }

    public string EntityName { get; protected set; } = string.Empty;

    public string Text { get; protected set; } = string.Empty;

    public string RaisedBy { get; protected set; } = string.Empty;

    public DateTimeOffset RaisedAt { get; protected set; }

    public DateTimeOffset AnswerDueAt { get; protected set; }

    public string? Answer { get; protected set; }

    public string? AnsweredBy { get; protected set; }

    public DateTimeOffset? AnsweredAt { get; protected set; }

    /// <summary>When the tenderee was reminded of the answer due: once per objection, however often the answer task comes back.</summary>
    public DateTimeOffset? RemindedAt { get; protected set; }

    public DateTimeOffset? EscalatedAt { get; protected set; }

    public bool IsOpen => AnsweredAt is null;

    /// <summary>The rule code of answering an objection already answered.</summary>
    protected abstract string AnsweredRule { get; }

    /// <summary>The text trimmed, or the trade's rule refusing it (empty or too long).</summary>
    protected abstract string Required(string? text, string field);

    protected void Record(Guid projectId, Guid entityId, string entityName, string text, string raisedBy, DateTimeOffset raisedAt, DateTimeOffset answerDueAt)
    {
        Id = Guid.NewGuid();
        ProjectId = projectId;
        EntityId = entityId;
        EntityName = entityName;
        Text = Required(text, "objection");
        RaisedBy = raisedBy;
        RaisedAt = raisedAt;
        AnswerDueAt = answerDueAt;
    }

    public void AnswerWith(string answer, string answeredBy, DateTimeOffset at)
    {
        if (!IsOpen)
        {
            throw new DomainRuleException(AnsweredRule, "This objection has already been answered.");
        }

        Answer = Required(answer, "answer");
        AnsweredBy = answeredBy;
        AnsweredAt = at;
    }

    /// <summary>The tenderee hears of the answer due once while it is open (true only that first time).</summary>
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
