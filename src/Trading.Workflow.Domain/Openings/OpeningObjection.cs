namespace Trading.Workflow.Domain.Openings;

/// <summary>
/// An objection raised at the opening (开标现场异议, 条例 44) by a bidder, answered by the host on the spot
/// (tr_opening_objections); both are shown to every participant of the room and recorded in the trail.
/// </summary>
public sealed class OpeningObjection
{
    public const int MaxTextLength = 2000;

    private OpeningObjection()
    {
    }

    public Guid Id { get; private set; }

    public Guid SessionId { get; private set; }

    public Guid EntityId { get; private set; }

    public string EntityName { get; private set; } = string.Empty;

    public string RaisedBy { get; private set; } = string.Empty;

    public DateTimeOffset RaisedAt { get; private set; }

    public string Text { get; private set; } = string.Empty;

    public string? Answer { get; private set; }

    public string? AnsweredBy { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public static OpeningObjection Raise(Guid sessionId, Guid entityId, string entityName, string by, string text, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SessionId = sessionId,
        EntityId = entityId,
        EntityName = entityName,
        RaisedBy = by,
        RaisedAt = now,
        Text = Clean(text, OpeningRules.ObjectionRequired),
    };

    public void Reply(string by, string answer, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (Answer is not null)
        {
            throw new DomainRuleException(OpeningRules.ObjectionAnswered, "This objection was answered already.");
        }

        Answer = Clean(answer, OpeningRules.AnswerRequired);
        AnsweredBy = by;
        AnsweredAt = now;
    }

    private static string Clean(string text, string requiredCode)
    {
        var clean = (text ?? string.Empty).Trim();
        if (clean.Length == 0)
        {
            throw new DomainRuleException(requiredCode, "The text is empty.");
        }

        return clean.Length > MaxTextLength
            ? throw new DomainRuleException(OpeningRules.ObjectionTooLong, $"At most {MaxTextLength} characters.")
            : clean;
    }
}
