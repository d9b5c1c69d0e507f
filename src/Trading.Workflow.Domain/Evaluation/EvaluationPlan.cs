namespace Trading.Workflow.Domain.Evaluation;

/// <summary>
/// The evaluation method of a project (tr_evaluation_plans), as the tender documents set it: chosen by the tenderee
/// before the evaluation starts, stored, and locked when the evaluation opens (it cannot change once evaluation began).
/// The engineering tender (part 1) keeps no method of its own, so this is where it lives for every trade type.
/// </summary>
public sealed class EvaluationPlan
{
    private EvaluationPlan()
    {
    }

    public Guid ProjectId { get; private set; }

    public EvaluationMethod Method { get; private set; } = EvaluationMethod.LowestPrice();

    public string SetBy { get; private set; } = string.Empty;

    public DateTimeOffset SetAt { get; private set; }

    /// <summary>When the evaluation opened with it; from then on it never changes.</summary>
    public DateTimeOffset? LockedAt { get; private set; }

    public int Version { get; private set; }

    public static EvaluationPlan Create(Guid projectId, EvaluationMethod method, string actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(method);
        method.Validate();
        return new EvaluationPlan { ProjectId = projectId, Method = method, SetBy = actor, SetAt = now, Version = 1 };
    }

    public void Change(EvaluationMethod method, string actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (LockedAt is not null)
        {
            throw new DomainRuleException(EvaluationRules.MethodLocked, "The evaluation has started: its method can no longer change.");
        }

        method.Validate();
        Method = method;
        SetBy = actor;
        SetAt = now;
        Version++;
    }

    public void Lock(DateTimeOffset now)
    {
        LockedAt ??= now;
        Version++;
    }
}
