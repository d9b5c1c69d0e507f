namespace Trading.Workflow.Domain.Evaluation;

public enum MemberState
{
    Active,

    /// <summary>Replaced (条例 48): the member's sheet is voided and the task went to the replacement.</summary>
    Replaced,
}

/// <summary>A member's answer to the report (条例 53).</summary>
public enum ReportConfirmation
{
    None,

    /// <summary>Signs the report.</summary>
    Agreed,

    /// <summary>Signs with a written dissent and its reasons, which the report notes.</summary>
    Dissented,

    /// <summary>Refuses to sign and gives no written reason: counts as agreeing with the result (条例 53).</summary>
    RefusedWithoutReason,
}

/// <summary>One member of the committee in this evaluation (tr_evaluation_members), in the committee's order.</summary>
public sealed class EvaluationMember
{
    public const int MaxDissentLength = 4000;

    private EvaluationMember()
    {
    }

    public Guid Id { get; private set; }

    public Guid EvaluationId { get; private set; }

    public Guid ExpertId { get; private set; }

    public string UserName { get; private set; } = string.Empty;

    public string DisplayName { get; private set; } = string.Empty;

    public bool IsTendereeRepresentative { get; private set; }

    /// <summary>Order in the committee as confirmed (the first active member chairs).</summary>
    public int Position { get; private set; }

    public MemberState State { get; private set; }

    public DateTimeOffset JoinedAt { get; private set; }

    public DateTimeOffset? ReplacedAt { get; private set; }

    public string? ReplacementReason { get; private set; }

    /// <summary>When the member asked for more time in the current round of requests.</summary>
    public DateTimeOffset? AskedForTimeAt { get; private set; }

    public ReportConfirmation Confirmation { get; private set; }

    public string? Dissent { get; private set; }

    public DateTimeOffset? ConfirmedAt { get; private set; }

    public int Version { get; private set; }

    public bool IsActive => State == MemberState.Active;

    public static EvaluationMember Join(Guid evaluationId, Guid expertId, string userName, string displayName, bool tendereeRepresentative, int position, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            EvaluationId = evaluationId,
            ExpertId = expertId,
            UserName = userName,
            DisplayName = displayName,
            IsTendereeRepresentative = tendereeRepresentative,
            Position = position,
            State = MemberState.Active,
            JoinedAt = now,
            Version = 1,
        };

    public void Replace(string reason, DateTimeOffset now)
    {
        State = MemberState.Replaced;
        ReplacedAt = now;
        ReplacementReason = reason;
        AskedForTimeAt = null;
        Version++;
    }

    public void AskForTime(DateTimeOffset now)
    {
        if (AskedForTimeAt is not null)
        {
            throw new DomainRuleException(EvaluationRules.AlreadyAskedForTime, "You already asked for more time in this round.");
        }

        AskedForTimeAt = now;
        Version++;
    }

    public void ClearTimeRequest()
    {
        AskedForTimeAt = null;
        Version++;
    }

    /// <summary>Answers the report once: a dissent needs its written reasons (条例 53).</summary>
    public void Confirm(ReportConfirmation confirmation, string? dissent, DateTimeOffset now)
    {
        if (Confirmation != ReportConfirmation.None)
        {
            throw new DomainRuleException(EvaluationRules.AlreadyConfirmed, "You already answered this report.");
        }

        var text = dissent?.Trim();
        switch (confirmation)
        {
            case ReportConfirmation.Dissented when string.IsNullOrEmpty(text):
                throw new DomainRuleException(EvaluationRules.DissentReasonRequired, "A dissent states its reasons in writing (条例 53).");
            case ReportConfirmation.Dissented when text!.Length > MaxDissentLength:
                throw new DomainRuleException(EvaluationRules.DissentReasonRequired, $"A dissent has at most {MaxDissentLength} characters.");
            case ReportConfirmation.None:
                throw new ArgumentOutOfRangeException(nameof(confirmation));
        }

        Confirmation = confirmation;
        Dissent = confirmation == ReportConfirmation.Dissented ? text : null;
        ConfirmedAt = now;
        Version++;
    }

    /// <summary>Agreed, dissented with reasons, or refused without reasons (which counts as agreeing).</summary>
    public bool HasAnswered => Confirmation != ReportConfirmation.None;
}
