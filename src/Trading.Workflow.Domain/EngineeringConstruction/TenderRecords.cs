namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>
/// 澄清或者修改 (法 23): published to every entity that downloaded the documents, with the bid deadline before and
/// after it (moved when it came less than 15 日 before the deadline).
/// </summary>
public sealed class TenderClarification
{
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 20_000;

    private TenderClarification()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public int Number { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;

    /// <summary>An amended document or attachment, when there is one.</summary>
    public Guid? DocumentId { get; private set; }

    public DateTimeOffset PublishedAt { get; private set; }

    public string PublishedBy { get; private set; } = string.Empty;

    public DateTimeOffset DeadlineBefore { get; private set; }

    public DateTimeOffset DeadlineAfter { get; private set; }

    public bool MovedDeadline => DeadlineAfter != DeadlineBefore;

    internal static TenderClarification Create(Guid projectId, int number, string title, string body, Guid? documentId,
        DateTimeOffset publishedAt, string publishedBy, DateTimeOffset before, DateTimeOffset after) =>
        new()
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            Number = number,
            Title = TenderText.Required(title, "title", MaxTitleLength),
            Body = TenderText.Required(body, "text", MaxBodyLength),
            DocumentId = documentId,
            PublishedAt = publishedAt,
            PublishedBy = publishedBy,
            DeadlineBefore = before,
            DeadlineAfter = after,
        };
}

/// <summary>
/// 对招标文件的异议 (条例 22): raised online by an entity until 10 日 before the deadline; the tenderee answers within
/// 3 日 and the procedure (the deadline timer) waits until every objection is answered.
/// </summary>
public sealed class TenderObjection : Objection
{
    public const int MaxTextLength = 10_000;

    private TenderObjection()
    {
    }

    /// <summary>When the tenderee is reminded: a day before the answer is due, the start of the period's last day.</summary>
    public DateTimeOffset ReminderAt => AnswerDueAt.AddDays(-1);

    protected override string AnsweredRule => TenderRules.ObjectionAnswered;

    internal static TenderObjection Raise(Guid projectId, Guid entityId, string entityName, string text, string raisedBy, DateTimeOffset raisedAt, DateTimeOffset answerDueAt)
    {
        var objection = new TenderObjection();
        objection.Record(projectId, entityId, entityName, text, raisedBy, raisedAt, answerDueAt);
        return objection;
    }

    protected override string Required(string? text, string field) => TenderText.Required(text, field, MaxTextLength);
}

/// <summary>An entity's download of the tender documents (who downloaded is never disclosed to other bidders).</summary>
public sealed class TenderDownload
{
    private TenderDownload()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid EntityId { get; private set; }

    public string EntityName { get; private set; } = string.Empty;

    public Guid DocumentId { get; private set; }

    public string UserName { get; private set; } = string.Empty;

    public DateTimeOffset At { get; private set; }

    internal static TenderDownload Record(Guid projectId, Guid entityId, string entityName, Guid documentId, string userName, DateTimeOffset at) =>
        new() { Id = Guid.NewGuid(), ProjectId = projectId, EntityId = entityId, EntityName = entityName, DocumentId = documentId, UserName = userName, At = at };
}

internal static class TenderText
{
    public static string Required(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DomainRuleException(TenderRules.TextRequired, $"The {field} is required.");
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength
            ? trimmed
            : throw new DomainRuleException(TenderRules.TextRequired, $"The {field} is longer than {maxLength} characters.");
    }
}
