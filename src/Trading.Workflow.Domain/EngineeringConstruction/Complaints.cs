using Trading.Workflow.Engine.Calendar;

namespace Trading.Workflow.Domain.EngineeringConstruction;

/// <summary>Which objection a complaint follows (条例 60: objection first): to the documents (条例 22), at the opening (条例 44) or to the result (条例 54).</summary>
public enum ComplaintObjectionKind
{
    Documents,
    Opening,
    Result,
}

/// <summary>Where a complaint stands with the supervising department (条例 61).</summary>
public enum ComplaintStage
{
    /// <summary>Filed; acceptance (受理) is due within 3 working days.</summary>
    Filed,

    /// <summary>Accepted; the decision is due within 30 working days of acceptance.</summary>
    Accepted,

    /// <summary>Not accepted (不予受理), with the reason: it ends there.</summary>
    Refused,

    Decided,
}

/// <summary>
/// 投诉 (条例 60–62): the objector complains to the supervising department within 10 日 of knowing the answer to its
/// objection (any of the three kinds, <see cref="ComplaintObjectionKind"/>); the supervisor accepts it or not within 3
/// working days and decides an accepted one within 30 working days (条例 61). A step after its limit is still taken and
/// the complaint shows as overdue until then. Rows filed before the limits were kept have no acceptance due time.
/// </summary>
public sealed class TenderComplaint
{
    private TenderComplaint()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public ComplaintObjectionKind ObjectionKind { get; private set; }

    public Guid ObjectionId { get; private set; }

    public Guid EntityId { get; private set; }

    public string EntityName { get; private set; } = string.Empty;

    public string Text { get; private set; } = string.Empty;

    public string FiledBy { get; private set; } = string.Empty;

    public DateTimeOffset FiledAt { get; private set; }

    public DateTimeOffset? AcceptDueAt { get; private set; }

    public DateTimeOffset? AcceptedAt { get; private set; }

    public string? AcceptedBy { get; private set; }

    public DateTimeOffset? RefusedAt { get; private set; }

    public string? RefusedBy { get; private set; }

    public string? RefusalReason { get; private set; }

    public DateTimeOffset? DecideDueAt { get; private set; }

    public string? Decision { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>When the supervisors were told the acceptance was overdue (once).</summary>
    public DateTimeOffset? AcceptEscalatedAt { get; private set; }

    /// <summary>When the supervisors were told the decision was overdue (once).</summary>
    public DateTimeOffset? DecideEscalatedAt { get; private set; }

    public bool IsOpen => DecidedAt is null && RefusedAt is null;

    public ComplaintStage Stage =>
        DecidedAt is not null ? ComplaintStage.Decided
        : RefusedAt is not null ? ComplaintStage.Refused
        : AcceptedAt is not null ? ComplaintStage.Accepted
        : ComplaintStage.Filed;

    /// <summary>The step the supervisor owes is past its 条例 61 limit: acceptance after 3, the decision after 30 working days.</summary>
    public bool IsOverdue(DateTimeOffset now) => Stage switch
    {
        ComplaintStage.Filed => AcceptDueAt is { } accept && now >= accept,
        ComplaintStage.Accepted => DecideDueAt is { } decide && now >= decide,
        _ => false,
    };

    public static TenderComplaint File(
        ComplaintObjectionKind kind, Guid objectionId, Guid projectId, Guid entityId, string entityName, string text, string filedBy, DateTimeOffset at, DateTimeOffset acceptDueAt) =>
        new()
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            ObjectionKind = kind,
            ObjectionId = objectionId,
            EntityId = entityId,
            EntityName = entityName,
            Text = AwardText.Required(text, "complaint"),
            FiledBy = filedBy,
            FiledAt = at,
            AcceptDueAt = acceptDueAt,
        };

    /// <summary>受理: the decision is then due by <paramref name="decideDueAt"/>.</summary>
    public void Accept(string by, DateTimeOffset at, DateTimeOffset decideDueAt)
    {
        RequireStage(ComplaintStage.Filed);
        AcceptedBy = by;
        AcceptedAt = at;
        DecideDueAt = decideDueAt;
    }

    /// <summary>不予受理, with the reason: the complaint ends there.</summary>
    public void Refuse(string reason, string by, DateTimeOffset at)
    {
        RequireStage(ComplaintStage.Filed);
        RefusalReason = AwardText.Required(reason, "reason");
        RefusedBy = by;
        RefusedAt = at;
    }

    public void Decide(string decision, string decidedBy, DateTimeOffset at)
    {
        if (Stage == ComplaintStage.Filed)
        {
            throw new DomainRuleException(AwardRules.ComplaintNotAccepted, "A complaint is decided after it is accepted (条例 61: 受理后作出处理决定).");
        }

        RequireStage(ComplaintStage.Accepted);
        Decision = AwardText.Required(decision, "decision");
        DecidedBy = decidedBy;
        DecidedAt = at;
    }

    private void RequireStage(ComplaintStage stage)
    {
        var current = Stage;
        if (current == stage)
        {
            return;
        }

        throw current switch
        {
            ComplaintStage.Decided => new DomainRuleException(AwardRules.ComplaintDecided, "This complaint is already decided."),
            ComplaintStage.Refused => new DomainRuleException(AwardRules.ComplaintRefused, "This complaint was not accepted; it ended there (条例 61)."),
            _ => new DomainRuleException(AwardRules.ComplaintAccepted, "This complaint is already accepted."),
        };
    }
}

/// <summary>
/// The supervisor's limits on a complaint (条例 61): acceptance within 3 working days of filing, the decision within 30
/// working days of acceptance. The filing (acceptance) day is not counted; the limit runs out at 24:00 of the last
/// working day of the platform's business calendar (holidays off, 调休 Saturdays on).
/// </summary>
public static class ComplaintRules
{
    public static DateTimeOffset AcceptDue(DateTimeOffset filedAt, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return AfterWorkingDays(filedAt, limits.ComplaintAcceptWorkingDays, calendar);
    }

    public static DateTimeOffset DecideDue(DateTimeOffset acceptedAt, AwardLimits limits, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return AfterWorkingDays(acceptedAt, limits.ComplaintDecisionWorkingDays, calendar);
    }

    private static DateTimeOffset AfterWorkingDays(DateTimeOffset from, int days, IBusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var day = TenderRules.DateOf(from);
        for (var i = 0; i < days; i++)
        {
            day = calendar.NextWorkingDay(day);
        }

        return TenderRules.EndOf(day);
    }
}
